import BookingServer
import Foundation
import Logging
import NIOPosix
import PostgresNIO
import SQLKit
import Synchronization

/// The PostgreSQL server every test of this process shares, each in a database of its own: the one
/// `DATABASE_URL` names (`postgres://…`), else a ``LocalPostgresCluster`` started for this process when the server
/// binaries are installed. (A test that stops its server uses a ``PrivatePostgresServer`` instead.) Each caller gets a database of its own (``createDatabase()``), dropped by ``dropDatabase(_:)``.
public actor SharedPostgresServer {
    /// The process-wide server.
    public static let shared = SharedPostgresServer()

    /// Why PostgreSQL tests cannot run here, or `nil` when they can (decided without starting anything).
    /// Computed once per process: it looks at the environment and lists `/usr/lib/postgresql`, and every
    /// PostgreSQL test asks.
    public nonisolated static let unavailableReason: String? = {
        if let url = ProcessInfo.processInfo.environment["DATABASE_URL"], isPostgresURL(url) { return nil }
        if LocalPostgresCluster.locateBinaries() != nil { return nil }
        return "PostgreSQL tests are skipped: set DATABASE_URL=postgres://user@host:port/database or install the server binaries (apt-get install postgresql)"
    }()

    /// Whether `url` is a PostgreSQL URL (`postgres://` or `postgresql://`).
    nonisolated static func isPostgresURL(_ url: String) -> Bool {
        url.hasPrefix("postgres://") || url.hasPrefix("postgresql://")
    }

    /// Whether PostgreSQL tests can run here.
    public nonisolated static var isAvailable: Bool { unavailableReason == nil }

    private typealias Administration = (location: DatabaseURL.PostgresLocation, database: BookingDatabase)
    /// Set-up happens once; concurrent first callers await the same task (the actor is re-entrant across awaits).
    private var administration: Task<Administration, any Error>?
    private let logger: Logger = {
        var logger = Logger(label: "illajwala-postgres-test-server")
        logger.logLevel = .critical
        return logger
    }()

    /// Prefix of every database this library creates (and only those are ever dropped).
    public static let databasePrefix = "illajwala_test_"

    private func administrationDatabase() async throws -> Administration {
        if let administration { return try await administration.value }
        let logger = self.logger
        let setUp = Task { try await Self.setUp(logger: logger) }
        administration = setUp
        return try await setUp.value
    }

    private static func setUp(logger: Logger) async throws -> Administration {
        let location: DatabaseURL.PostgresLocation
        if let url = ProcessInfo.processInfo.environment["DATABASE_URL"], isPostgresURL(url) {
            guard case .postgres(let parsed) = try DatabaseURL(parsing: url) else {
                throw SharedPostgresServerError(message: "DATABASE_URL is not a PostgreSQL URL")
            }
            location = parsed
        } else if let binaries = LocalPostgresCluster.locateBinaries() {
            let cluster = try LocalPostgresCluster.start(binaries: binaries)
            // Stopping the cluster removes every database in it.
            ProcessExitCleanup.register { cluster.stop() }
            guard case .postgres(let parsed) = try DatabaseURL(parsing: "postgres://postgres@127.0.0.1:\(cluster.port)/postgres") else {
                throw SharedPostgresServerError(message: "internal: bad cluster URL")
            }
            location = parsed
        } else {
            throw SharedPostgresServerError(message: Self.unavailableReason ?? "PostgreSQL is unavailable")
        }
        let database = try await BookingDatabase.open(.postgres(location), logger: logger, options: .init(poolSize: 4))
        if let url = ProcessInfo.processInfo.environment["DATABASE_URL"], isPostgresURL(url) {
            ProcessExitCleanup.register { OutstandingDatabases.dropAll(on: location) }
        }
        return (location, database)
    }

    /// Creates a database with a unique name and returns where it is.
    /// - Parameters:
    ///   - template: a database made by this server to copy (`CREATE DATABASE … TEMPLATE`, PostgreSQL docs
    ///     "Template Databases"); nobody may be connected to it. `nil` copies the server's empty `template1`.
    ///   - role: a word put into the name (`illajwala_test_<role>_<random>`) so leftovers say what they were.
    /// - Throws: ``SharedPostgresServerError`` when the server is unavailable; the driver's error when the copy fails.
    public func createDatabase(template: String? = nil, role: String = "db") async throws -> DatabaseURL.PostgresLocation {
        let (location, database) = try await administrationDatabase()
        let random = UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12)
        let name = "\(Self.databasePrefix)\(role)_\(random)"
        guard Self.isOwnName(name) else { throw SharedPostgresServerError(message: "bad database role word \(role)") }
        if let template, !Self.isOwnName(template) {
            throw SharedPostgresServerError(message: "\(template) is not a database made by the test server")
        }
        // FILE_COPY copies the template's files without writing them through the WAL: for the small
        // databases of tests it is the faster strategy (see scripts/benchmark-test-databases.sh).
        let copy = template.map { " TEMPLATE \($0) STRATEGY FILE_COPY" } ?? ""
        OutstandingDatabases.insert(name)
        do {
            try await database.withConnection { sql in
                try await sql.raw("CREATE DATABASE \(unsafeRaw: name)\(unsafeRaw: copy)").run()
            }
        } catch {
            OutstandingDatabases.remove(name)
            throw error
        }
        return location.with(database: name)
    }

    /// Whether `name` is a database this library creates (prefix and safe characters only).
    static func isOwnName(_ name: String) -> Bool {
        name.hasPrefix(databasePrefix) && name.count <= 63 && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
    }

    /// Drops a database made by ``createDatabase()``, closing any connections still open to it.
    public func dropDatabase(_ name: String) async {
        guard Self.isOwnName(name), let (_, database) = try? await administrationDatabase()
        else { return }
        let dropped =
            (try? await database.withConnection { sql in
                try await sql.raw("DROP DATABASE IF EXISTS \(unsafeRaw: name) WITH (FORCE)").run()
            }) != nil
        if dropped { OutstandingDatabases.remove(name) }
    }

    /// Drops in flight, by database name.
    private var pendingDrops: [String: Task<Void, Never>] = [:]

    /// Starts dropping `name` in the background and returns at once: a test's teardown does not wait for
    /// `DROP DATABASE` (≈ 10 ms), which then overlaps with the next test. ``waitForDrop(_:)``,
    /// ``remainingTestDatabases()`` and process exit all wait for (or finish) the drop.
    /// At most this many drops run in the background; a further teardown waits for them (backpressure).
    static let maximumPendingDrops = 4

    public func scheduleDrop(_ name: String) async {
        guard pendingDrops[name] == nil else { return }
        if pendingDrops.count >= Self.maximumPendingDrops { await waitForPendingDrops() }
        pendingDrops[name] = Task {
            await self.dropDatabase(name)
            self.pendingDrops[name] = nil
        }
    }

    /// Waits until a drop of `name` started by ``scheduleDrop(_:)`` has finished.
    public func waitForDrop(_ name: String) async {
        await pendingDrops[name]?.value
    }

    /// Waits until every scheduled drop has finished.
    public func waitForPendingDrops() async {
        while let next = pendingDrops.values.first { await next.value }
    }

    /// Names of the databases this library created that still exist (after scheduled drops have finished).
    public func remainingTestDatabases() async throws -> [String] {
        await waitForPendingDrops()
        let (_, database) = try await administrationDatabase()
        return try await database.withConnection { sql in
            try await sql.raw("SELECT CAST(datname AS TEXT) AS datname FROM pg_database WHERE datname LIKE \(bind: Self.databasePrefix + "%") ORDER BY datname")
                .all()
                .map { try $0.decode(column: "datname", as: String.self) }
        }
    }
}

/// A PostgreSQL test server problem.
public struct SharedPostgresServerError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// The databases this process created on a `DATABASE_URL` server and has not dropped yet (templates,
/// prefetched copies, databases of tests that never called `drop()`); dropped at exit.
enum OutstandingDatabases {
    private static let names = Mutex<Set<String>>([])

    static func insert(_ name: String) { _ = names.withLock { $0.insert(name) } }
    static func remove(_ name: String) { _ = names.withLock { $0.remove(name) } }

    /// Drops every outstanding database with blocking SwiftNIO calls (safe inside an `atexit` handler).
    static func dropAll(on location: DatabaseURL.PostgresLocation) {
        let pending = names.withLock { names in
            defer { names = [] }
            return names.sorted()
        }
        guard !pending.isEmpty else { return }
        var logger = Logger(label: "illajwala-test-exit")
        logger.logLevel = .critical
        let mode = location.sslMode
        let tls: PostgresConnection.Configuration.TLS
        switch mode {
        case "require", "verify-ca", "verify-full", "prefer":
            guard let context = try? NIOSSLContext(configuration: .makeClientConfiguration()) else { return }
            tls = mode == "prefer" ? .prefer(context) : .require(context)
        default:
            tls = .disable
        }
        let configuration = PostgresConnection.Configuration(
            host: location.host, port: location.port, username: location.username, password: location.password,
            database: location.database, tls: tls)
        guard
            let connection = try? PostgresConnection.connect(
                on: MultiThreadedEventLoopGroup.singleton.any(), configuration: configuration, id: 1, logger: logger
            ).wait()
        else { return }
        for name in pending where SharedPostgresServer.isOwnName(name) {
            _ = try? connection.simpleQuery("DROP DATABASE IF EXISTS \(name) WITH (FORCE)").wait()
        }
        try? connection.close().wait()
    }
}
