import Foundation

/// Everything the service needs to start, read from environment variables (and overridden by CLI flags), in
/// sections that each read and check their own variables: ``HTTPSettings``, ``AuthSettings``,
/// ``DatabaseSettings``, ``ReadCacheSettings``, ``PaymentGatewayConfiguration``, ``RateLimitSettings``,
/// ``ShutdownSettings``, ``LoggingSettings`` and ``ErrorTrackingSettings`` (each documents its variables, meanings and defaults). `ILLAJWALA_ENV` (`development`,
/// `test` or `production`; default `development`) decides the defaults and how strict the checks are.
/// `docs/environment-variables.md` lists the same variables; a test keeps the two in step.
public struct ServerConfiguration: Sendable {
    /// The deployment environment (`ILLAJWALA_ENV`).
    public enum Environment: String, Sendable, CaseIterable {
        case development, test, production
    }

    /// The sections, in the order their variables are listed.
    static let sections: [any ConfigurationSection.Type] = [
        HTTPSettings.self, AuthSettings.self, DatabaseSettings.self, ReadCacheSettings.self, PaymentGatewayConfiguration.self,
        RateLimitSettings.self, ShutdownSettings.self, LoggingSettings.self, ErrorTrackingSettings.self,
    ]

    /// Every variable this configuration reads — `ILLAJWALA_ENV` and each section's — for tools that check names
    /// before use (the embedded flow target, the test environment, the environment-variables document's test).
    public static let variableNames: Set<String> = Set(["ILLAJWALA_ENV"] + sections.flatMap { $0.variableNames })

    public var environment: Environment
    /// Listen address, body limit, idle timeout, CORS origins, trusted proxies.
    public var http: HTTPSettings
    /// Token keys and claims, token lifetimes, bcrypt cost.
    public var auth: AuthSettings
    /// Database URL and driver tuning.
    public var database: DatabaseSettings
    /// How long read answers are reused (``ReadResponseCache``).
    public var readCache: ReadCacheSettings
    /// The payment gateway and its credentials.
    public var payments: PaymentGatewayConfiguration
    /// Rate limits and where their counters live.
    public var rateLimiting: RateLimitSettings
    /// The drain and the grace period of a shutdown.
    public var shutdown: ShutdownSettings
    /// Log level and format.
    public var logging: LoggingSettings
    /// Where 5xx answers are reported besides the log (Sentry).
    public var errorTracking: ErrorTrackingSettings

    /// Reads the configuration from `environment` (defaults to the process environment).
    /// - Throws: ``ConfigurationError`` naming the first bad variable.
    public init(environment raw: [String: String] = ProcessInfo.processInfo.environment) throws {
        let name = raw["ILLAJWALA_ENV"]?.trimmingCharacters(in: .whitespaces) ?? ""
        guard let environment = name.isEmpty ? .development : Environment(rawValue: name) else {
            throw ConfigurationError(variable: "ILLAJWALA_ENV", value: name, problem: "expected development, test or production")
        }
        let variables = ConfigurationVariables(raw, environment: environment)
        self.environment = environment
        logging = try LoggingSettings(variables)
        http = try HTTPSettings(variables)
        database = try DatabaseSettings(variables)
        readCache = try ReadCacheSettings(variables)
        auth = try AuthSettings(variables)
        payments = try PaymentGatewayConfiguration(variables)
        shutdown = try ShutdownSettings(variables)
        rateLimiting = try RateLimitSettings(variables)
        errorTracking = try ErrorTrackingSettings(variables)
    }
}
