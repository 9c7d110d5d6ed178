/// A JSONPath expression that could not be parsed, with the 1-based column of the problem.
public struct JSONPathError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, e.g. `expected ']'`.
    public var message: String
    /// 1-based column (in characters) of the offending token within the expression.
    public var column: Int

    /// - Parameters: message: the problem; column: 1-based character column.
    public init(message: String, column: Int) {
        self.message = message
        self.column = column
    }

    public var description: String { "column \(column): \(message)" }
}
