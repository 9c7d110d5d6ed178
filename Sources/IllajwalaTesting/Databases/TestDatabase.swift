import BookingServer
import Foundation
import Logging
import Synchronization

/// A database of one test's own: migrated, seeded with a ``DatabaseScenario``, and removed by ``drop()``.
///
/// Set-up copies a per-process template (built once per kind and scenario), so it costs milliseconds:
/// - SQLite: the template file is copied to a new file (`scripts/benchmark-test-databases.sh` measures it);
/// - PostgreSQL: `CREATE DATABASE … TEMPLATE` on ``SharedPostgresServer`` (`DATABASE_URL`, or a throwaway
///   cluster started for the process), made ahead of demand (`ILLAJWALA_TEST_PG_PREFETCH` copies, default 2)
///   and dropped in the background afterwards (`DROP DATABASE … WITH (FORCE)`).
///
/// Prefer the scoped forms, which drop the database also when the test throws:
/// ```swift
/// try await TestDatabase.withDatabase(.postgres, scenario: .standard) { db in
///     let patient = try await db.builders.patient()
///     …
/// }
/// ```
/// or the Swift Testing trait `@Test(.isolatedDatabase(.postgres))` (module `IllajwalaSwiftTesting`) and
/// the XCTest base class `DatabaseTestCase` (module `IllajwalaXCTest`).
public final class TestDatabase: Sendable {
    /// The engine.
    public let kind: DatabaseKind
    /// The data the database started with.
    public let scenario: DatabaseScenario
    /// The service layer on this database (the same code paths as the API), with the test configuration.
    public let services: BookingServices
    /// `DATABASE_URL` of this database (for a server process or a tool; includes credentials).
    public let url: String
    /// The variables given at creation, kept for a ``LiveServer`` started on this database.
    let environment: [String: String]
    private let removal: Removal
    private let dropped = Mutex(false)

    private enum Removal: Sendable {
        case sqliteFile(URL)
        case postgres(String)
    }

    /// The open database.
    public var database: BookingDatabase { services.database }
    /// The configuration the services run with (`ILLAJWALA_ENV=test` plus the overrides given).
    public var configuration: ServerConfiguration { services.configuration }
    /// Entity builders in the default tenant.
    public var builders: EntityBuilders { EntityBuilders(services: services) }

    private init(kind: DatabaseKind, scenario: DatabaseScenario, services: BookingServices, url: String, environment: [String: String], removal: Removal) {
        self.kind = kind
        self.scenario = scenario
        self.services = services
        self.url = url
        self.environment = environment
        self.removal = removal
    }

    /// Creates a database for one test. Call ``drop()`` when done (the scoped forms do it for you).
    /// - Parameters:
    ///   - kind: SQLite (always available) or PostgreSQL (see ``SharedPostgresServer/unavailableReason``).
    ///   - scenario: the starting data (default: ``DatabaseScenario/empty``).
    ///   - environment: configuration variables over the test defaults (e.g. `ACCESS_TOKEN_TTL_SECONDS`); an unknown
    ///     name or `DATABASE_URL` is a ``ConfigurationError``.
    ///   - logLevel: level of the service's log.
    /// - Throws: ``SharedPostgresServerError`` when PostgreSQL is unavailable, ``FixtureError`` for a bad scenario,
    ///   ``ConfigurationError`` for a bad override, driver errors when the copy fails.
    public static func make(
        _ kind: DatabaseKind = .sqlite, scenario: DatabaseScenario = .empty, environment: [String: String] = [:],
        logLevel: Logger.Level = .critical
    ) async throws -> TestDatabase {
        let template = try await DatabaseTemplates.shared.template(kind, scenario)
        let url: String
        let removal: Removal
        switch template {
        case .sqliteFile(let templateFile):
            let file = DatabaseTemplates.folder.appendingPathComponent("test-\(UUID().uuidString).sqlite")
            try FileManager.default.copyItem(at: templateFile, to: file)
            url = "sqlite://\(file.path)"
            removal = .sqliteFile(file)
        case .postgres(let templateName):
            let location = try await DatabaseTemplates.shared.postgresCopy(of: templateName)
            url = location.url
            removal = .postgres(location.database)
        }
        do {
            let configuration = try TestEnvironment.configuration(databaseURL: url, overrides: environment, logLevel: logLevel)
            // The configured driver options, with a smaller pool than a service's unless the test sets one: many
            // test databases are open at once on one server.
            var options = configuration.database.options
            if environment["DATABASE_POOL_SIZE"] == nil { options.poolSize = 4 }
            let database = try await BookingDatabase.open(
                configuration.database.url, logger: TestEnvironment.logger("illajwala-test-database", level: logLevel), options: options)
            let services = await BookingServices(database: database, configuration: configuration)
            let made = TestDatabase(kind: kind, scenario: scenario, services: services, url: url, environment: environment, removal: removal)
            UndroppedDatabases.insert(made)
            return made
        } catch {
            await Self.remove(removal)
            throw error
        }
    }

    /// Runs `body` with a new database and drops it afterwards, also when `body` throws.
    /// - Parameters: as ``make(_:scenario:environment:logLevel:)``.
    /// - Returns: what `body` returns.
    public static func withDatabase<T: Sendable>(
        _ kind: DatabaseKind = .sqlite, scenario: DatabaseScenario = .empty, environment: [String: String] = [:],
        logLevel: Logger.Level = .critical, _ body: (TestDatabase) async throws -> T
    ) async throws -> T {
        let database = try await make(kind, scenario: scenario, environment: environment, logLevel: logLevel)
        do {
            let result = try await body(database)
            await database.drop()
            return result
        } catch {
            await database.drop()
            throw error
        }
    }

    /// The database of the current test, set by the `isolatedDatabase` trait and ``DatabaseTestCase`` for the
    /// task running the test (and its child tasks).
    @TaskLocal public static var current: TestDatabase?

    /// ``current``, or an error that says how to get one.
    /// - Throws: ``TestDatabaseError`` when the test has no isolated database.
    public static func required() throws -> TestDatabase {
        guard let current else {
            throw TestDatabaseError(message: "this test has no isolated database: add the trait .isolatedDatabase(…) or use TestDatabase.withDatabase")
        }
        return current
    }

    /// Closes the database and removes it. Safe to call more than once.
    ///
    /// A SQLite file is deleted at once. A PostgreSQL database is closed at once (no connection remains) and
    /// dropped in the background (``SharedPostgresServer/scheduleDrop(_:)``), so teardown does not wait for
    /// `DROP DATABASE`; ``exists()`` and ``SharedPostgresServer/remainingTestDatabases()`` wait for it, and
    /// process exit finishes any drop still pending.
    public func drop() async {
        let first = dropped.withLock { wasDropped in
            defer { wasDropped = true }
            return !wasDropped
        }
        guard first else { return }
        UndroppedDatabases.remove(self)
        await services.database.close()
        await Self.remove(removal)
    }

    /// Whether the database still exists (its file, or its PostgreSQL database).
    public func exists() async throws -> Bool {
        switch removal {
        case .sqliteFile(let file): return FileManager.default.fileExists(atPath: file.path)
        case .postgres(let name):
            await SharedPostgresServer.shared.waitForDrop(name)
            return try await SharedPostgresServer.shared.remainingTestDatabases().contains(name)
        }
    }

    private static func remove(_ removal: Removal) async {
        switch removal {
        case .sqliteFile(let file):
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: file.path + suffix) }
        case .postgres(let name):
            await SharedPostgresServer.shared.scheduleDrop(name)
        }
    }
}

/// Databases made by ``TestDatabase/make(_:scenario:environment:logLevel:)`` and not dropped yet. Holding them
/// keeps a forgotten database open until the process exits (a SQLite connection deallocated while open stops
/// a debug process), and lets the exit report name what a test forgot to drop.
enum UndroppedDatabases {
    private static let open = Mutex<[ObjectIdentifier: TestDatabase]>([:])
    private static let reportAtExit: Void = ProcessExitCleanup.register { UndroppedDatabases.report() }

    static func insert(_ database: TestDatabase) {
        _ = reportAtExit
        open.withLock { $0[ObjectIdentifier(database)] = database }
    }

    static func remove(_ database: TestDatabase) {
        _ = open.withLock { $0.removeValue(forKey: ObjectIdentifier(database)) }
    }

    /// Warns on stderr about databases never dropped (their files and PostgreSQL databases are still removed at exit).
    private static func report() {
        let forgotten = open.withLock { $0.values.map { "\($0.kind) \($0.scenario.name)" }.sorted() }
        guard !forgotten.isEmpty else { return }
        let message =
            "warning: \(forgotten.count) test database(s) were never dropped (\(forgotten.joined(separator: ", "))): "
            + "call drop(), or use TestDatabase.withDatabase, the .isolatedDatabase trait or DatabaseTestCase\n"
        FileHandle.standardError.write(Data(message.utf8))
    }
}

/// A test asked for an isolated database it does not have.
public struct TestDatabaseError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
