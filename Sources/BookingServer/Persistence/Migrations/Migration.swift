/// One numbered schema change with its inverse. Both run inside a transaction.
public struct Migration: Sendable {
    /// Whether the release before this migration keeps working on the schema after it (docs/database-migrations.md).
    public enum Kind: String, Sendable, CaseIterable {
        /// Backward compatible: new tables, nullable columns, indexes. May run before a blue-green switch, while the
        /// previous release still serves; that release also starts on the new schema (a rollback needs no down-migration).
        case expand
        /// Breaking for the previous release: dropping or renaming what it reads, new NOT NULL columns it does not
        /// write. Runs only after every instance runs a release that no longer needs the old shape (the second
        /// release of an expand/contract pair); the deploy refuses it without `--allow-contract`.
        case contract
    }

    /// Position in the sequence, starting at 1, without gaps.
    public let version: Int
    public let name: String
    /// Expand (backward compatible) or contract (breaking for the previous release).
    public let kind: Kind
    /// SQL statements applied in order by `migrate up`.
    public let up: [String]
    /// SQL statements that undo `up`, applied in order by `migrate down`.
    public let down: [String]

    public init(version: Int, name: String, kind: Kind = .expand, up: [String], down: [String]) {
        self.version = version
        self.name = name
        self.kind = kind
        self.up = up
        self.down = down
    }
}
