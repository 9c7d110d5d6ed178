import Foundation

/// A period in which a doctor takes no appointments, as absolute instants `[from, to)`.
public struct TimeOff: Hashable, Codable, Sendable {
    public let from: Date
    public let to: Date

    /// - Throws: ``ValidationError`` when `from` is not before `to`.
    public init(from: Date, to: Date, field: String = "timeOff") throws {
        guard from < to else { throw ValidationError(field: "\(field).to", problem: "must be after from") }
        self.from = from
        self.to = to
    }

    /// Whether `[start, end)` overlaps this period.
    public func overlaps(start: Date, end: Date) -> Bool { start < to && from < end }
}
