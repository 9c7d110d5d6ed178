/// A position in a flow file: path as given to the loader, 1-based line and column.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    /// File path as given to the loader.
    public var file: String
    /// 1-based line.
    public var line: Int
    /// 1-based column.
    public var column: Int

    /// Creates a location (line and column 1-based; line 0 means the whole file).
    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `FILE:LINE:COL`.
    public var description: String { "\(file):\(line):\(column)" }
}
