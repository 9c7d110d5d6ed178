import Foundation

/// RFC 3339 date-times (`2026-12-01T05:00:00Z`), the API's instants, formatted and parsed by arithmetic.
///
/// Foundation's `ISO8601DateFormatter` builds an ICU formatter per instance (about 0.2 ms on Linux); a week of
/// availability formats ~500 instants, which made the formatter 82 % of that request's CPU (docs/performance-tuning.md).
public enum RFC3339Instant {
    /// Seconds from 1970-01-01T00:00:00Z to 10000-01-01T00:00:00Z: instants the API accepts are before it.
    static let endOfYear9999: TimeInterval = 253_402_300_800

    /// `date` in UTC with whole seconds (the fraction is dropped, toward the past): `2026-12-01T05:00:00Z`.
    public static func format(_ date: Date) -> String {
        let total = Int(date.timeIntervalSince1970.rounded(.down))
        let days = total >= 0 ? total / 86_400 : (total - 86_399) / 86_400
        let secondOfDay = total - days * 86_400
        let civil = CivilDays.date(days: days)
        // 20 ASCII bytes written in place: this runs for every instant of every response.
        var bytes: [UInt8] = Array("0000-00-00T00:00:00Z".utf8)
        func put(_ value: Int, at offset: Int, width: Int) {
            var rest = value
            for position in stride(from: offset + width - 1, through: offset, by: -1) {
                bytes[position] = UInt8(0x30 + rest % 10)
                rest /= 10
            }
        }
        put(civil.year, at: 0, width: 4)
        put(civil.month, at: 5, width: 2)
        put(civil.day, at: 8, width: 2)
        put(secondOfDay / 3600, at: 11, width: 2)
        put(secondOfDay / 60 % 60, at: 14, width: 2)
        put(secondOfDay % 60, at: 17, width: 2)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)` (RFC 3339 §5.6; `t` and `z` in either case), years
    /// 1970–9999, checking that the date exists. Returns `nil` for anything else, including leap second `60`.
    public static func parse(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, bytes.count <= 40 else { return nil }
        var index = 0
        func number(_ width: Int) -> Int? {
            guard index + width <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[index..<index + width] {
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            index += width
            return value
        }
        func expect(_ allowed: Set<UInt8>) -> Bool {
            guard index < bytes.count, allowed.contains(bytes[index]) else { return false }
            index += 1
            return true
        }
        guard let year = number(4), expect([0x2D]), let month = number(2), expect([0x2D]), let day = number(2),
            expect([0x54, 0x74]), let hour = number(2), expect([0x3A]), let minute = number(2), expect([0x3A]),
            let second = number(2)
        else { return nil }
        guard (1...12).contains(month), day >= 1, day <= CivilDays.daysInMonth(year: year, month: month),
            hour < 24, minute < 60, second < 60
        else { return nil }
        var fraction = 0.0
        if index < bytes.count, bytes[index] == 0x2E {
            index += 1
            var scale = 0.1
            let digitsStart = index
            while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                fraction += Double(bytes[index] - 0x30) * scale
                scale /= 10
                index += 1
            }
            guard index > digitsStart else { return nil }
        }
        var offsetSeconds = 0
        if expect([0x5A, 0x7A]) {
            offsetSeconds = 0
        } else {
            guard index < bytes.count, bytes[index] == 0x2B || bytes[index] == 0x2D else { return nil }
            let sign = bytes[index] == 0x2D ? -1 : 1
            index += 1
            guard let offsetHours = number(2), expect([0x3A]), let offsetMinutes = number(2), offsetHours < 24, offsetMinutes < 60
            else { return nil }
            offsetSeconds = sign * (offsetHours * 3600 + offsetMinutes * 60)
        }
        guard index == bytes.count else { return nil }
        let local = CivilDays.days(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60 + second
        let seconds = TimeInterval(local - offsetSeconds) + fraction
        guard seconds >= 0, seconds < endOfYear9999 else { return nil }
        return Date(timeIntervalSince1970: seconds)
    }
}
