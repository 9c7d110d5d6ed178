import Foundation

/// Cuts a weekly schedule into concrete slots in the clinic's time zone.
///
/// Windows are wall-clock times, so on a daylight-saving transition day the same `09:00` maps to a
/// different UTC offset than the day before; wall times that do not exist (the skipped hour when clocks
/// go forward) yield no slot, and a repeated wall time (clocks going back) yields its first occurrence.
/// A slot always lasts exactly `slotMinutes` of elapsed time from its start.
public struct SlotGenerator: Sendable {
    public let zone: TimeZone
    private let calendar: Calendar

    public init(zone: TimeZone) {
        self.zone = zone
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        self.calendar = calendar
    }

    /// All slots of `schedule` on the local dates `from...to` (inclusive), before removing bookings.
    /// Slots overlapping time off are left out.
    public func slots(for schedule: DoctorSchedule, from: LocalDate, to: LocalDate) -> [Slot] {
        var result: [Slot] = []
        var date = from
        while date <= to {
            let windows = schedule.weekly.filter { $0.weekday == date.isoWeekday }.sorted { $0.start < $1.start }
            for window in windows {
                var minute = window.start.minutesSinceMidnight
                while minute + schedule.slotMinutes <= window.end.minutesSinceMidnight {
                    if let start = instant(on: date, minutes: minute),
                        case let end = start.addingTimeInterval(TimeInterval(schedule.slotMinutes * 60)),
                        !schedule.timeOff.contains(where: { $0.overlaps(start: start, end: end) })
                    {
                        result.append(Slot(start: start, end: end, clinicID: schedule.clinicID))
                    }
                    minute += schedule.slotMinutes
                }
            }
            date = date.adding(days: 1)
        }
        return result
    }

    /// Free slots: the schedule's slots minus those starting before `now` and minus `booked` intervals.
    /// - Parameter booked: start/end of non-cancelled appointments of the doctor.
    public func freeSlots(
        for schedule: DoctorSchedule, from: LocalDate, to: LocalDate, now: Date, booked: [(start: Date, end: Date)]
    ) -> [Slot] {
        slots(for: schedule, from: from, to: to).filter { slot in
            slot.start >= now && !booked.contains { slot.start < $0.end && $0.start < slot.end }
        }
    }

    /// The instant of wall-clock `minutes` after midnight on `date`, or `nil` when that wall time does not
    /// exist in the zone (skipped by a DST transition). `24:00` is midnight of the next day.
    public func instant(on date: LocalDate, minutes: Int) -> Date? {
        let day = minutes >= 24 * 60 ? date.adding(days: 1) : date
        let rest = minutes % (24 * 60)
        let components = DateComponents(
            year: day.year, month: day.month, day: day.day, hour: rest / 60, minute: rest % 60)
        guard let instant = calendar.date(from: components) else { return nil }
        let back = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: instant)
        guard back.year == day.year, back.month == day.month, back.day == day.day, back.hour == rest / 60,
            back.minute == rest % 60
        else { return nil }
        return instant
    }
}
