import Foundation

/// Relative date arithmetic and formatting for `date()`, `datetime()` and `now()`.
public enum RelativeDate {
    struct OffsetError: Error {
        var message: String
    }

    /// A signed amount of a unit, such as `+1d`, `-2w`, `90m`.
    struct Offset {
        var amount: Int
        var unit: Character

        init(parsing text: String, allowedUnits: Set<Character>) throws(OffsetError) {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            let units = allowedUnits.sorted().map(String.init).joined(separator: ", ")
            guard let unit = trimmed.last, allowedUnits.contains(unit) else {
                throw OffsetError(message: "offset '\(text)' must end with a unit (\(units))")
            }
            var digits = trimmed.dropLast()
            var sign = 1
            if digits.first == "+" {
                digits = digits.dropFirst()
            } else if digits.first == "-" {
                sign = -1
                digits = digits.dropFirst()
            }
            guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let amount = Int(digits) else {
                throw OffsetError(message: "offset '\(text)' must look like +1d or -2\(allowedUnits.sorted().last ?? "d")")
            }
            self.amount = sign * amount
            self.unit = unit
        }

        /// Length of the offset in seconds (`d` = 86 400 s, `w` = 7 d).
        var seconds: TimeInterval {
            let unitSeconds: Double
            switch unit {
            case "s": unitSeconds = 1
            case "m": unitSeconds = 60
            case "h": unitSeconds = 3600
            case "w": unitSeconds = 7 * 86_400
            default: unitSeconds = 86_400
            }
            return Double(amount) * unitSeconds
        }

        var days: Int { unit == "w" ? amount * 7 : amount }
    }

    /// `YYYY-MM-DD` of the calendar day `offset.days` after the day `now` falls on in `zone`.
    static func calendarDate(offset: Offset, from now: Date, in zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let shifted = calendar.date(byAdding: .day, value: offset.days, to: now) ?? now
        let parts = calendar.dateComponents([.year, .month, .day], from: shifted)
        return pad(parts.year ?? 0, 4) + "-" + pad(parts.month ?? 0, 2) + "-" + pad(parts.day ?? 0, 2)
    }

    /// RFC 3339 UTC timestamp with second precision, e.g. `2026-03-01T09:30:00Z`.
    public static func rfc3339(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return pad(parts.year ?? 0, 4) + "-" + pad(parts.month ?? 0, 2) + "-" + pad(parts.day ?? 0, 2) + "T"
            + pad(parts.hour ?? 0, 2) + ":" + pad(parts.minute ?? 0, 2) + ":" + pad(parts.second ?? 0, 2) + "Z"
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
