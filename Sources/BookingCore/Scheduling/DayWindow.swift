import Foundation

/// The span `[start, end)` of one calendar day on the wall clock of a time zone. Days are 23, 24 or 25
/// hours long where the zone observes DST, and start at the first instant of the date even when local
/// midnight is skipped.
public struct DayWindow: Sendable, Equatable {
    /// First instant of the day.
    public let start: Date
    /// First instant of the next day (exclusive).
    public let end: Date

    /// The day of `zone` that contains `instant`.
    public init(containing instant: Date, in zone: TimeZone) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let start = calendar.startOfDay(for: instant)
        self.start = start
        self.end = calendar.date(byAdding: .day, value: 1, to: start).map(calendar.startOfDay(for:)) ?? start.addingTimeInterval(86_400)
    }

    /// Whether `instant` lies within the day.
    public func contains(_ instant: Date) -> Bool { start <= instant && instant < end }
}
