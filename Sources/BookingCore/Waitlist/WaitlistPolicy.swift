import Foundation

/// Per-clinic (or tenant-wide) waitlist rules (API.md "Waitlists", `GET|PUT /api/waitlists/policy`).
public struct WaitlistPolicy: Codable, Sendable, Equatable {
    /// Weights of the priority score components; each ≥ 0, summing to 1 ± 0.001.
    public struct PriorityWeights: Codable, Sendable, Equatable {
        public var waitTime: Double
        public var membershipLevel: Double
        public var chronicCondition: Double

        public init(waitTime: Double, membershipLevel: Double, chronicCondition: Double) {
            self.waitTime = waitTime
            self.membershipLevel = membershipLevel
            self.chronicCondition = chronicCondition
        }
    }

    /// Open entries (active or invited) allowed per doctor queue.
    public var maxQueueSize: Int
    /// Hours after which an open entry becomes `expired`.
    public var autoExpiryHours: Int
    public var priorityWeights: PriorityWeights

    /// The policy used where none is stored: 100 entries, 72 hours, weights 0.5 / 0.2 / 0.3.
    public static let standard = WaitlistPolicy(
        maxQueueSize: 100, autoExpiryHours: 72,
        priorityWeights: .init(waitTime: 0.5, membershipLevel: 0.2, chronicCondition: 0.3))

    public init(maxQueueSize: Int, autoExpiryHours: Int, priorityWeights: PriorityWeights) {
        self.maxQueueSize = maxQueueSize
        self.autoExpiryHours = autoExpiryHours
        self.priorityWeights = priorityWeights
    }

    /// - Throws: ``ValidationError`` naming the offending field.
    public func validate() throws {
        guard (1...10_000).contains(maxQueueSize) else {
            throw ValidationError(field: "maxQueueSize", problem: "must be from 1 to 10000")
        }
        guard (1...24 * 90).contains(autoExpiryHours) else {
            throw ValidationError(field: "autoExpiryHours", problem: "must be from 1 to 2160")
        }
        let w = priorityWeights
        for (name, value) in [("waitTime", w.waitTime), ("membershipLevel", w.membershipLevel), ("chronicCondition", w.chronicCondition)]
        where !(value >= 0 && value.isFinite) {
            throw ValidationError(field: "priorityWeights.\(name)", problem: "must be a number ≥ 0")
        }
        guard abs(w.waitTime + w.membershipLevel + w.chronicCondition - 1) <= 0.001 else {
            throw ValidationError(field: "priorityWeights", problem: "must sum to 1 (± 0.001)")
        }
    }

    /// Priority score 0–100 of an entry.
    /// - Parameters:
    ///   - hoursWaiting: hours since the entry joined; saturates at `autoExpiryHours`.
    ///   - membershipLevel: 0 (none) … 3 (highest).
    ///   - hasChronicCondition: whether the patient's medical history lists a condition.
    public func priorityScore(hoursWaiting: Double, membershipLevel: Int, hasChronicCondition: Bool) -> Double {
        let wait = min(max(hoursWaiting, 0) / Double(autoExpiryHours), 1)
        let membership = Double(min(max(membershipLevel, 0), 3)) / 3
        let chronic = hasChronicCondition ? 1.0 : 0.0
        let w = priorityWeights
        let raw = 100 * (w.waitTime * wait + w.membershipLevel * membership + w.chronicCondition * chronic)
        return (raw * 100).rounded() / 100
    }
}
