import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// Runs the booking service in the foreground until SIGTERM/SIGINT (the `illajwala-api serve` command).
public enum BookingServerRunner {
    /// Opens the database, refuses an unmigrated or newer schema, then serves until a termination signal,
    /// shutting down gracefully (in-flight requests finish).
    /// - Throws: ``SchemaError`` with the command to run; ``DatabaseError``; bind errors.
    public static func serve(configuration: ServerConfiguration, logger: Logger) async throws {
        let database = try await BookingDatabase.open(configuration.databaseURL, logger: logger, options: configuration.databaseOptions)
        do {
            try await Migrator(database: database).requireCurrentSchema()
            let services = await BookingServices(database: database, configuration: configuration)
            let app = BookingApplication.make(
                services: services, host: configuration.host, port: configuration.port, logger: logger)
            try await app.runService()
        } catch {
            await database.close()
            throw error
        }
        await database.close()
    }
}
