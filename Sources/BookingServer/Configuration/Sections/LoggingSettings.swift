import Logging

/// What the service logs and how.
///
/// | variable | meaning | default |
/// |---|---|---|
/// | `LOG_FORMAT` | `json` (one object per line) or `text` | `json` in production, `text` otherwise |
/// | `LOG_LEVEL` | swift-log level; `trace` (SQL with its values) is refused in production | `info` (`warning` in `test`) |
public struct LoggingSettings: ConfigurationSection {
    public static let variableNames = ["LOG_LEVEL", "LOG_FORMAT"]

    /// Log line format (`LOG_FORMAT`).
    public enum Format: String, Sendable, CaseIterable {
        /// ``JSONLogHandler``: one JSON object per line, for log shippers.
        case json
        /// swift-log's readable lines, for people at a terminal.
        case text
    }

    /// The lowest level logged.
    public var level: Logger.Level
    /// How `illajwala-api` writes its log lines.
    public var format: Format

    /// - Throws: ``ConfigurationError`` for an unknown level or format, or `trace` in production (the database
    ///   drivers then log every statement with its bound values: e-mails, password hashes).
    public init(_ variables: ConfigurationVariables) throws {
        let levelName = variables.value("LOG_LEVEL") ?? (variables.environment == .test ? "warning" : "info")
        guard let level = Logger.Level(rawValue: levelName) else {
            throw ConfigurationError(
                variable: "LOG_LEVEL", value: levelName, problem: "expected one of " + Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))
        }
        if variables.production && level == .trace {
            throw ConfigurationError(
                variable: "LOG_LEVEL", value: levelName, problem: "trace logs SQL with its values (personal data) and is refused in production")
        }
        self.level = level
        let formatName = variables.value("LOG_FORMAT") ?? (variables.production ? "json" : "text")
        guard let format = Format(rawValue: formatName) else {
            throw ConfigurationError(variable: "LOG_FORMAT", value: formatName, problem: "expected json or text")
        }
        self.format = format
    }
}
