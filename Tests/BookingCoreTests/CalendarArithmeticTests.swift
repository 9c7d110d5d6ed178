import Foundation
import Testing

@testable import BookingCore

/// ``CivilDays``, ``RFC3339Instant`` and ``LocalDate`` agree with Foundation's calendar and ISO 8601 formatter (which
/// they replaced on the request path for speed) on every day from 1970 to 2100 and on instants across that range.
@Suite struct CalendarArithmeticTests {
    static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    @Test func civilDaysMatchFoundationEveryDayFrom1970To2100() {
        var days = 0
        var date = Date(timeIntervalSince1970: 0)
        while days < 47_847 {  // 2101-01-01
            let expected = Self.utc.dateComponents([.year, .month, .day, .weekday], from: date)
            let civil = CivilDays.date(days: days)
            #expect(civil.year == expected.year && civil.month == expected.month && civil.day == expected.day, "day \(days)")
            #expect(CivilDays.days(year: civil.year, month: civil.month, day: civil.day) == days)
            let isoWeekday = expected.weekday! == 1 ? 7 : expected.weekday! - 1
            #expect(CivilDays.isoWeekday(days: days) == isoWeekday)
            days += 1
            date = date.addingTimeInterval(86_400)
        }
    }

    @Test func daysBefore1970AreNegativeAndExact() {
        #expect(CivilDays.days(year: 1969, month: 12, day: 31) == -1)
        #expect(CivilDays.date(days: -1) == (1969, 12, 31))
        #expect(CivilDays.date(days: -719_468) == (0, 3, 1))
        #expect(CivilDays.isoWeekday(days: -1) == 3)  // 1969-12-31 was a Wednesday
    }

    @Test func leapYearsFollowTheGregorianRule() {
        #expect(CivilDays.daysInMonth(year: 2024, month: 2) == 29)
        #expect(CivilDays.daysInMonth(year: 2100, month: 2) == 28)
        #expect(CivilDays.daysInMonth(year: 2000, month: 2) == 29)
        #expect(CivilDays.daysInMonth(year: 2026, month: 4) == 30)
        #expect(CivilDays.daysInMonth(year: 2026, month: 12) == 31)
    }

    @Test func formatMatchesISO8601DateFormatterAcrossTheRange() {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let seconds = Double(Int64.random(in: 0..<4_102_444_800, using: &generator))  // 1970 … 2100
            let date = Date(timeIntervalSince1970: seconds)
            #expect(RFC3339Instant.format(date) == formatter.string(from: date))
        }
        #expect(RFC3339Instant.format(Date(timeIntervalSince1970: 1.999)) == "1970-01-01T00:00:01Z")
        #expect(RFC3339Instant.format(Date(timeIntervalSince1970: 1_796_101_200)) == "2026-12-01T05:00:00Z")
    }

    @Test func parseReadsOffsetsFractionsAndEitherCase() throws {
        let expected = Date(timeIntervalSince1970: 1_796_101_200)
        for text in [
            "2026-12-01T05:00:00Z", "2026-12-01t05:00:00z", "2026-12-01T10:30:00+05:30", "2026-12-01T00:00:00-05:00",
            "2026-12-01T05:00:00.000Z", "2026-12-01T05:00:00.0000000+00:00",
        ] {
            #expect(RFC3339Instant.parse(text) == expected, "\(text)")
        }
        let fractional = try #require(RFC3339Instant.parse("2026-12-01T05:00:00.25Z"))
        #expect(abs(fractional.timeIntervalSince1970 - 1_796_101_200.25) < 0.000_001)
    }

    @Test(arguments: [
        "2026-02-29T00:00:00Z",  // not a leap year
        "2026-13-01T00:00:00Z", "2026-00-10T00:00:00Z", "2026-04-31T00:00:00Z",
        "2026-12-01T24:00:00Z", "2026-12-01T05:60:00Z", "2026-12-01T05:00:60Z",
        "2026-12-01T05:00:00", "2026-12-01 05:00:00Z", "2026-12-01T05:00:00+0530", "2026-12-01T05:00:00+24:00",
        "2026-12-01T05:00:00.Z", "1969-12-31T23:59:59Z", "10000-01-01T00:00:00Z", "2026-12-01T05:00:00Z ",
        "２０２６-12-01T05:00:00Z", "",
    ])
    func parseRefusesWhatIsNotAnRFC3339Instant(_ text: String) {
        #expect(RFC3339Instant.parse(text) == nil)
    }

    @Test func formatThenParseIsTheIdentityOnWholeSeconds() {
        for seconds in stride(from: 0.0, to: 4_102_444_800, by: 9_999_991) {
            let date = Date(timeIntervalSince1970: seconds)
            #expect(RFC3339Instant.parse(RFC3339Instant.format(date)) == date)
        }
    }

    @Test func localDateContainingAnInstantFollowsTheZone() throws {
        let instant = Date(timeIntervalSince1970: 1_796_148_000)  // 2026-12-01T18:00:00Z
        #expect(LocalDate(containing: instant, in: TimeZone(identifier: "Asia/Kolkata")!).description == "2026-12-01")  // 23:30
        #expect(LocalDate(containing: instant, in: TimeZone(identifier: "Pacific/Kiritimati")!).description == "2026-12-02")  // +14
        #expect(LocalDate(containing: instant, in: TimeZone(identifier: "America/New_York")!).description == "2026-12-01")
        let date = try LocalDate(parsing: "2024-02-29")
        #expect(date.adding(days: 1).description == "2024-03-01")
        #expect(date.days(to: try LocalDate(parsing: "2025-02-28")) == 365)
        #expect(throws: ValidationError.self) { try LocalDate(parsing: "2025-02-29") }
    }
}
