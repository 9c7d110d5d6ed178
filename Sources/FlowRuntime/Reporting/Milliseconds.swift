import FlowCore
import Foundation

/// Durations for machine-readable reports: milliseconds as a number, rounded to the microsecond.
public enum Milliseconds {
    /// `duration` in milliseconds with at most three decimals (`1.2345678` s → `1234.568`); negative durations
    /// give `0`.
    public static func from(_ duration: Duration) -> Double {
        let seconds = duration.inSeconds
        guard seconds.isFinite, seconds > 0 else { return 0 }
        return (seconds * 1_000_000).rounded() / 1000
    }
}
