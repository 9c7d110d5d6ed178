/// A rejected input value: which field and what is wrong with it. Maps to `400 VALIDATION_ERROR`
/// with `details` naming the field (API.md "Error codes").
public struct ValidationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Field path as the client spelled it, e.g. `weekly[2].start`.
    public var field: String
    /// Human-readable problem, e.g. `must be HH:MM`.
    public var problem: String

    public init(field: String, problem: String) {
        self.field = field
        self.problem = problem
    }

    public var description: String { "\(field): \(problem)" }
}
