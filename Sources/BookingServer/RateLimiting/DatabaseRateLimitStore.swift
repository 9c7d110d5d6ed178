import Foundation
import SQLKit
import Synchronization

/// Rate-limit counters in the service's database (table `rate_limit_windows`, migration 2), shared by every
/// instance behind a load balancer.
///
/// Each hit is one atomic upsert (`INSERT … ON CONFLICT … DO UPDATE … RETURNING`, PostgreSQL ≥ 9.5 and
/// SQLite ≥ 3.35), so concurrent instances never lose a hit. Ended windows are deleted by
/// ``evictExpired(now:)``, which the service calls every ``sweepInterval`` hits.
public struct DatabaseRateLimitStore: RateLimitStore {
    let database: BookingDatabase
    private let hits = SweepCounter()
    /// Hits between two deletions of ended windows.
    public let sweepInterval: Int

    public init(database: BookingDatabase, sweepInterval: Int = 1_024) {
        self.database = database
        self.sweepInterval = max(sweepInterval, 1)
    }

    public func record(key: String, cost: Int, window: Int, now: Date) async throws -> RateLimitWindow {
        if hits.next(every: sweepInterval) { try await evictExpired(now: now) }
        let nowMillis = Column.instant(now)
        let fresh = Column.instant(now.addingTimeInterval(TimeInterval(max(window, 1))))
        // Counters no cached answer depends on: they must not empty the read caches on every request.
        return try await database.withConnection(tracksChanges: false) { sql in
            if cost < 0 {
                try await sql.raw(
                    """
                    UPDATE rate_limit_windows SET hits = CASE WHEN hits + \(bind: cost) < 0 THEN 0 ELSE hits + \(bind: cost) END
                    WHERE bucket_key = \(bind: key) AND resets_at > \(bind: nowMillis)
                    """
                ).run()
            }
            if cost <= 0 {
                let row = try await sql.raw(
                    "SELECT hits, resets_at FROM rate_limit_windows WHERE bucket_key = \(bind: key) AND resets_at > \(bind: nowMillis)"
                ).first()
                guard let row else { return RateLimitWindow(count: 0, resetsAt: now.addingTimeInterval(TimeInterval(max(window, 1)))) }
                return RateLimitWindow(count: try row.integer("hits"), resetsAt: try row.instant("resets_at"))
            }
            guard
                let row = try await sql.raw(
                    """
                    INSERT INTO rate_limit_windows (bucket_key, hits, resets_at) VALUES (\(bind: key), \(bind: cost), \(bind: fresh))
                    ON CONFLICT (bucket_key) DO UPDATE SET
                        hits = CASE WHEN rate_limit_windows.resets_at <= \(bind: nowMillis) THEN excluded.hits
                            ELSE rate_limit_windows.hits + excluded.hits END,
                        resets_at = CASE WHEN rate_limit_windows.resets_at <= \(bind: nowMillis) THEN excluded.resets_at
                            ELSE rate_limit_windows.resets_at END
                    RETURNING hits, resets_at
                    """
                ).first()
            else { throw DatabaseError.failed("rate limit upsert returned no row") }
            return RateLimitWindow(count: try row.integer("hits"), resetsAt: try row.instant("resets_at"))
        }
    }

    @discardableResult
    public func evictExpired(now: Date) async throws -> Int {
        try await database.withConnection(tracksChanges: false) { sql in
            let rows = try await sql.raw(
                "DELETE FROM rate_limit_windows WHERE resets_at <= \(bind: Column.instant(now)) RETURNING bucket_key"
            ).all()
            return rows.count
        }
    }

    /// Counts hits across tasks and says when a sweep is due.
    private final class SweepCounter: Sendable {
        private let count = Mutex(0)
        func next(every interval: Int) -> Bool {
            count.withLock { count in
                count += 1
                if count >= interval {
                    count = 0
                    return true
                }
                return false
            }
        }
    }
}
