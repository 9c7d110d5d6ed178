import Foundation

/// Cuts a weekly schedule into concrete slots in the clinic's time zone.
///
/// Windows are wall-clock times, so on a daylight-saving transition day the same `09:00` maps to a
/// different UTC offset than the day before; wall times that do not exist (the skipped hour when clocks
/// go forward) yield no slot, and a repeated wall time (clocks going back) yields its first occurrence.
/// A slot always lasts exactly `slotMinutes` of elapsed time from its start.
///
/// Cost: two zone-offset look-ups per day, and per slot only on the days next to an offset change (a slot's
/// instant is its wall time minus the day's offset); no `Calendar` work, which cost ~0.1 ms per slot on Linux.
public struct SlotGenerator: Sendable {
    public let zone: TimeZone

    public init(zone: TimeZone) {
        self.zone = zone
    }

    /// All slots of `schedule` on the local dates `from...to` (inclusive), before removing bookings.
    /// Slots overlapping time off are left out.
    public func slots(for schedule: DoctorSchedule, from: LocalDate, to: LocalDate) -> [Slot] {
        var result: [Slot] = []
        var date = from
        while date <= to {
            let windows = schedule.weekly.filter { $0.weekday == date.isoWeekday }.sorted { $0.start < $1.start }
            let offset = uniformOffset(around: date)
            for window in windows {
                var minute = window.start.minutesSinceMidnight
                while minute + schedule.slotMinutes <= window.end.minutesSinceMidnight {
                    let wall = date.daysSince1970 * 86_400 + minute * 60
                    if let start = offset.map({ Date(timeIntervalSince1970: TimeInterval(wall - $0)) }) ?? instant(on: date, minutes: minute),
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
    /// exist in the zone (skipped by a DST transition); a wall time that occurs twice (clocks going back) gives
    /// its first occurrence. `24:00` is midnight of the next day.
    public func instant(on date: LocalDate, minutes: Int) -> Date? {
        let wall = date.daysSince1970 * 86_400 + minutes * 60
        // The offsets in force a day before and a day after are the only candidates (zones change offset at
        // most once within two days); a candidate is right when the zone has that offset at the instant it gives.
        let candidates = Set([offset(at: wall - 86_400), offset(at: wall + 86_400)])
        let instants = candidates.map { wall - $0 }.filter { offset(at: $0) == wall - $0 }
        return instants.min().map { Date(timeIntervalSince1970: TimeInterval($0)) }
    }

    /// The zone's offset for every wall time of `date` when it is the same from a day before to a day after the
    /// date (no transition near), else `nil` (each wall time is then resolved by ``instant(on:minutes:)``).
    func uniformOffset(around date: LocalDate) -> Int? {
        let midnight = date.daysSince1970 * 86_400
        let before = offset(at: midnight - 86_400 - 14 * 3600)
        let after = offset(at: midnight + 2 * 86_400 + 14 * 3600)
        guard before == after else { return nil }
        // Equal offsets at both ends could still hide two transitions between them; one more look-up rules it out.
        guard let next = zone.nextDaylightSavingTimeTransition(after: Date(timeIntervalSince1970: TimeInterval(midnight - 86_400 - 14 * 3600))),
            next.timeIntervalSince1970 < TimeInterval(midnight + 2 * 86_400 + 14 * 3600)
        else { return before }
        return nil
    }

    /// Seconds east of UTC in the zone at `secondsSince1970`.
    private func offset(at secondsSince1970: Int) -> Int {
        zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(secondsSince1970)))
    }
}
