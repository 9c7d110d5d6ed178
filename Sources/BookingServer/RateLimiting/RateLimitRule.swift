import Foundation

/// One limit: at most ``limit`` counted requests per client in a fixed window of ``window`` seconds.
public struct RateLimitRule: Sendable, Equatable {
    /// The rule's name in keys, `429` details and metrics: `login`, `registration`, `payments`, `api`.
    public var name: String
    /// Counted requests allowed per window.
    public var limit: Int
    /// Window length in seconds.
    public var window: Int
    /// Whether only failed attempts count (login: a `401` answer), instead of every request.
    public var countsFailuresOnly: Bool

    public init(name: String, limit: Int, window: Int, countsFailuresOnly: Bool = false) {
        self.name = name
        self.limit = limit
        self.window = window
        self.countsFailuresOnly = countsFailuresOnly
    }
}

/// The service's rate limits (API.md "Security envelope"): which rule a request falls under.
public struct RateLimitPolicy: Sendable, Equatable {
    /// `POST /api/auth/login` and `POST /api/auth/password`: failed attempts (401) per client address and, for login,
    /// separately per account (default 5 / 15 min).
    public var login: RateLimitRule
    /// `POST /api/auth/register` per client (default 60 / min).
    public var registration: RateLimitRule
    /// `/api/payments*` except the gateway's webhook, per client (default 10 / min).
    public var payments: RateLimitRule
    /// Every other `/api` route per client (default 100 / min).
    public var api: RateLimitRule

    public init(loginFailures: Int = 5, registrationsPerMinute: Int = 60, paymentsPerMinute: Int = 10, apiPerMinute: Int = 100) {
        login = RateLimitRule(name: "login", limit: loginFailures, window: 15 * 60, countsFailuresOnly: true)
        registration = RateLimitRule(name: "registration", limit: registrationsPerMinute, window: 60)
        payments = RateLimitRule(name: "payments", limit: paymentsPerMinute, window: 60)
        api = RateLimitRule(name: "api", limit: apiPerMinute, window: 60)
    }

    /// The rule for a request, or `nil` when the route is not rate limited (`/health*`, `/metrics`, anything
    /// outside `/api`). The path is percent-decoded and empty segments are dropped first, so `/api//p%61yments`
    /// falls under the payments rule like `/api/payments`.
    public func rule(method: String, path: String) -> RateLimitRule? {
        let segments = Self.segments(path)
        guard segments.first == "api" else { return nil }
        let rest = segments.dropFirst()
        // Guessing the current password of a stolen session is guessing a password: the same failure budget.
        if method == "POST" && (rest.elementsEqual(["auth", "login"]) || rest.elementsEqual(["auth", "password"])) { return login }
        if method == "POST" && rest.elementsEqual(["auth", "register"]) { return registration }
        if rest.first == "payments" {
            // The gateway's webhook is authenticated by its HMAC signature and sent from the gateway's few
            // addresses; it is exempt from the per-client payments limit (API.md "Payments") but not from `api`.
            return rest.elementsEqual(["payments", "webhook"]) ? api : payments
        }
        return api
    }

    /// Whether the request is a login, whose body names the account the per-account counter is kept for.
    /// (`POST /api/auth/password` counts per address only: its caller is already identified by the token.)
    public func isLogin(method: String, path: String) -> Bool {
        method == "POST" && Self.segments(path).elementsEqual(["api", "auth", "login"])
    }

    /// Percent-decoded path segments without empty ones.
    static func segments(_ path: String) -> [Substring] {
        (path.removingPercentEncoding ?? path).split(separator: "/", omittingEmptySubsequences: true)
    }
}
