import BookingServer
import Logging

/// The configuration every test database and live server starts from: `ILLAJWALA_ENV=test` (bcrypt cost 4,
/// development secrets, sandbox gateway), the given database, and the caller's overrides. The process
/// environment is not read, so tests cannot be changed by what a developer has exported.
enum TestEnvironment {
    /// Builds the configuration.
    /// - Parameters:
    ///   - databaseURL: value of `DATABASE_URL`.
    ///   - overrides: configuration variables (ServerConfiguration's table) that win over the defaults.
    ///   - logLevel: the service's log level.
    /// - Throws: ``ConfigurationError`` for a bad override.
    static func configuration(databaseURL: String, overrides: [String: String], logLevel: Logger.Level) throws -> ServerConfiguration {
        var variables = ["ILLAJWALA_ENV": "test", "DATABASE_URL": databaseURL, "LOG_LEVEL": logLevel.rawValue]
        variables.merge(overrides) { _, override in override }
        return try ServerConfiguration(environment: variables)
    }

    /// A logger at `level` for the test's service.
    static func logger(_ label: String, level: Logger.Level) -> Logger {
        var logger = Logger(label: label)
        logger.logLevel = level
        return logger
    }
}
