/// The coverage summary of one source file from an llvm-cov export (`data[0].files[]`).
public struct FileCoverage: Sendable, Hashable {
    /// The file's path as the compiler recorded it (absolute for SwiftPM builds).
    public var path: String
    /// Instrumented and executed lines.
    public var lines: CoverageCounts
    /// Instrumented and executed functions (closures and accessors count as functions).
    public var functions: CoverageCounts
    /// Instrumented and executed code regions.
    public var regions: CoverageCounts

    /// Creates a file summary.
    public init(path: String, lines: CoverageCounts, functions: CoverageCounts, regions: CoverageCounts) {
        self.path = path
        self.lines = lines
        self.functions = functions
        self.regions = regions
    }
}
