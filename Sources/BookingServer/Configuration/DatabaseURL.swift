import Foundation

/// Where the service keeps its data, parsed from `DATABASE_URL` / `--database-url`.
///
/// Accepted forms:
/// - `sqlite:///absolute/path.db` — an embedded SQLite file;
/// - `sqlite::memory:` — an embedded in-memory SQLite database, lost at exit;
/// - `postgres://user[:password]@host[:port]/database[?sslmode=disable|prefer|require]` — PostgreSQL
///   (`postgresql://` is accepted too).
public enum DatabaseURL: Sendable, Equatable, CustomStringConvertible {
    case sqliteFile(path: String)
    case sqliteMemory
    /// The original URL text (with credentials) and its parts.
    case postgres(PostgresLocation)

    /// The parts of a PostgreSQL URL.
    public struct PostgresLocation: Sendable, Equatable {
        public var url: String
        public var host: String
        public var port: Int
        public var username: String
        public var password: String?
        public var database: String

        /// The `sslmode` query parameter (`disable`, `prefer`, `require`, `verify-ca`, `verify-full`); `disable` when absent.
        public var sslMode: String {
            URLComponents(string: url)?.queryItems?.first { $0.name == "sslmode" }?.value ?? "disable"
        }

        /// The same server with another database name (used to create per-test databases).
        public func with(database name: String) -> PostgresLocation {
            var copy = self
            copy.database = name
            var components = URLComponents(string: url)!
            components.path = "/" + name
            copy.url = components.string!
            return copy
        }
    }

    /// The `sslmode` values accepted (libpq's; `allow` connects like `disable`, `verify-ca` and `verify-full` like
    /// `require` with the certificate verified).
    public static let sslModes = ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"]

    /// - Throws: ``ConfigurationError`` naming `variable` when the URL is not one of the accepted forms or names an
    ///   unknown `sslmode` (a typo must not quietly connect without TLS).
    public init(parsing text: String, variable: String = "DATABASE_URL") throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed == "sqlite::memory:" {
            self = .sqliteMemory
        } else if trimmed.hasPrefix("sqlite://") {
            let path = String(trimmed.dropFirst("sqlite://".count))
            guard path.hasPrefix("/"), path.count > 1, !path.hasSuffix("/") else {
                throw ConfigurationError(
                    variable: variable, value: text,
                    problem: "a SQLite URL needs an absolute file path: sqlite:///absolute/path.db")
            }
            self = .sqliteFile(path: path)
        } else if trimmed.hasPrefix("postgres://") || trimmed.hasPrefix("postgresql://") {
            guard let components = URLComponents(string: trimmed), let host = components.host, !host.isEmpty,
                let username = components.user, !username.isEmpty
            else {
                throw ConfigurationError(
                    variable: variable, value: "postgres://…",
                    problem: "expected postgres://user[:password]@host[:port]/database")
            }
            let database = String(components.path.drop { $0 == "/" })
            guard !database.isEmpty, !database.contains("/") else {
                throw ConfigurationError(variable: variable, value: "postgres://…", problem: "the URL must name a database")
            }
            guard (components.port ?? 5432) > 0 else {
                throw ConfigurationError(variable: variable, value: "postgres://…", problem: "bad port")
            }
            if let mode = components.queryItems?.first(where: { $0.name == "sslmode" })?.value, !Self.sslModes.contains(mode) {
                throw ConfigurationError(
                    variable: variable, value: "sslmode=\(mode)", problem: "expected sslmode " + Self.sslModes.joined(separator: ", "))
            }
            self = .postgres(
                PostgresLocation(
                    url: trimmed, host: host, port: components.port ?? 5432, username: username,
                    password: components.password, database: database))
        } else {
            throw ConfigurationError(
                variable: variable, value: text,
                problem: "expected sqlite:///absolute/path.db, sqlite::memory: or postgres://user@host:port/database")
        }
    }

    /// The URL without its password, safe for logs and messages.
    public var description: String {
        switch self {
        case .sqliteFile(let path): return "sqlite://\(path)"
        case .sqliteMemory: return "sqlite::memory:"
        case .postgres(let location):
            return "postgres://\(location.username)@\(location.host):\(location.port)/\(location.database)"
        }
    }
}
