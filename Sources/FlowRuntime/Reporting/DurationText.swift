import FlowCore
import Foundation

/// Locale-independent duration formatting for reports.
public enum DurationText {
    /// Seconds with exactly three decimals and a dot (`12.345`), whatever the locale; negative durations give
    /// `0.000`, durations beyond a trillion seconds are capped there.
    public static func seconds(_ duration: Duration) -> String {
        let value = duration.inSeconds
        guard value.isFinite, value > 0 else { return "0.000" }
        let milliseconds = Int64((min(value, 1e12) * 1000).rounded())
        let fraction = String(milliseconds % 1000)
        return "\(milliseconds / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }

    /// Milliseconds with one decimal and a dot (`12.3`), whatever the locale; negative durations give `0.0`.
    public static func milliseconds(_ duration: Duration) -> String {
        let value = duration.inMilliseconds
        guard value.isFinite, value > 0 else { return "0.0" }
        let tenths = Int64((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}
