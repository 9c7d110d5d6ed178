import Foundation

/// A doctor's weekly schedule at one clinic: recurring windows cut into slots of `slotMinutes`,
/// minus time off.
public struct DoctorSchedule: Codable, Sendable, Equatable {
    public var doctorID: UUID
    public var clinicID: UUID
    /// Slot length in minutes, 5–240.
    public var slotMinutes: Int
    public var weekly: [WeeklyWindow]
    public var timeOff: [TimeOff]

    /// - Throws: ``ValidationError`` for a slot length outside 5–240 minutes or overlapping windows on one day.
    public init(doctorID: UUID, clinicID: UUID, slotMinutes: Int, weekly: [WeeklyWindow], timeOff: [TimeOff]) throws {
        guard (5...240).contains(slotMinutes) else {
            throw ValidationError(field: "slotMinutes", problem: "must be from 5 to 240")
        }
        let byDay = Dictionary(grouping: weekly, by: \.weekday)
        for (_, windows) in byDay {
            let sorted = windows.sorted { $0.start < $1.start }
            for (a, b) in zip(sorted, sorted.dropFirst()) where b.start < a.end {
                throw ValidationError(field: "weekly", problem: "windows on weekday \(a.weekday) overlap")
            }
        }
        self.doctorID = doctorID
        self.clinicID = clinicID
        self.slotMinutes = slotMinutes
        self.weekly = weekly
        self.timeOff = timeOff
    }

    enum CodingKeys: String, CodingKey {
        case doctorID = "doctorId", clinicID = "clinicId", slotMinutes, weekly, timeOff
    }
}
