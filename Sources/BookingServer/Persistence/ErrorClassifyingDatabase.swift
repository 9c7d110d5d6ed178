import Logging
import NIOCore
import SQLKit

/// Forwards to a driver's `SQLDatabase`, turning driver errors into ``DatabaseError`` at the statement
/// that failed, so service code can catch `DatabaseError.uniqueViolation` right at an INSERT whichever
/// driver runs underneath.
struct ErrorClassifyingDatabase: SQLDatabase {
    let base: any SQLDatabase

    var logger: Logger { base.logger }
    var eventLoop: any EventLoop { base.eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { base.version }
    var dialect: any SQLDialect { base.dialect }
    var queryLogLevel: Logger.Level? { base.queryLogLevel }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        base.execute(sql: query, onRow).flatMapErrorThrowing { throw DatabaseError.wrap($0) }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        do {
            try await base.execute(sql: query, onRow)
        } catch {
            throw DatabaseError.wrap(error)
        }
    }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await base.withSession { try await closure(ErrorClassifyingDatabase(base: $0)) }
    }
}
