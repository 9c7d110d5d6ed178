import Foundation

/// The booking service running in-process on an ephemeral loopback port, backed by its own
/// embedded database (seeded from a fixtures folder when given).
public final class LiveServer: Sendable {
    /// Base URL of the running service, e.g. `http://127.0.0.1:53211`.
    public let baseURL: URL

    private init(baseURL: URL) { self.baseURL = baseURL }

    /// Boots the service on 127.0.0.1 with a fresh migrated SQLite database.
    /// - Parameter fixturesDirectory: folder of fixture JSON files to seed, or `nil` for an empty database.
    public static func start(fixturesDirectory: URL?) async throws -> LiveServer {
        throw LiveServerError(message: "the embedded booking service is being built on main; merge main to use it")
    }

    /// Stops the service and removes its database.
    public func stop() async {}
}

public struct LiveServerError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
