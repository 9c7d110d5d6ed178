import Foundation

/// Where the service keeps its data, parsed from `DATABASE_URL` / `--database-url`.
///
/// Accepted forms: `sqlite:///absolute/path.db` (a file), `sqlite::memory:` (in-memory, lost at exit).
/// `postgres://…` is recognised and rejected with a clear message until the PostgreSQL driver lands.
public enum DatabaseURL: Sendable, Equatable, CustomStringConvertible {
    case sqliteFile(path: String)
    case sqliteMemory

    /// - Throws: ``ConfigurationError`` naming `variable` when the URL is not one of the accepted forms.
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
            throw ConfigurationError(
                variable: variable, value: "postgres://…",
                problem: "PostgreSQL is not supported by this build yet; use sqlite:///absolute/path.db or sqlite::memory:")
        } else {
            throw ConfigurationError(
                variable: variable, value: text,
                problem: "expected sqlite:///absolute/path.db or sqlite::memory:")
        }
    }

    public var description: String {
        switch self {
        case .sqliteFile(let path): return "sqlite://\(path)"
        case .sqliteMemory: return "sqlite::memory:"
        }
    }
}
