import Foundation

/// One bookable interval `[start, end)` of a doctor at a clinic.
public struct Slot: Hashable, Codable, Sendable {
    public let start: Date
    public let end: Date
    public let clinicID: UUID

    public init(start: Date, end: Date, clinicID: UUID) {
        self.start = start
        self.end = end
        self.clinicID = clinicID
    }
}
