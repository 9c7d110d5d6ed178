/// How the service stops on SIGTERM/SIGINT (docs/deployment-guide.md: the drain before a slot switch).
///
/// | variable | meaning | default |
/// |---|---|---|
/// | `SHUTDOWN_DRAIN_SECONDS` | after SIGTERM/SIGINT, how long readiness answers 503 while requests are still served, so load balancers stop routing here first, 0–120 | 5 in production, 0 otherwise |
/// | `SHUTDOWN_TIMEOUT_SECONDS` | then how long in-flight requests may take to finish before they are cancelled, 1–600 | 25 |
public struct ShutdownSettings: ConfigurationSection {
    public static let variableNames = ["SHUTDOWN_DRAIN_SECONDS", "SHUTDOWN_TIMEOUT_SECONDS"]

    /// After a termination signal, how long readiness fails while requests are still served.
    public var drainDelay: Duration
    /// Then how long in-flight requests may take before they are cancelled.
    public var timeout: Duration

    /// - Throws: ``ConfigurationError`` for a value out of range.
    public init(_ variables: ConfigurationVariables) throws {
        drainDelay = try variables.seconds("SHUTDOWN_DRAIN_SECONDS", default: variables.production ? 5 : 0, range: 0...120)
        timeout = try variables.seconds("SHUTDOWN_TIMEOUT_SECONDS", default: 25, range: 1...600)
    }
}
