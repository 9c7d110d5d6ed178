import Foundation

/// The count of one rate-limit key in its current fixed window.
public struct RateLimitWindow: Sendable, Equatable {
    /// Hits recorded in the window, including the one just recorded.
    public var count: Int
    /// When the window ends and the count starts again from zero.
    public var resetsAt: Date

    public init(count: Int, resetsAt: Date) {
        self.count = count
        self.resetsAt = resetsAt
    }
}

/// Where the rate limiter keeps its counters: fixed windows per key.
///
/// ``InMemoryRateLimitStore`` serves a single instance; ``DatabaseRateLimitStore`` keeps the counters in the
/// service's database so that several instances behind a load balancer share them. Both pass the same tests
/// (`RateLimitStoreTests`).
public protocol RateLimitStore: Sendable {
    /// Adds `cost` hits to `key` and returns the window's count afterwards.
    ///
    /// A key whose window has ended (or that was never seen) starts a new window of `window` seconds at `now`.
    /// `cost: 0` reads the count without recording a hit. A negative cost gives hits back to a window that is
    /// still running (never below zero) and creates none.
    /// - Parameters:
    ///   - key: the rule and the client, e.g. `api|203.0.113.7`.
    ///   - window: window length in seconds (≥ 1).
    /// - Throws: the store's errors (a database store throws ``DatabaseError``).
    func record(key: String, cost: Int, window: Int, now: Date) async throws -> RateLimitWindow

    /// Forgets every window that ended before `now` and returns how many were removed.
    @discardableResult
    func evictExpired(now: Date) async throws -> Int
}
