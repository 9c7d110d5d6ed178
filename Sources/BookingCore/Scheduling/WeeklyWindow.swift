/// One recurring working window: on ISO `weekday` (Monday = 1 … Sunday = 7) from `start` to `end`,
/// wall-clock time in the clinic's zone (API.md "Doctors", `PUT /api/doctors/me/availability`).
public struct WeeklyWindow: Hashable, Codable, Sendable {
    public let weekday: Int
    public let start: LocalTime
    public let end: LocalTime

    /// - Throws: ``ValidationError`` when the weekday is not 1–7 or `start` is not before `end`.
    public init(weekday: Int, start: LocalTime, end: LocalTime, field: String = "weekly") throws {
        guard (1...7).contains(weekday) else {
            throw ValidationError(field: "\(field).weekday", problem: "must be 1 (Monday) to 7 (Sunday)")
        }
        guard start < end else { throw ValidationError(field: "\(field).end", problem: "must be after start") }
        self.weekday = weekday
        self.start = start
        self.end = end
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let weekday = try container.decode(Int.self, forKey: .weekday)
        let start = try container.decode(LocalTime.self, forKey: .start)
        let end = try container.decode(LocalTime.self, forKey: .end)
        do { try self.init(weekday: weekday, start: start, end: end) } catch let error as ValidationError {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.problem))
        }
    }

    enum CodingKeys: String, CodingKey { case weekday, start, end }
}
