/// Polling for eventual state (`retry:` on a step): the request is sent again, after ``interval``,
/// until its response satisfies ``until`` or ``attempts`` requests were sent. The step's own `expect` is
/// checked on the last response.
public struct RetryPolicy: Sendable {
    /// The condition that ends the polling.
    public var until: Expectation
    /// Requests sent at most, ≥ 1.
    public var attempts: Int
    /// Pause between two requests.
    public var interval: Duration

    /// Creates a policy.
    public init(until: Expectation, attempts: Int, interval: Duration) {
        self.until = until
        self.attempts = attempts
        self.interval = interval
    }
}
