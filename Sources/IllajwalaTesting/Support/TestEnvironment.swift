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
    /// - Throws: ``ConfigurationError`` for a bad override, for a name the configuration does not read (a typo
    ///   would otherwise be ignored silently) and for `DATABASE_URL` (the test's own database is not replaceable).
    static func configuration(databaseURL: String, overrides: [String: String], logLevel: Logger.Level) throws -> ServerConfiguration {
        for name in overrides.keys.sorted() {
            if name == "DATABASE_URL" {
                throw ConfigurationError(
                    variable: name, value: "…", problem: "is chosen by the test-support library (the test's own database) and cannot be overridden")
            }
            guard ServerConfiguration.variableNames.contains(name) else {
                let close = ServerConfiguration.variableNames.filter { $0.hasPrefix(name) || name.hasPrefix($0) }.sorted().first
                throw ConfigurationError(
                    variable: name, value: overrides[name] ?? "",
                    problem: "is not a configuration variable" + (close.map { "; did you mean \($0)?" } ?? ""))
            }
        }
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
