/// Conversions between proleptic Gregorian calendar dates and days since 1970-01-01, by arithmetic alone.
///
/// Source of the algorithm: Howard Hinnant, "chrono-Compatible Low-Level Date Algorithms"
/// (`days_from_civil`, `civil_from_days`), exact for every date of the proleptic Gregorian calendar. The service
/// uses it where Foundation's `Calendar` costs tens of microseconds per call (availability lists hundreds of slots).
public enum CivilDays {
    /// Days from 1970-01-01 to `year`-`month`-`day` (negative before 1970).
    /// - Precondition: `month` is 1…12 and `day` is 1…31; the result for a day past the month's end is the later day.
    public static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The calendar date `days` after 1970-01-01.
    public static func date(days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthPrime = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthPrime + 2) / 5 + 1
        let month = monthPrime < 10 ? monthPrime + 3 : monthPrime - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Days in `month` of `year` (28–31).
    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Whether `year` has 29 February (Gregorian rule: every 4th year, except centuries not divisible by 400).
    public static func isLeapYear(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    /// ISO weekday of the day `days` after 1970-01-01 (a Thursday): Monday = 1 … Sunday = 7.
    public static func isoWeekday(days: Int) -> Int {
        let fromMonday = ((days + 3) % 7 + 7) % 7  // 1970-01-01 is 3 days after a Monday
        return fromMonday + 1
    }
}
