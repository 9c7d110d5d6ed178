import BookingCore
import Foundation
import Testing

@Suite("Slot generation in the clinic's zone")
struct SlotGeneratorTests {
    let doctor = UUID()
    let clinic = UUID()

    func schedule(_ weekly: [WeeklyWindow], slotMinutes: Int = 30, timeOff: [TimeOff] = []) throws -> DoctorSchedule {
        try DoctorSchedule(doctorID: doctor, clinicID: clinic, slotMinutes: slotMinutes, weekly: weekly, timeOff: timeOff)
    }

    func everyDay(_ start: String, _ end: String) throws -> [WeeklyWindow] {
        try (1...7).map { try WeeklyWindow(weekday: $0, start: LocalTime(parsing: start), end: LocalTime(parsing: end)) }
    }

    func iso(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    @Test("a normal day in Asia/Kolkata maps 09:00 to 03:30Z")
    func kolkataDay() throws {
        let generator = SlotGenerator(zone: TimeZone(identifier: "Asia/Kolkata")!)
        let day = try LocalDate(parsing: "2026-12-01")
        let slots = generator.slots(for: try schedule(everyDay("09:00", "11:00")), from: day, to: day)
        #expect(slots.count == 4)
        #expect(slots.first?.start == iso("2026-12-01T03:30:00Z"))
        #expect(slots.last?.end == iso("2026-12-01T05:30:00Z"))
        #expect(slots.allSatisfy { $0.end.timeIntervalSince($0.start) == 1800 && $0.clinicID == clinic })
    }

    @Test("09:00 in New York is 14:00Z before and 13:00Z on the spring-forward day (2026-03-08)")
    func newYorkSpringForward() throws {
        let generator = SlotGenerator(zone: TimeZone(identifier: "America/New_York")!)
        let before = try LocalDate(parsing: "2026-03-07")
        let transition = try LocalDate(parsing: "2026-03-08")
        let slots = generator.slots(for: try schedule(everyDay("09:00", "10:00")), from: before, to: transition)
        #expect(
            slots.map(\.start) == [
                iso("2026-03-07T14:00:00Z"), iso("2026-03-07T14:30:00Z"),
                iso("2026-03-08T13:00:00Z"), iso("2026-03-08T13:30:00Z"),
            ])
    }

    @Test("wall times skipped by the transition yield no slot; slots never span the gap")
    func newYorkGapIsSkipped() throws {
        let generator = SlotGenerator(zone: TimeZone(identifier: "America/New_York")!)
        let transition = try LocalDate(parsing: "2026-03-08")
        let slots = generator.slots(for: try schedule(everyDay("01:00", "04:00")), from: transition, to: transition)
        // 01:00, 01:30 (EST), then 02:00 and 02:30 do not exist, then 03:00, 03:30 (EDT).
        #expect(
            slots.map(\.start) == [
                iso("2026-03-08T06:00:00Z"), iso("2026-03-08T06:30:00Z"),
                iso("2026-03-08T07:00:00Z"), iso("2026-03-08T07:30:00Z"),
            ])
        #expect(slots.allSatisfy { $0.end.timeIntervalSince($0.start) == 1800 })
    }

    @Test("a wall time repeated when clocks go back (New York, 2026-11-01) gives its first occurrence")
    func newYorkFallBackRepeatsFirstOccurrence() throws {
        let generator = SlotGenerator(zone: TimeZone(identifier: "America/New_York")!)
        let transition = try LocalDate(parsing: "2026-11-01")
        let slots = generator.slots(for: try schedule(everyDay("00:30", "02:30")), from: transition, to: transition)
        // 00:30, 01:00, 01:30 (EDT, -4), then 02:00 (EST, -5).
        #expect(
            slots.map(\.start) == [
                iso("2026-11-01T04:30:00Z"), iso("2026-11-01T05:00:00Z"), iso("2026-11-01T05:30:00Z"), iso("2026-11-01T07:00:00Z"),
            ])
    }

    /// The generator computes instants from each day's offset; Foundation's calendar (which it replaced for speed)
    /// is the reference: every 30-minute wall time of every day of 2026 in zones with and without DST, including a
    /// half-hour DST zone (Lord Howe) and one that skipped a whole day once (Apia, 2011).
    @Test(
        "every wall time of a year agrees with Foundation's calendar",
        arguments: ["Asia/Kolkata", "America/New_York", "Europe/London", "Australia/Lord_Howe", "America/Sao_Paulo", "Pacific/Apia"])
    func agreesWithFoundationCalendar(zoneName: String) throws {
        let zone = try #require(TimeZone(identifier: zoneName))
        let generator = SlotGenerator(zone: zone)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        func reference(_ date: LocalDate, _ minutes: Int) -> Date? {
            let day = minutes >= 1440 ? date.adding(days: 1) : date
            let rest = minutes % 1440
            guard let instant = calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day, hour: rest / 60, minute: rest % 60))
            else { return nil }
            let back = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: instant)
            guard back.year == day.year, back.month == day.month, back.day == day.day, back.hour == rest / 60, back.minute == rest % 60
            else { return nil }
            return instant
        }
        let first = try LocalDate(parsing: zoneName == "Pacific/Apia" ? "2011-12-25" : "2026-01-01")
        let last = first.adding(days: zoneName == "Pacific/Apia" ? 14 : 364)
        let allDay = try schedule(everyDay("00:00", "24:00"))
        let slots = generator.slots(for: allDay, from: first, to: last)
        var expected: [Date] = []
        var date = first
        while date <= last {
            for minutes in stride(from: 0, to: 1440, by: 30) { if let instant = reference(date, minutes) { expected.append(instant) } }
            date = date.adding(days: 1)
        }
        #expect(slots.map(\.start) == expected)
        for minutes in [0, 90, 150, 1440] {
            #expect(generator.instant(on: first, minutes: minutes) == reference(first, minutes))
        }
    }

    @Test("free slots exclude the past, bookings and time off")
    func freeSlots() throws {
        let generator = SlotGenerator(zone: TimeZone(identifier: "Asia/Kolkata")!)
        let day = try LocalDate(parsing: "2026-12-01")
        let off = try TimeOff(from: iso("2026-12-01T05:00:00Z"), to: iso("2026-12-01T05:30:00Z"))
        let free = generator.freeSlots(
            for: try schedule(everyDay("09:00", "11:00"), timeOff: [off]), from: day, to: day,
            now: iso("2026-12-01T03:45:00Z"),
            booked: [(start: iso("2026-12-01T04:00:00Z"), end: iso("2026-12-01T04:30:00Z"))])
        #expect(free.map(\.start) == [iso("2026-12-01T04:30:00Z")])
    }

    @Test("a slot that does not fit the window is not offered")
    func partialSlot() throws {
        let generator = SlotGenerator(zone: TimeZone(identifier: "Asia/Kolkata")!)
        let day = try LocalDate(parsing: "2026-12-01")
        let slots = generator.slots(for: try schedule(everyDay("09:00", "10:10"), slotMinutes: 30), from: day, to: day)
        #expect(slots.count == 2)
    }

    @Test("bad schedule values are rejected with the field named")
    func badValues() throws {
        #expect(throws: ValidationError(field: "time", problem: "must be HH:MM")) { try LocalTime(parsing: "9:00") }
        #expect(throws: ValidationError.self) { try LocalTime(parsing: "24:30") }
        #expect(throws: ValidationError.self) { try WeeklyWindow(weekday: 8, start: LocalTime(parsing: "09:00"), end: LocalTime(parsing: "10:00")) }
        #expect(throws: ValidationError.self) { try WeeklyWindow(weekday: 1, start: LocalTime(parsing: "10:00"), end: LocalTime(parsing: "09:00")) }
        #expect(throws: ValidationError.self) { try schedule(everyDay("09:00", "10:00"), slotMinutes: 3) }
        let overlapping = [
            try WeeklyWindow(weekday: 1, start: LocalTime(parsing: "09:00"), end: LocalTime(parsing: "11:00")),
            try WeeklyWindow(weekday: 1, start: LocalTime(parsing: "10:00"), end: LocalTime(parsing: "12:00")),
        ]
        #expect(throws: ValidationError.self) { try schedule(overlapping) }
        #expect(throws: ValidationError.self) { try LocalDate(parsing: "2026-02-30") }
    }

    @Test("local dates: weekday and arithmetic across month ends")
    func localDates() throws {
        let date = try LocalDate(parsing: "2026-11-30")
        #expect(date.isoWeekday == 1)
        #expect(date.adding(days: 1).description == "2026-12-01")
        #expect(date.days(to: try LocalDate(parsing: "2026-12-31")) == 31)
    }
}
