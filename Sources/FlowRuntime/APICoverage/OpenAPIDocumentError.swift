/// Why an OpenAPI document could not be read for API coverage.
public struct OpenAPIDocumentError: Error, Sendable, CustomStringConvertible {
    /// The document's path as given.
    public var file: String
    /// The 1-based line of the problem, or `nil` when it concerns the whole file.
    public var line: Int?
    /// What is wrong, e.g. `'paths' must be a mapping of path templates to path items`.
    public var message: String

    /// Creates an error.
    public init(file: String, line: Int? = nil, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    /// `FILE:LINE: message`, or `FILE: message` without a line.
    public var description: String { file + (line.map { ":\($0)" } ?? "") + ": " + message }
}
