import Foundation
import Logging
import NIOPosix
import PostgresKit
import PostgresNIO
import SQLKit
import SQLiteKit
import Synchronization

/// The service's database: one SQL layer (SQLKit) over two real drivers — embedded SQLite and PostgreSQL.
///
/// - SQLite admits one writer at a time, so the service keeps a single connection and hands it to one
///   unit of work at a time (``withConnection(_:)`` or a whole ``transaction(_:)``).
/// - PostgreSQL uses PostgresNIO's connection pool (`PostgresClient`), sized by ``Options/poolSize``, with a
///   server-side `statement_timeout` on every connection.
///
/// Correctness rules such as "one booking per slot" are enforced by constraints in the schema, never by
/// this serialisation, so both drivers behave the same under concurrency.
public final class BookingDatabase: Sendable {
    /// Tuning of the PostgreSQL driver (ignored by SQLite).
    public struct Options: Sendable {
        /// Maximum pooled connections.
        public var poolSize: Int
        /// Server-side statement timeout in milliseconds.
        public var statementTimeoutMilliseconds: Int

        /// How long a request waits for a pooled connection before it fails with ``DatabaseError/unavailable(_:)``
        /// (503 SERVICE_UNAVAILABLE), in milliseconds. While PostgreSQL is down the pool keeps reconnecting in the
        /// background, and without this bound every request would wait for it.
        public var acquireTimeoutMilliseconds: Int

        public init(poolSize: Int = 10, statementTimeoutMilliseconds: Int = 5_000, acquireTimeoutMilliseconds: Int = 5_000) {
            self.poolSize = poolSize
            self.statementTimeoutMilliseconds = statementTimeoutMilliseconds
            self.acquireTimeoutMilliseconds = acquireTimeoutMilliseconds
        }
    }

    /// Which SQL dialect the database speaks, for the few statements that differ.
    public enum Dialect: Sendable { case sqlite, postgres }

    private enum Driver: Sendable {
        case sqlite(SQLiteConnection, AsyncSerialLock, NIOThreadPool)
        case postgres(PostgresClient, Task<Void, Never>)
    }

    public let url: DatabaseURL
    private let driver: Driver
    private let logger: Logger
    /// Where statement timings, errors and pool use are recorded (``attach(_:)``).
    private let metrics = Mutex<ServiceMetrics?>(nil)
    /// When a statement last succeeded (readiness tells busy from down with it).
    let activity = QueryActivity()
    /// Advances after every lease that wrote (read caches compare it, ``ReadResponseCache``).
    public let changes = DataVersion()
    /// Connections the service may hold at once (1 for SQLite).
    public let poolSize: Int
    /// See ``Options/acquireTimeoutMilliseconds``.
    let acquireTimeoutMilliseconds: Int

    private init(url: DatabaseURL, driver: Driver, logger: Logger, poolSize: Int, acquireTimeoutMilliseconds: Int = 5_000) {
        self.url = url
        self.driver = driver
        self.logger = logger
        self.poolSize = poolSize
        self.acquireTimeoutMilliseconds = acquireTimeoutMilliseconds
    }

    /// Records every statement's duration and failures, and the pool's use, in `metrics` from now on.
    public func attach(_ metrics: ServiceMetrics) {
        self.metrics.withLock { $0 = metrics }
        metrics.setPoolSize(poolSize)
    }

    public var dialect: Dialect {
        if case .postgres = driver { return .postgres }
        return .sqlite
    }

    /// Opens the database (a SQLite file is created when missing; a PostgreSQL pool is started and probed).
    /// - Throws: ``DatabaseError/unavailable(_:)`` when it cannot be opened or reached.
    public static func open(_ url: DatabaseURL, logger: Logger, options: Options = Options()) async throws -> BookingDatabase {
        switch url {
        case .sqliteMemory, .sqliteFile:
            let storage: SQLiteConnection.Storage
            if case .sqliteFile(let path) = url { storage = .file(path: path) } else { storage = .memory }
            // SQLite calls block their thread: give each database its own thread so that neither bcrypt work on
            // the shared pool nor another database (parallel tests) waits behind it.
            let threadPool = NIOThreadPool(numberOfThreads: 1)
            threadPool.start()
            do {
                let connection = try await SQLiteConnection.open(
                    storage: storage, threadPool: threadPool, logger: logger, on: MultiThreadedEventLoopGroup.singleton.any())
                let sql = connection.sql(queryLogLevel: .trace)
                try await sql.raw("PRAGMA foreign_keys = ON").run()
                try await sql.raw("PRAGMA busy_timeout = 5000").run()
                if case .sqliteFile = url {
                    try await sql.raw("PRAGMA journal_mode = WAL").run()
                    try await sql.raw("PRAGMA synchronous = NORMAL").run()
                }
                return BookingDatabase(url: url, driver: .sqlite(connection, AsyncSerialLock(), threadPool), logger: logger, poolSize: 1)
            } catch {
                try? await threadPool.shutdownGracefully()
                throw DatabaseError.unavailable("cannot open \(url): \(error)")
            }
        case .postgres(let location):
            var configuration = PostgresClient.Configuration(
                host: location.host, port: location.port, username: location.username, password: location.password,
                database: location.database, tls: Self.tls(for: location))
            configuration.options.maximumConnections = options.poolSize
            configuration.options.connectTimeout = .seconds(5)
            configuration.options.additionalStartupParameters = [
                ("statement_timeout", String(options.statementTimeoutMilliseconds)),
                ("application_name", "illajwala-api"),
            ]
            let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
            let task = Task { await client.run() }
            let database = BookingDatabase(
                url: url, driver: .postgres(client, task), logger: logger, poolSize: options.poolSize,
                acquireTimeoutMilliseconds: options.acquireTimeoutMilliseconds)
            guard await database.ping(timeout: .seconds(5)) else {
                task.cancel()
                throw DatabaseError.unavailable("cannot reach \(url)")
            }
            return database
        }
    }

    private static func tls(for location: DatabaseURL.PostgresLocation) -> PostgresClient.Configuration.TLS {
        let mode = location.sslMode
        switch mode {
        case "require", "verify-ca", "verify-full": return .require(.makeClientConfiguration())
        case "prefer": return .prefer(.makeClientConfiguration())
        default: return .disable
        }
    }

    /// Closes the connection or pool; later calls fail.
    public func close() async {
        switch driver {
        case .sqlite(let connection, let lock, let threadPool):
            await lock.acquire()
            try? await connection.close()
            await lock.release()
            try? await threadPool.shutdownGracefully()
        case .postgres(_, let task):
            task.cancel()
            _ = await task.value
        }
    }

    /// Runs `body` with one connection for its whole duration (outside a transaction).
    ///
    /// When `body` ran a statement that may write, ``changes`` advances once the lease has ended (after the commit
    /// of a ``transaction(_:)``); `tracksChanges: false` is for writes no cached answer depends on (the rate
    /// limiter's counters), so they do not empty the read caches on every request.
    /// - Throws: the body's errors, with driver errors classified as ``DatabaseError``.
    public func withConnection<T: Sendable>(
        tracksChanges: Bool = true, _ body: @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T {
        let writes = tracksChanges ? LeaseWrites() : nil
        defer { if writes?.happened == true { changes.advance() } }
        let metrics = self.metrics.withLock { $0 }
        let activity = self.activity
        switch driver {
        case .sqlite(let connection, let lock, _):
            await lock.acquire()
            metrics?.connectionInUse(1)
            defer { metrics?.connectionInUse(-1) }
            do {
                let result = try await body(
                    ErrorClassifyingDatabase(
                        base: connection.sql(queryLogLevel: .trace), metrics: metrics, activity: activity, writes: writes))
                await lock.release()
                return result
            } catch {
                await lock.release()
                throw DatabaseError.wrap(error)
            }
        case .postgres(let client, _):
            let acquired = LeaseFlag()
            let acquireTimeout = Duration.milliseconds(acquireTimeoutMilliseconds)
            do {
                // The lease races a timer that only counts until a connection is handed out; leases honour task
                // cancellation, so a request waiting for a database that is down gives up after acquireTimeout.
                // The group awaits every child before it returns, so `body` does not outlive this call.
                return try await withoutActuallyEscaping(body) { body in
                    try await withThrowingTaskGroup(of: T?.self) { group in
                        group.addTask {
                            try await client.withConnection { connection in
                                acquired.raise()
                                metrics?.connectionInUse(1)
                                defer { metrics?.connectionInUse(-1) }
                                return try await body(
                                    ErrorClassifyingDatabase(
                                        base: connection.sql(queryLogLevel: .trace), metrics: metrics, activity: activity, writes: writes))
                            }
                        }
                        group.addTask {
                            try await Task.sleep(for: acquireTimeout)
                            if acquired.isRaised { return nil }
                            throw DatabaseError.unavailable("no database connection within \(acquireTimeout)")
                        }
                        while let finished = try await group.next() {
                            if let result = finished {
                                group.cancelAll()
                                return result
                            }
                        }
                        throw DatabaseError.unavailable("the connection lease ended without a result")
                    }
                }
            } catch {
                throw DatabaseError.wrap(error)
            }
        }
    }

    /// Runs `body` inside one transaction: committed when it returns, rolled back when it throws.
    public func transaction<T: Sendable>(
        tracksChanges: Bool = true, _ body: @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T {
        let begin = dialect == .sqlite ? "BEGIN IMMEDIATE" : "BEGIN"
        return try await withConnection(tracksChanges: tracksChanges) { sql in
            try await sql.raw(SQLQueryString(begin)).run()
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

    /// Whether the database answers a trivial query within `timeout`, or answered any other statement meanwhile (a
    /// busy pool, or SQLite's single connection queued behind requests, delays the probe's own query but is not down).
    public func ping(timeout: Duration = .seconds(1)) async -> Bool {
        let started = ContinuousClock.now
        if await probe(timeout: timeout) { return true }
        return activity.answered(since: started)
    }

    /// Whether the database answers a trivial query within `timeout`.
    private func probe(timeout: Duration) async -> Bool {
        // Not a task group: a group waits for its children, and a query to a server that stopped answering (frozen
        // rather than refusing connections) ignores cancellation, so the probe would last as long as the freeze.
        // The query runs in a task of its own; the first of its answer and the timer decides, a late answer is dropped.
        let outcome = PingOutcome()
        return await withCheckedContinuation { continuation in
            outcome.start(continuation)
            let query = Task {
                outcome.finish((try? await self.withConnection { sql in try await sql.raw("SELECT 1 AS ok").all().count == 1 }) ?? false)
            }
            Task {
                try? await Task.sleep(for: timeout)
                outcome.finish(false)
                query.cancel()
            }
        }
    }
}

/// Set once a connection lease has been granted (shared by the lease and its timer).
private final class LeaseFlag: Sendable {
    private let raised = Atomic(false)
    func raise() { raised.store(true, ordering: .releasing) }
    var isRaised: Bool { raised.load(ordering: .acquiring) }
}

/// The answer of one ``BookingDatabase/ping(timeout:)``: the first of the query and the timer resumes the caller.
private final class PingOutcome: Sendable {
    private let continuation = Mutex<CheckedContinuation<Bool, Never>?>(nil)
    func start(_ waiting: CheckedContinuation<Bool, Never>) { continuation.withLock { $0 = waiting } }
    func finish(_ answer: Bool) {
        continuation.withLock { waiting in
            waiting?.resume(returning: answer)
            waiting = nil
        }
    }
}
