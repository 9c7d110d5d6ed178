import Foundation

/// Durations written in flow files: a number with a unit — `250ms`, `2s`, `1.5s`, `2m` — as used by `timeout:`,
/// `retry: {interval: …}` and `duration: {lt: …}`. A unit is required, so `500` is never ambiguous.
public enum DurationLiteral {
    /// Units accepted, with their length in seconds.
    static let units: [(suffix: String, seconds: Double)] = [("ms", 0.001), ("s", 1), ("m", 60)]

    /// The longest duration accepted: one day (longer values are certainly mistakes, and would overflow the clock
    /// arithmetic).
    public static let maximum: Duration = .seconds(86_400)

    /// The duration, or `nil` when `text` is not a non-negative number followed by `ms`, `s` or `m`, or is longer
    /// than ``maximum``.
    public static func parse(_ text: String) -> Duration? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        for unit in units where trimmed.hasSuffix(unit.suffix) {
            let number = trimmed.dropLast(unit.suffix.count).trimmingCharacters(in: .whitespaces)
            guard !number.isEmpty, number.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
                let value = Double(number), value.isFinite
            else { return nil }
            let seconds = value * unit.seconds
            return seconds <= maximum.inSeconds ? .fractionalSeconds(seconds) : nil
        }
        return nil
    }
}
