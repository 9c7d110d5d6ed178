import BookingServer
import Foundation
import Logging
import ServiceLifecycle

/// The booking service running in-process on an ephemeral loopback port, on a ``TestDatabase``.
///
/// ```swift
/// let server = try await LiveServer.start(database: .postgres, scenario: .standard)
/// let client = APIClient(baseURL: server.baseURL)
/// …
/// await server.stop()
/// ```
/// Router-level tests that need no socket can use HummingbirdTesting on ``BookingApplication/router(services:)``
/// instead; a live server is for what only a real socket shows (the flow runner, HTTP clients, timeouts).
public final class LiveServer: Sendable {
    /// Base URL of the running service, e.g. `http://127.0.0.1:53211`.
    public let baseURL: URL
    /// The database the server runs on (its services arrange data by the same code paths as the API).
    public let testDatabase: TestDatabase
    private let group: ServiceGroup
    private let task: Task<Void, any Error>
    /// Whether ``stop()`` drops the database (the server made it).
    private let ownsDatabase: Bool

    /// The service layer of this server.
    public var services: BookingServices { testDatabase.services }

    private init(baseURL: URL, testDatabase: TestDatabase, group: ServiceGroup, task: Task<Void, any Error>, ownsDatabase: Bool) {
        self.baseURL = baseURL
        self.testDatabase = testDatabase
        self.group = group
        self.task = task
        self.ownsDatabase = ownsDatabase
    }

    /// Boots the service on 127.0.0.1 with a new ``TestDatabase`` of its own, dropped by ``stop()``.
    /// - Parameters:
    ///   - database: SQLite (default) or PostgreSQL.
    ///   - scenario: the starting data (default: ``DatabaseScenario/empty``; ``DatabaseScenario/standard`` is `Fixtures/`).
    ///   - environment: configuration variables over the test defaults (`ILLAJWALA_ENV=test`, bcrypt cost 4,
    ///     development secrets); the process environment is not read, so servers are isolated from each other.
    ///   - logLevel: level of the server's log (stderr); default `warning` keeps test output quiet.
    ///   - logger: where the HTTP service logs instead (e.g. ``LogCapture/logger(label:level:)``); `logLevel` is then unused.
    /// - Throws: what ``TestDatabase/make(_:scenario:environment:logLevel:)`` throws; ``LiveServerError`` when the
    ///   server cannot bind.
    public static func start(
        database kind: DatabaseKind = .sqlite, scenario: DatabaseScenario = .empty, environment: [String: String] = [:],
        logLevel: Logger.Level = .warning, logger: Logger? = nil
    ) async throws -> LiveServer {
        let testDatabase = try await TestDatabase.make(kind, scenario: scenario, environment: environment, logLevel: logLevel)
        do {
            return try await start(on: testDatabase, owning: true, logger: logger ?? TestEnvironment.logger("illajwala-live-server", level: logLevel))
        } catch {
            await testDatabase.drop()
            throw error
        }
    }

    /// Boots the service on an existing database (which ``stop()`` leaves to its owner).
    /// - Parameters:
    ///   - logLevel: level of the server's log (stderr) when no `logger` is given.
    ///   - logger: where the HTTP service logs instead.
    /// - Throws: ``LiveServerError`` when the server cannot bind.
    public static func start(on testDatabase: TestDatabase, logLevel: Logger.Level = .warning, logger: Logger? = nil) async throws -> LiveServer {
        try await start(on: testDatabase, owning: false, logger: logger ?? TestEnvironment.logger("illajwala-live-server", level: logLevel))
    }

    private static func start(on testDatabase: TestDatabase, owning: Bool, logger: Logger) async throws -> LiveServer {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let readiness = ServiceReadiness()
        let app = BookingApplication.make(
            services: testDatabase.services, host: "127.0.0.1", port: 0, logger: logger, readiness: readiness,
            onServerRunning: { channel in
                if let port = channel.localAddress?.port { continuation.yield(port) }
                continuation.finish()
            })
        let group = BookingApplication.serviceGroup(
            app: app, readiness: readiness, configuration: testDatabase.configuration, gracefulShutdownSignals: [],
            background: [RefundReconciler(payments: testDatabase.services.payments, interval: .seconds(2), logger: logger)]
                + testDatabase.services.backgroundServices, logger: logger)
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
            baseURL: URL(string: "http://127.0.0.1:\(port)")!, testDatabase: testDatabase, group: group, task: task, ownsDatabase: owning)
    }

    /// Stops the service gracefully (in-flight requests finish) and drops its database if it made it.
    public func stop() async {
        await group.triggerGracefulShutdown()
        _ = await task.result
        if ownsDatabase { await testDatabase.drop() }
    }

    /// Runs `body` with a new server and stops it afterwards, also when `body` throws.
    public static func withServer<T: Sendable>(
        database kind: DatabaseKind = .sqlite, scenario: DatabaseScenario = .empty, environment: [String: String] = [:],
        logLevel: Logger.Level = .warning, _ body: (LiveServer) async throws -> T
    ) async throws -> T {
        let server = try await start(database: kind, scenario: scenario, environment: environment, logLevel: logLevel)
        do {
            let result = try await body(server)
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }
}

/// The live server could not be started.
public struct LiveServerError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
