import Synchronization

/// When a statement last completed successfully on the database, whoever ran it.
///
/// Readiness uses it to tell a busy database from a dead one: under load a readiness probe may wait longer than its
/// 1-second budget for a connection (every pooled connection busy, or SQLite's single connection queued), yet
/// statements keep completing; pulling the instance from the load balancer then would only move its load elsewhere.
final class QueryActivity: Sendable {
    /// Nanoseconds on the continuous clock since `origin` of the last success; `-1` before the first.
    private let lastSuccess = Atomic<Int64>(-1)
    private let origin = ContinuousClock.now

    /// Records a statement that completed successfully now.
    func recordSuccess() {
        lastSuccess.store(nanoseconds(since: origin, to: .now), ordering: .relaxed)
    }

    /// Whether a statement completed successfully at or after `instant`.
    func answered(since instant: ContinuousClock.Instant) -> Bool {
        let last = lastSuccess.load(ordering: .relaxed)
        return last >= 0 && last >= nanoseconds(since: origin, to: instant)
    }

    private func nanoseconds(since origin: ContinuousClock.Instant, to instant: ContinuousClock.Instant) -> Int64 {
        let elapsed = origin.duration(to: instant).components
        return elapsed.seconds * 1_000_000_000 + elapsed.attoseconds / 1_000_000_000
    }
}
