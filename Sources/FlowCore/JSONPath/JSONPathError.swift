/// A JSONPath expression that is not a valid RFC 9535 query, with the 1-based column of the problem.
public struct JSONPathError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, e.g. `expected ']'`.
    public var message: String
    /// 1-based column, in characters, of the first offending character within the expression (the start of the
    /// token, string or blank space at fault); one past the last character when the expression ends too early.
    public var column: Int

    /// - Parameters: message: the problem; column: 1-based character column.
    public init(message: String, column: Int) {
        self.message = message
        self.column = column
    }

    public var description: String { "column \(column): \(message)" }
}
