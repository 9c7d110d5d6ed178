import FlowCore
import Foundation

/// Durations for machine-readable reports: milliseconds as a number, rounded to the microsecond.
public enum Milliseconds {
    /// `seconds` in milliseconds with at most three decimals (`1.2345678` s → `1234.568`); negative or
    /// non-finite values give `0`.
    public static func from(seconds: TimeInterval) -> Double {
        guard seconds.isFinite, seconds > 0 else { return 0 }
        return (seconds * 1_000_000).rounded() / 1000
    }
}
