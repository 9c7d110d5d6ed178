import Logging
import NIOCore
import SQLKit

/// Forwards to a driver's `SQLDatabase`, turning driver errors into ``DatabaseError`` at the statement
/// that failed, so service code can catch `DatabaseError.uniqueViolation` right at an INSERT whichever
/// driver runs underneath.
///
/// Also times each statement and counts failures by kind in ``ServiceMetrics`` when the database has them, and notes
/// in its lease's ``LeaseWrites`` a statement that may write (``DataVersion``).
struct ErrorClassifyingDatabase: SQLDatabase {
    let base: any SQLDatabase
    var metrics: ServiceMetrics? = nil
    /// Where successful statements are noted for readiness (``QueryActivity``).
    var activity: QueryActivity? = nil
    /// Where a statement that may write is noted (`nil`: the lease does not track changes).
    var writes: LeaseWrites? = nil

    var logger: Logger { base.logger }
    var eventLoop: any EventLoop { base.eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { base.version }
    var dialect: any SQLDialect { base.dialect }
    var queryLogLevel: Logger.Level? { base.queryLogLevel }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        noteWrite(query)
        return base.execute(sql: query, onRow).flatMapErrorThrowing { throw DatabaseError.wrap($0) }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        noteWrite(query)
        let started = ContinuousClock.now
        do {
            try await base.execute(sql: query, onRow)
            activity?.recordSuccess()
            record(since: started, error: nil)
        } catch {
            let classified = DatabaseError.wrap(error)
            record(since: started, error: classified)
            throw classified
        }
    }

    private func noteWrite(_ query: any SQLExpression) {
        guard let writes, !writes.happened else { return }
        var serializer = SQLSerializer(database: base)
        query.serialize(to: &serializer)
        if LeaseWrites.mayWrite(serializer.sql) { writes.note() }
    }

    private func record(since started: ContinuousClock.Instant, error: (any Error)?) {
        guard let metrics else { return }
        let seconds = (ContinuousClock.now - started).seconds
        var kind: String?
        if let error {
            switch error as? DatabaseError {
            case .uniqueViolation: kind = "unique_violation"
            case .unavailable: kind = "unavailable"
            default: kind = "failed"
            }
        }
        metrics.recordQuery(seconds: seconds, errorKind: kind)
    }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await base.withSession { try await closure(ErrorClassifyingDatabase(base: $0, metrics: metrics, activity: activity, writes: writes)) }
    }
}
