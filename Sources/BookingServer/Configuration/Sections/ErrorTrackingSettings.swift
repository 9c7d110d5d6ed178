/// Where 5xx answers are reported besides the log (docs/observability.md, "Error tracking").
///
/// | variable | meaning | default |
/// |---|---|---|
/// | `SENTRY_DSN` | the Sentry project's DSN, `https://PUBLIC_KEY@HOST[:PORT][/PATH]/PROJECT_ID`; unset: only the log reporter runs | unset |
/// | `SENTRY_ENVIRONMENT` | the events' `environment` (Sentry's rules: 1–64 characters, no `/`, space or line break, not `None`) | `ILLAJWALA_ENV` |
public struct ErrorTrackingSettings: ConfigurationSection {
    public static let variableNames = ["SENTRY_DSN", "SENTRY_ENVIRONMENT"]

    /// The Sentry project events go to, or `nil` when reporting stays in the log.
    public var sentryDSN: SentryDSN?
    /// The `environment` of every event (`production`, `staging`, …).
    public var environment: String

    /// Error tracking off (the log reporter only), for `environment`.
    public init(sentryDSN: SentryDSN? = nil, environment: String) {
        self.sentryDSN = sentryDSN
        self.environment = environment
    }

    /// - Throws: ``ConfigurationError`` naming `SENTRY_DSN` for a text that is not a DSN (the key masked in the
    ///   message) or a plain-http DSN to another machine in production; naming `SENTRY_ENVIRONMENT` for a name
    ///   Sentry refuses (its "Environments" page: at most 64 characters, no slash, space or line break, not `None`).
    public init(_ variables: ConfigurationVariables) throws {
        if let text = variables.value("SENTRY_DSN") {
            let dsn: SentryDSN
            do {
                dsn = try SentryDSN(text)
            } catch {
                throw ConfigurationError(variable: "SENTRY_DSN", value: SentryDSN.redacted(text), problem: error.description)
            }
            if variables.production && dsn.scheme != "https" && !dsn.isLoopback {
                throw ConfigurationError(
                    variable: "SENTRY_DSN", value: SentryDSN.redacted(text),
                    problem: "must be https in production (plain http only to a loopback relay or double)")
            }
            sentryDSN = dsn
        }
        let environment = variables.value("SENTRY_ENVIRONMENT") ?? variables.environment.rawValue
        guard (1...64).contains(environment.count), environment != "None",
            !environment.contains(where: { $0 == "/" || $0.isWhitespace || $0.isNewline })
        else {
            throw ConfigurationError(
                variable: "SENTRY_ENVIRONMENT", value: environment,
                problem: "expected 1 to 64 characters without '/', spaces or line breaks, and not None (Sentry's environment rules)")
        }
        self.environment = environment
    }
}
