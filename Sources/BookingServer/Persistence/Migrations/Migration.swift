/// One numbered schema change with its inverse. Both run inside a transaction.
public struct Migration: Sendable {
    /// Position in the sequence, starting at 1, without gaps.
    public let version: Int
    public let name: String
    /// SQL statements applied in order by `migrate up`.
    public let up: [String]
    /// SQL statements that undo `up`, applied in order by `migrate down`.
    public let down: [String]

    public init(version: Int, name: String, up: [String], down: [String]) {
        self.version = version
        self.name = name
        self.up = up
        self.down = down
    }
}
