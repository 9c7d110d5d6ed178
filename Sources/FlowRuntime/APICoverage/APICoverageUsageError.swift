/// A usage problem with `--openapi` / `--min-api-coverage`, found before anything runs (exit status 2).
public struct APICoverageUsageError: Error, Sendable, CustomStringConvertible {
    /// One line saying what is wrong and what to do.
    public var description: String

    /// Creates an error with its message line.
    public init(_ description: String) { self.description = description }
}
