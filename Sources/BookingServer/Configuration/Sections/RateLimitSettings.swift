/// How many requests a client may make (API.md "Security envelope") and where the counters live.
///
/// | variable | meaning | default |
/// |---|---|---|
/// | `RATE_LIMIT_STORE` | `memory` (one instance) or `database` (shared by every instance on the database) | `memory` |
/// | `RATE_LIMIT_LOGIN_FAILURES` | failed logins per 15 min per client address and per account, 1–100000 | 5 |
/// | `RATE_LIMIT_REGISTRATIONS_PER_MINUTE` | registrations per minute per client, 1–1000000 | 60 |
/// | `RATE_LIMIT_PAYMENTS_PER_MINUTE` | `/api/payments*` requests (webhook exempt) per minute per client, 1–1000000 | 10 |
/// | `RATE_LIMIT_API_PER_MINUTE` | requests to every other `/api` route per minute per client, 1–1000000 | 100 |
public struct RateLimitSettings: ConfigurationSection {
    public static let variableNames = [
        "RATE_LIMIT_STORE", "RATE_LIMIT_LOGIN_FAILURES", "RATE_LIMIT_REGISTRATIONS_PER_MINUTE", "RATE_LIMIT_PAYMENTS_PER_MINUTE",
        "RATE_LIMIT_API_PER_MINUTE",
    ]

    /// Where rate-limit counters live (`RATE_LIMIT_STORE`).
    public enum Store: String, Sendable, CaseIterable {
        /// ``InMemoryRateLimitStore``: one service instance.
        case memory
        /// ``DatabaseRateLimitStore``: shared by every instance on the database.
        case database
    }

    /// Limits per rule.
    public var policy: RateLimitPolicy
    /// Where the counters live.
    public var store: Store

    /// - Throws: ``ConfigurationError`` for a limit out of range or an unknown store.
    public init(_ variables: ConfigurationVariables) throws {
        policy = RateLimitPolicy(
            loginFailures: try variables.integer("RATE_LIMIT_LOGIN_FAILURES", default: 5, range: 1...100_000),
            registrationsPerMinute: try variables.integer("RATE_LIMIT_REGISTRATIONS_PER_MINUTE", default: 60, range: 1...1_000_000),
            paymentsPerMinute: try variables.integer("RATE_LIMIT_PAYMENTS_PER_MINUTE", default: 10, range: 1...1_000_000),
            apiPerMinute: try variables.integer("RATE_LIMIT_API_PER_MINUTE", default: 100, range: 1...1_000_000))
        let storeName = variables.value("RATE_LIMIT_STORE") ?? "memory"
        guard let store = Store(rawValue: storeName) else {
            throw ConfigurationError(variable: "RATE_LIMIT_STORE", value: storeName, problem: "expected memory or database")
        }
        self.store = store
    }
}
