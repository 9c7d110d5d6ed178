import Foundation

/// Ordering used by the `gt`/`gte`/`lt`/`lte` predicates.
///
/// Two numbers compare numerically; two strings that both parse as RFC 3339 date-times or ISO 8601
/// calendar dates (`YYYY-MM-DD`) compare chronologically; other pairs of strings compare lexicographically
/// by Unicode scalar values. Any other pair has no order.
public enum ValueOrdering {
    /// - Returns: the order of `left` relative to `right`, or `nil` when they cannot be ordered.
    public static func compare(_ left: JSONValue, _ right: JSONValue) -> ComparisonResult? {
        switch (left, right) {
        case (.number(let a), .number(let b)):
            return a < b ? .orderedAscending : (a > b ? .orderedDescending : .orderedSame)
        case (.string(let a), .string(let b)):
            if let first = parseDate(a), let second = parseDate(b) {
                return first < second ? .orderedAscending : (first > second ? .orderedDescending : .orderedSame)
            }
            if a == b { return .orderedSame }
            return a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars) ? .orderedAscending : .orderedDescending
        default:
            return nil
        }
    }

    /// Parses an RFC 3339 date-time (with or without fractional seconds) or a `YYYY-MM-DD` date (midnight UTC).
    public static func parseDate(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        for options: ISO8601DateFormatter.Options in [
            [.withInternetDateTime], [.withInternetDateTime, .withFractionalSeconds], [.withFullDate],
        ] {
            formatter.formatOptions = options
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }
}
