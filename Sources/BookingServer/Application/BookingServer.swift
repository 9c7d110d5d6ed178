import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import UnixSignals

/// Runs the booking service in the foreground until SIGTERM/SIGINT (the `illajwala-api serve` command).
public enum BookingServerRunner {
    /// Opens the database, refuses an unmigrated or newer schema, then serves until SIGTERM or SIGINT, shutting
    /// down gracefully (readiness fails for the drain delay, then in-flight requests finish, bounded; see
    /// ``BookingApplication/serviceGroup(app:readiness:configuration:gracefulShutdownSignals:logger:)``).
    /// - Throws: ``SchemaError`` with the command to run; ``DatabaseError``; bind errors.
    public static func serve(configuration: ServerConfiguration, logger: Logger) async throws {
        let database = try await BookingDatabase.open(configuration.databaseURL, logger: logger, options: configuration.databaseOptions)
        do {
            try await Migrator(database: database).requireCurrentSchema()
            let services = await BookingServices(database: database, configuration: configuration)
            let readiness = ServiceReadiness()
            let app = BookingApplication.make(
                services: services, host: configuration.host, port: configuration.port, logger: logger, readiness: readiness)
            try await BookingApplication.serviceGroup(
                app: app, readiness: readiness, configuration: configuration, gracefulShutdownSignals: [.sigterm, .sigint],
                forceExitAfterTimeout: true, logger: logger
            ).run()
            logger.notice("stopped", metadata: ["lifecycle": "stopped"])
        } catch {
            await database.close()
            throw error
        }
        await database.close()
    }
}
