import Foundation

/// A calendar date without a zone (`"2026-12-01"`), used for availability ranges in a clinic's zone.
public struct LocalDate: Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Parses `YYYY-MM-DD` and checks the date exists (years 1970–9999).
    /// - Throws: ``ValidationError`` for `field`.
    public init(parsing text: String, field: String = "date") throws {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]), (1970...9999).contains(year)
        else { throw ValidationError(field: field, problem: "must be a date YYYY-MM-DD") }
        guard (1...12).contains(month), day >= 1, day <= CivilDays.daysInMonth(year: year, month: month) else {
            throw ValidationError(field: field, problem: "is not a calendar date")
        }
        self.year = year
        self.month = month
        self.day = day
    }

    /// The date of `instant` on the wall calendar of `zone`.
    public init(containing instant: Date, in zone: TimeZone) {
        let local = Int(instant.timeIntervalSince1970.rounded(.down)) + zone.secondsFromGMT(for: instant)
        self.init(daysSince1970: local >= 0 ? local / 86_400 : (local - 86_399) / 86_400)
    }

    /// The date `days` after 1970-01-01.
    public init(daysSince1970 days: Int) {
        let civil = CivilDays.date(days: days)
        self.init(year: civil.year, month: civil.month, day: civil.day)
    }

    /// Days from 1970-01-01 to this date.
    public var daysSince1970: Int { CivilDays.days(year: year, month: month, day: day) }

    private init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Midnight UTC at the start of this date.
    public var startInUTC: Date { Date(timeIntervalSince1970: TimeInterval(daysSince1970 * 86_400)) }

    /// This date plus `days` (negative to go back).
    public func adding(days: Int) -> LocalDate { LocalDate(daysSince1970: daysSince1970 + days) }

    /// Whole days from `self` to `other` (positive when `other` is later).
    public func days(to other: LocalDate) -> Int { other.daysSince1970 - daysSince1970 }

    /// ISO weekday: Monday = 1 … Sunday = 7 (ISO 8601).
    public var isoWeekday: Int { CivilDays.isoWeekday(days: daysSince1970) }

    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    public var description: String {
        let y = String(year)
        let m = (month < 10 ? "0" : "") + String(month)
        let d = (day < 10 ? "0" : "") + String(day)
        return "\(y)-\(m)-\(d)"
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { try self.init(parsing: text) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "must be YYYY-MM-DD"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
