/// Sends one event per fingerprint per window and counts the rest, so that a flood of one failure (a database down,
/// 300 requests a second answered 500) is one event a window — one Sentry issue — and never fills the send queue.
///
/// The first report of a fingerprint opens a window of ``window``; repeats inside it are suppressed and counted; the
/// first report after it is sent with the count (the event's `extra.suppressed_repeats`) and opens the next window.
/// Repeats after a fingerprint's last event are never sent on their own: `error_reports_total{outcome="suppressed"}`
/// counts them as they happen.
///
/// At most ``capacity`` fingerprints are remembered (they are bounded anyway: error types × routes); when full, those
/// whose window has passed are forgotten, and if none has, a new fingerprint is sent without being remembered.
public struct SentryRepeatGrouper: Sendable {
    /// What to do with one report.
    public enum Decision: Sendable, Equatable {
        /// Send it, with the number of repeats suppressed since the fingerprint's previous event.
        case send(suppressedRepeats: Int)
        /// A repeat inside the window: counted, not sent.
        case suppress
    }

    struct Entry {
        var windowStart: ContinuousClock.Instant
        var suppressed: Int
    }

    /// How long after an event its repeats are suppressed.
    public let window: Duration
    /// How many fingerprints are remembered at most.
    public let capacity: Int
    private var entries: [[String]: Entry] = [:]

    /// A grouper with a `window` (default one minute) remembering up to `capacity` fingerprints.
    public init(window: Duration = .seconds(60), capacity: Int = 1000) {
        self.window = window
        self.capacity = capacity
    }

    /// Decides for one report of `fingerprint` at `now`.
    public mutating func admit(_ fingerprint: [String], now: ContinuousClock.Instant) -> Decision {
        if var entry = entries[fingerprint] {
            if now - entry.windowStart < window {
                entry.suppressed += 1
                entries[fingerprint] = entry
                return .suppress
            }
            entries[fingerprint] = Entry(windowStart: now, suppressed: 0)
            return .send(suppressedRepeats: entry.suppressed)
        }
        if entries.count >= capacity {
            entries = entries.filter { now - $0.value.windowStart < window }
            if entries.count >= capacity { return .send(suppressedRepeats: 0) }
        }
        entries[fingerprint] = Entry(windowStart: now, suppressed: 0)
        return .send(suppressedRepeats: 0)
    }
}
