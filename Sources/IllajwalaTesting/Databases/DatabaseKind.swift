/// Which database engine a test or live server runs on.
public enum DatabaseKind: String, Sendable, CaseIterable, CustomStringConvertible {
    /// Embedded SQLite in a temporary file (always available).
    case sqlite
    /// PostgreSQL, on the server of ``PostgresTestServer`` (available when configured or installed).
    case postgres

    /// The kinds that can run on this machine: SQLite always, PostgreSQL when ``PostgresTestServer/isAvailable``.
    public static var available: [DatabaseKind] {
        PostgresTestServer.isAvailable ? [.sqlite, .postgres] : [.sqlite]
    }

    public var description: String { rawValue }
}
