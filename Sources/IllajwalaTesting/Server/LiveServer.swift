import BookingServer
import Foundation
import Logging
import ServiceLifecycle

/// The booking service running in-process on an ephemeral loopback port, backed by its own SQLite
/// database in a temporary folder (migrated, and seeded from a fixtures folder when given).
///
/// ```swift
/// let server = try await LiveServer.start(fixturesDirectory: URL(fileURLWithPath: "Fixtures"))
/// defer { Task { await server.stop() } }
/// let client = HTTPTransport()
/// let response = try await client.send(APIRequest(url: server.baseURL.appendingPathComponent("health")))
/// ```
public final class LiveServer: Sendable {
    /// Base URL of the running service, e.g. `http://127.0.0.1:53211`.
    public let baseURL: URL
    /// The service layer of this server, for arranging data directly (same code paths as the API).
    public let services: BookingServices
    private let group: ServiceGroup
    private let task: Task<Void, any Error>
    private let folder: URL
    /// The PostgreSQL database to drop at stop, if the server runs on PostgreSQL.
    private let postgresDatabase: String?

    private init(
        baseURL: URL, services: BookingServices, group: ServiceGroup, task: Task<Void, any Error>, folder: URL, postgresDatabase: String?
    ) {
        self.baseURL = baseURL
        self.services = services
        self.group = group
        self.task = task
        self.folder = folder
        self.postgresDatabase = postgresDatabase
    }

    /// Boots the service on 127.0.0.1 with a fresh migrated database of its own.
    /// - Parameters:
    ///   - database: SQLite in a temporary file (default) or a new PostgreSQL database on ``PostgresTestServer``.
    ///   - fixturesDirectory: folder of fixture JSON files to seed, or `nil` for an empty database.
    ///   - environment: configuration variables on top of the test defaults (`ILLAJWALA_ENV=test`, bcrypt cost 4,
    ///     development secrets); the process environment is not read, so servers are isolated from each other.
    ///   - logLevel: level of the server's log (stderr); default `warning` keeps test output quiet.
    /// - Throws: ``FixtureError`` for bad fixtures, ``LiveServerError`` when the server cannot bind.
    public static func start(
        database kind: DatabaseKind = .sqlite, fixturesDirectory: URL?, environment: [String: String] = [:],
        logLevel: Logger.Level = .warning
    ) async throws -> LiveServer {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("illajwala-live-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var postgresDatabase: String?
        var databaseURL = "sqlite://\(folder.path)/booking.db"
        if kind == .postgres {
            let location = try await PostgresTestServer.shared.createDatabase()
            postgresDatabase = location.database
            databaseURL = location.url
        }
        var variables = ["ILLAJWALA_ENV": "test", "DATABASE_URL": databaseURL, "LOG_LEVEL": logLevel.rawValue]
        variables.merge(environment) { _, new in new }
        var logger = Logger(label: "illajwala-live-server")
        logger.logLevel = logLevel
        var opened: BookingDatabase?
        do {
            let configuration = try ServerConfiguration(environment: variables)
            let database = try await BookingDatabase.open(configuration.databaseURL, logger: logger, options: configuration.databaseOptions)
            opened = database
            try await Migrator(database: database).migrateUp()
            let services = await BookingServices(database: database, configuration: configuration)
            if let fixturesDirectory {
                try await FixtureSeeder(services: services).seed(try FixtureSet.load(from: fixturesDirectory))
            }
            let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
            let app = BookingApplication.make(
                services: services, host: "127.0.0.1", port: 0, logger: logger,
                onServerRunning: { channel in
                    if let port = channel.localAddress?.port { continuation.yield(port) }
                    continuation.finish()
                })
            let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
            let task = Task {
                defer { continuation.finish() }
                try await group.run()
            }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else {
                let failure = await task.result
                throw LiveServerError(message: "the booking service did not start: \(failure)")
            }
            return LiveServer(
                baseURL: URL(string: "http://127.0.0.1:\(port)")!, services: services, group: group, task: task, folder: folder,
                postgresDatabase: postgresDatabase)
        } catch {
            await opened?.close()
            try? FileManager.default.removeItem(at: folder)
            if let postgresDatabase { await PostgresTestServer.shared.dropDatabase(postgresDatabase) }
            throw error
        }
    }

    /// Stops the service gracefully (in-flight requests finish), closes and removes its database.
    public func stop() async {
        await group.triggerGracefulShutdown()
        _ = await task.result
        await services.database.close()
        try? FileManager.default.removeItem(at: folder)
        if let postgresDatabase { await PostgresTestServer.shared.dropDatabase(postgresDatabase) }
    }
}

/// The live server could not be started.
public struct LiveServerError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
