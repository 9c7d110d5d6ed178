/// Where the data lives and how the driver treats it.
///
/// | variable | meaning | default |
/// |---|---|---|
/// | `DATABASE_URL` | see ``DatabaseURL`` | `sqlite::memory:` in development/test; required in production |
/// | `DATABASE_POOL_SIZE` | PostgreSQL pool connections, 1–200 | 10 |
/// | `DATABASE_STATEMENT_TIMEOUT_MS` | PostgreSQL statement timeout, 100–600000 ms | 5000 |
/// | `DATABASE_ACQUIRE_TIMEOUT_MS` | how long a request waits for a PostgreSQL connection before 503 SERVICE_UNAVAILABLE (e.g. while the database is down), 100–600000 ms | 5000 |
public struct DatabaseSettings: ConfigurationSection {
    public static let variableNames = ["DATABASE_URL", "DATABASE_POOL_SIZE", "DATABASE_STATEMENT_TIMEOUT_MS", "DATABASE_ACQUIRE_TIMEOUT_MS"]

    /// The database.
    public var url: DatabaseURL
    /// Driver tuning (PostgreSQL pool size and timeouts).
    public var options: BookingDatabase.Options

    /// - Throws: ``ConfigurationError`` for a malformed URL, no URL or a SQLite URL in production, a pool size or
    ///   timeout out of range.
    public init(_ variables: ConfigurationVariables) throws {
        if let raw = variables.value("DATABASE_URL") {
            url = try DatabaseURL(parsing: raw)
            if variables.production, case .postgres = url {
            } else if variables.production {
                throw ConfigurationError(
                    variable: "DATABASE_URL", value: nil,
                    problem: "production needs PostgreSQL (postgres://…): an embedded SQLite file is one instance's, with no backups or failover")
            }
        } else if variables.production {
            throw ConfigurationError(variable: "DATABASE_URL", value: nil, problem: "required in production")
        } else {
            url = .sqliteMemory
        }
        options = BookingDatabase.Options(
            poolSize: try variables.integer("DATABASE_POOL_SIZE", default: 10, range: 1...200),
            statementTimeoutMilliseconds: try variables.integer("DATABASE_STATEMENT_TIMEOUT_MS", default: 5_000, range: 100...600_000),
            acquireTimeoutMilliseconds: try variables.integer("DATABASE_ACQUIRE_TIMEOUT_MS", default: 5_000, range: 100...600_000))
    }
}
