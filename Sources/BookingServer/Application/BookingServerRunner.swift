import BuildInfo
import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import UnixSignals

/// Runs the booking service in the foreground until SIGTERM/SIGINT (the `illajwala-api serve` command).
public enum BookingServerRunner {
    /// Opens the database (migrating an in-memory SQLite one, which nothing else can), refuses an unmigrated or newer
    /// schema, then serves until SIGTERM or SIGINT, shutting
    /// down gracefully (readiness fails for the drain delay, then in-flight requests finish, bounded; see
    /// ``BookingApplication/serviceGroup(app:readiness:configuration:gracefulShutdownSignals:logger:)``).
    /// - Throws: ``SchemaError`` with the command to run; ``DatabaseError``; bind errors.
    public static func serve(configuration: ServerConfiguration, logger: Logger) async throws {
        let database = try await BookingDatabase.open(configuration.database.url, logger: logger, options: configuration.database.options)
        do {
            let migrator = Migrator(database: database)
            if configuration.database.url == .sqliteMemory {
                // An in-memory database lives and dies with this process: no other process can migrate it first.
                _ = try await migrator.migrateUp()
                logger.notice("migrated the in-memory SQLite database (its data is lost at exit)")
            }
            try await migrator.requireCurrentSchema()
            let schemaVersion = try await migrator.appliedVersions().last ?? 0
            let services = await BookingServices(database: database, configuration: configuration)
            let readiness = ServiceReadiness()
            let app = BookingApplication.make(
                services: services, host: configuration.http.host, port: configuration.http.port, logger: logger, readiness: readiness,
                onServerRunning: { channel in
                    logger.notice("serving", metadata: startupMetadata(configuration, schemaVersion: schemaVersion, address: channel.localAddress))
                })
            let refunds = RefundReconciler(payments: services.payments, logger: logger)
            try await BookingApplication.serviceGroup(
                app: app, readiness: readiness, configuration: configuration, gracefulShutdownSignals: [.sigterm, .sigint],
                forceExitAfterTimeout: true, background: [refunds] + services.backgroundServices, logger: logger
            ).run()
            logger.notice("stopped", metadata: ["lifecycle": "stopped"])
        } catch {
            await database.close()
            throw error
        }
        await database.close()
    }

    /// The one start-up line an operator reads to know what is running: environment, database (without its password)
    /// and schema version, payment gateway, build version and commit, error tracking (Sentry's host and project, never
    /// its key), listening address.
    static func startupMetadata(_ configuration: ServerConfiguration, schemaVersion: Int, address: SocketAddress?) -> Logger.Metadata {
        let database: String
        switch configuration.database.url {
        case .postgres: database = "postgresql"
        case .sqliteFile, .sqliteMemory: database = "sqlite"
        }
        var metadata: Logger.Metadata = [
            "lifecycle": "serving", "environment": "\(configuration.environment.rawValue)", "database": "\(database)",
            "database_url": "\(configuration.database.url)", "schema_version": "\(schemaVersion)",
            "payment_gateway": "\(configuration.payments.gateway.rawValue)", "version": "\(BuildInfo.version)",
            "commit": "\(BuildInfo.commit)", "trusted_proxies": "\(configuration.http.trustedProxies.count)",
            "error_tracking": "\(configuration.errorTracking.sentryDSN.map { "sentry:\($0.authority)/\($0.projectID)" } ?? "log")",
        ]
        if let address { metadata["address"] = "\(address.ipAddress ?? configuration.http.host):\(address.port ?? configuration.http.port)" }
        return metadata
    }
}
