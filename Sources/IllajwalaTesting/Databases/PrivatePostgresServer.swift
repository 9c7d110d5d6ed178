import Foundation

/// A PostgreSQL server of one test's own, for tests that take the database away and bring it back (an outage
/// drill): unlike the shared ``SharedPostgresServer``, stopping it disturbs no other test.
///
/// ```swift
/// let server = try PrivatePostgresServer.start()
/// defer { server.remove() }
/// // run the service on server.url …
/// try server.stopServer()    // the database is gone
/// try server.startServer()   // and back, with its data
/// ```
///
/// The cluster lives in a temporary folder on a free loopback port; ``remove()`` (or the next test process, when
/// this one crashed) deletes it.
public final class PrivatePostgresServer: Sendable {
    private let cluster: LocalPostgresCluster

    /// Why no server can be made here (PostgreSQL's server binaries are not installed), or `nil`.
    public static var unavailableReason: String? {
        LocalPostgresCluster.locateBinaries() == nil
            ? "PostgreSQL's server binaries (initdb, pg_ctl under /usr/lib/postgresql) are not installed" : nil
    }

    private init(cluster: LocalPostgresCluster) {
        self.cluster = cluster
    }

    /// Creates a cluster and starts its server (a few seconds).
    /// - Throws: ``SharedPostgresServerError`` when the binaries are missing or a tool fails.
    public static func start() throws -> PrivatePostgresServer {
        guard let binaries = LocalPostgresCluster.locateBinaries() else {
            throw SharedPostgresServerError(message: unavailableReason ?? "PostgreSQL is unavailable")
        }
        return PrivatePostgresServer(cluster: try LocalPostgresCluster.start(binaries: binaries))
    }

    /// `postgres://postgres@127.0.0.1:PORT/postgres` (trust authentication, loopback only).
    public var url: String { "postgres://postgres@127.0.0.1:\(cluster.port)/postgres" }

    /// Stops the server (open sessions are terminated); the data stays.
    /// - Throws: ``SharedPostgresServerError`` with `pg_ctl`'s output.
    public func stopServer() throws { try cluster.stopServer() }

    /// Starts the server again on the same port, with the same data.
    /// - Throws: ``SharedPostgresServerError`` with `pg_ctl`'s output.
    public func startServer() throws { try cluster.startServer() }

    /// Freezes the server and its backends (SIGSTOP): connections stay open but nothing answers — a hung database,
    /// as opposed to one that refuses connections. Always ``thaw()`` it (``remove()`` cannot stop a frozen server).
    /// - Throws: ``SharedPostgresServerError`` when the server is not running.
    public func freeze() throws { try cluster.signalServer(SIGSTOP) }

    /// Lets a frozen server run again (SIGCONT).
    public func thaw() throws { try cluster.signalServer(SIGCONT) }

    /// Stops the server at once and deletes the cluster.
    public func remove() { cluster.stop() }
}
