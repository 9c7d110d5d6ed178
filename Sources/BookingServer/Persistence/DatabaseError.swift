import PostgresNIO
import SQLiteNIO

/// Database failures the service distinguishes.
public enum DatabaseError: Error, Sendable, CustomStringConvertible {
    /// A uniqueness constraint rejected the write; carries the constraint or column text.
    case uniqueViolation(String)
    /// The database cannot be reached or opened.
    case unavailable(String)
    /// Any other failure (the original error's description, for logs only).
    case failed(String)

    /// Classifies a driver error. Errors that are already ``DatabaseError`` or not database errors pass through.
    static func wrap(_ error: any Error) -> any Error {
        if error is DatabaseError { return error }
        if let sqlite = error as? SQLiteError {
            switch sqlite.reason {
            case .constraintUniqueFailed, .constraintPrimaryKeyFailed: return DatabaseError.uniqueViolation(sqlite.message)
            case .cantOpen, .ioError, .busy, .locked: return DatabaseError.unavailable(sqlite.message)
            default: return DatabaseError.failed(sqlite.message)
            }
        }
        if let postgres = error as? PSQLError {
            if let state = postgres.serverInfo?[.sqlState] {
                if state == PostgresError.Code.uniqueViolation.raw {
                    return DatabaseError.uniqueViolation(postgres.serverInfo?[.constraintName] ?? state)
                }
                // Class 08 (connection exception), 57P (operator intervention, e.g. shutdown), 53 (resources).
                if state.hasPrefix("08") || state.hasPrefix("57P") || state.hasPrefix("53") {
                    return DatabaseError.unavailable(state)
                }
                return DatabaseError.failed("\(state): \(postgres.serverInfo?[.message] ?? "")")
            }
            return DatabaseError.unavailable(String(describing: postgres.code))
        }
        if String(reflecting: type(of: error)).contains("ConnectionPoolError") {
            return DatabaseError.unavailable(String(describing: error))
        }
        return error
    }

    public var description: String {
        switch self {
        case .uniqueViolation(let text): return "unique violation: \(text)"
        case .unavailable(let text): return "database unavailable: \(text)"
        case .failed(let text): return "database error: \(text)"
        }
    }
}
