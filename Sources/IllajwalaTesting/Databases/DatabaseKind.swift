/// Which database engine a test or live server runs on.
public enum DatabaseKind: String, Sendable, CaseIterable, CustomStringConvertible {
    /// Embedded SQLite in a temporary file (always available).
    case sqlite
    /// PostgreSQL, on the server of ``SharedPostgresServer`` (available when configured or installed).
    case postgres

    /// The kinds that can run on this machine: SQLite always, PostgreSQL when ``SharedPostgresServer/isAvailable``.
    public static var available: [DatabaseKind] {
        SharedPostgresServer.isAvailable ? [.sqlite, .postgres] : [.sqlite]
    }

    public var description: String { rawValue }
}
