import Foundation
import Logging
import NIOPosix
import SQLKit
import SQLiteKit

/// The service's database: one SQL layer (SQLKit) over an embedded SQLite database.
///
/// SQLite admits one writer at a time, so the service keeps a single connection and hands it to one
/// unit of work at a time (``withConnection(_:)`` or a whole ``transaction(_:)``). Correctness rules such
/// as "one booking per slot" are enforced by constraints in the schema, not by this serialisation.
public final class BookingDatabase: Sendable {
    public let url: DatabaseURL
    private let connection: SQLiteConnection
    private let lock = AsyncSerialLock()
    private let logger: Logger

    private init(url: DatabaseURL, connection: SQLiteConnection, logger: Logger) {
        self.url = url
        self.connection = connection
        self.logger = logger
    }

    /// Opens (and for a file, creates) the database.
    /// - Throws: ``DatabaseError/unavailable(_:)`` when the file cannot be opened.
    public static func open(_ url: DatabaseURL, logger: Logger) async throws -> BookingDatabase {
        let storage: SQLiteConnection.Storage
        switch url {
        case .sqliteMemory: storage = .memory
        case .sqliteFile(let path): storage = .file(path: path)
        }
        do {
            let connection = try await SQLiteConnection.open(
                storage: storage, threadPool: .singleton, logger: logger, on: MultiThreadedEventLoopGroup.singleton.any())
            let sql = connection.sql(queryLogLevel: .trace)
            try await sql.raw("PRAGMA foreign_keys = ON").run()
            try await sql.raw("PRAGMA busy_timeout = 5000").run()
            if case .sqliteFile = url {
                try await sql.raw("PRAGMA journal_mode = WAL").run()
                try await sql.raw("PRAGMA synchronous = NORMAL").run()
            }
            return BookingDatabase(url: url, connection: connection, logger: logger)
        } catch {
            throw DatabaseError.unavailable("cannot open \(url): \(error)")
        }
    }

    /// Closes the connection; later calls fail.
    public func close() async {
        await lock.acquire()
        try? await connection.close()
        await lock.release()
    }

    /// Runs `body` with exclusive use of the connection (outside a transaction).
    public func withConnection<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        await lock.acquire()
        do {
            let result = try await body(connection.sql(queryLogLevel: .trace))
            await lock.release()
            return result
        } catch {
            await lock.release()
            throw DatabaseError.wrap(error)
        }
    }

    /// Runs `body` inside one transaction: committed when it returns, rolled back when it throws.
    public func transaction<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await withConnection { sql in
            try await sql.raw("BEGIN IMMEDIATE").run()
            do {
                let result = try await body(sql)
                try await sql.raw("COMMIT").run()
                return result
            } catch {
                try? await sql.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    /// Whether the database answers a trivial query.
    public func ping() async -> Bool {
        (try? await withConnection { sql in try await sql.raw("SELECT 1 AS ok").all().count == 1 }) ?? false
    }
}
