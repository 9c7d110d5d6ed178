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
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let components = DateComponents(year: year, month: month, day: day)
        guard components.isValidDate(in: calendar) else {
            throw ValidationError(field: field, problem: "is not a calendar date")
        }
        self.year = year
        self.month = month
        self.day = day
    }

    /// The date of `instant` on the wall calendar of `zone`.
    public init(containing instant: Date, in zone: TimeZone) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let components = calendar.dateComponents([.year, .month, .day], from: instant)
        self.year = components.year!
        self.month = components.month!
        self.day = components.day!
    }

    private init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Midnight UTC at the start of this date.
    public var startInUTC: Date {
        Self.utcCalendar.date(from: DateComponents(year: year, month: month, day: day))!
    }

    /// This date plus `days` (negative to go back).
    public func adding(days: Int) -> LocalDate {
        let calendar = Self.utcCalendar
        let date = calendar.date(from: DateComponents(year: year, month: month, day: day))!
        let moved = calendar.date(byAdding: .day, value: days, to: date)!
        let c = calendar.dateComponents([.year, .month, .day], from: moved)
        return LocalDate(year: c.year!, month: c.month!, day: c.day!)
    }

    /// Whole days from `self` to `other` (positive when `other` is later).
    public func days(to other: LocalDate) -> Int {
        let calendar = Self.utcCalendar
        let a = calendar.date(from: DateComponents(year: year, month: month, day: day))!
        let b = calendar.date(from: DateComponents(year: other.year, month: other.month, day: other.day))!
        return calendar.dateComponents([.day], from: a, to: b).day!
    }

    /// ISO weekday: Monday = 1 … Sunday = 7 (ISO 8601).
    public var isoWeekday: Int {
        let calendar = Self.utcCalendar
        let date = calendar.date(from: DateComponents(year: year, month: month, day: day))!
        let gregorian = calendar.component(.weekday, from: date)  // Sunday = 1
        return gregorian == 1 ? 7 : gregorian - 1
    }

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

    private static let utcCalendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()
}
