/// Polling for eventual state (`retry:` on a step): the request is sent again, after ``interval`` seconds,
/// until its response satisfies ``until`` or ``attempts`` requests were sent. The step's own `expect` is
/// checked on the last response.
public struct RetryPolicy: Sendable {
    /// The condition that ends the polling.
    public var until: Expectation
    /// Requests sent at most, ≥ 1.
    public var attempts: Int
    /// Pause between two requests, in seconds.
    public var interval: Double

    /// Creates a policy; `interval` in seconds.
    public init(until: Expectation, attempts: Int, interval: Double) {
        self.until = until
        self.attempts = attempts
        self.interval = interval
    }
}
