/// How iterations arrive in a load test.
///
/// The open model is the default: iterations start at a set arrival rate whatever the server does, so a slow server
/// cannot slow the generator down and hide its own latency (no coordinated omission, as wrk2 and k6's arrival-rate
/// executors do). The closed model runs a fixed number of virtual users, each starting its next iteration when the
/// last one ends and a think time has passed — the number of users in a system, not the rate of arrivals, is fixed.
public enum LoadModel: Sendable, Equatable {
    /// Iterations per second following `stages`, starting at `startRate` (see ``ArrivalStage``).
    case open(startRate: Double, stages: [ArrivalStage])
    /// `users` virtual users, each waiting `thinkTime` between its iterations, for `duration`.
    case closed(users: Int, thinkTime: Duration, duration: Duration)

    /// How long iterations keep starting.
    public var duration: Duration {
        switch self {
        case .open(_, let stages): return stages.reduce(Duration.zero) { $0 + $1.duration }
        case .closed(_, _, let duration): return duration
        }
    }

    /// One line for the console and the reports: `open: 20/s for 30s` or `closed: 8 users, think 500ms, 30s`.
    public var summary: String {
        switch self {
        case .open(let start, let stages):
            if stages.count == 1, stages[0].rate == start {
                return "open model: \(RateText.perSecond(start)) for \(DurationText.short(stages[0].duration))"
            }
            let steps = stages.map { "\(RateText.perSecond($0.rate)) over \(DurationText.short($0.duration))" }
            return "open model: from \(RateText.perSecond(start)), " + steps.joined(separator: ", then ")
        case .closed(let users, let think, let duration):
            return "closed model: \(users) user\(users == 1 ? "" : "s"), think time \(DurationText.short(think)), for \(DurationText.short(duration))"
        }
    }
}

/// One stage of an open-model load: the arrival rate moves linearly from the previous stage's rate (or the start
/// rate) to ``rate`` over ``duration`` (k6's ramping-arrival-rate stages).
public struct ArrivalStage: Sendable, Equatable {
    /// Target arrival rate at the end of the stage, iterations per second (0 to 10 000).
    public var rate: Double
    /// How long the stage lasts.
    public var duration: Duration

    /// Creates a stage; see the properties.
    public init(rate: Double, duration: Duration) {
        self.rate = rate
        self.duration = duration
    }
}

/// Rates as people write them: `20/s`, `0.5/s`.
enum RateText {
    static func perSecond(_ rate: Double) -> String {
        rate == rate.rounded() ? "\(Int(rate))/s" : "\(String(format: "%.2f", rate))/s"
    }
}

/// Durations as people write them: `30s`, `1m30s`, `500ms`.
enum DurationText {
    static func short(_ duration: Duration) -> String {
        let milliseconds = Int((Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15).rounded())
        if milliseconds < 1000 || milliseconds % 1000 != 0 {
            return milliseconds < 1000 ? "\(milliseconds)ms" : String(format: "%.1fs", Double(milliseconds) / 1000)
        }
        let seconds = milliseconds / 1000
        if seconds < 60 { return "\(seconds)s" }
        return seconds % 60 == 0 ? "\(seconds / 60)m" : "\(seconds / 60)m\(seconds % 60)s"
    }
}
