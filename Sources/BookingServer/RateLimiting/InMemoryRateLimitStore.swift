import Foundation
import Synchronization

/// Rate-limit counters in this process's memory (one service instance).
///
/// Memory stays bounded under many distinct clients: every ``sweepInterval`` recorded hits the ended windows
/// are evicted, and when more than ``capacity`` windows are alive the tenth ending soonest is dropped in one
/// batch (a dropped client starts a fresh window: the store forgets rather than grows without bound, and the
/// batch keeps the cost of a flood of new clients amortised).
public final class InMemoryRateLimitStore: RateLimitStore {
    private struct State {
        var windows: [String: RateLimitWindow] = [:]
        var hitsSinceSweep = 0
    }

    private let state = Mutex(State())
    /// Most windows kept at once.
    public let capacity: Int
    /// Hits between two sweeps of ended windows.
    public let sweepInterval: Int

    /// - Parameters:
    ///   - capacity: most windows kept (default 100 000 — a few MiB).
    ///   - sweepInterval: hits between sweeps of ended windows (default 1 024).
    public init(capacity: Int = 100_000, sweepInterval: Int = 1_024) {
        precondition(capacity > 0 && sweepInterval > 0, "capacity and sweep interval must be positive")
        self.capacity = capacity
        self.sweepInterval = sweepInterval
    }

    /// Windows currently kept (for tests and benchmarks of the memory bound).
    public var count: Int { state.withLock { $0.windows.count } }

    public func record(key: String, cost: Int, window: Int, now: Date) async throws -> RateLimitWindow {
        state.withLock { state in
            state.hitsSinceSweep += 1
            if state.hitsSinceSweep >= sweepInterval {
                state.hitsSinceSweep = 0
                Self.evict(&state.windows, now: now)
            }
            var current = state.windows[key] ?? RateLimitWindow(count: 0, resetsAt: now)
            if current.resetsAt <= now {
                current = RateLimitWindow(count: 0, resetsAt: now.addingTimeInterval(TimeInterval(max(window, 1))))
                if cost < 0 { return current }
            }
            current.count = max(current.count + cost, 0)
            if cost != 0 {
                state.windows[key] = current
                if state.windows.count > capacity {
                    Self.evict(&state.windows, now: now)
                    if state.windows.count > capacity {
                        Self.dropSoonestEnding(&state.windows, keeping: capacity - capacity / 10, protecting: key)
                    }
                }
            }
            return current
        }
    }

    @discardableResult
    public func evictExpired(now: Date) async throws -> Int {
        state.withLock { state in
            let before = state.windows.count
            Self.evict(&state.windows, now: now)
            return before - state.windows.count
        }
    }

    private static func evict(_ windows: inout [String: RateLimitWindow], now: Date) {
        windows = windows.filter { $0.value.resetsAt > now }
    }

    /// Drops the windows ending soonest until `keeping` remain (never `protecting`, the key just recorded).
    private static func dropSoonestEnding(_ windows: inout [String: RateLimitWindow], keeping: Int, protecting: String) {
        let excess = windows.count - keeping
        guard excess > 0 else { return }
        let victims = windows.filter { $0.key != protecting }.sorted { $0.value.resetsAt < $1.value.resetsAt }.prefix(excess)
        for victim in victims { windows[victim.key] = nil }
    }
}
