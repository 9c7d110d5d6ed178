import BookingCore
import Foundation
import Testing

@Suite("Waitlist policy and priority")
struct WaitlistPolicyTests {
    @Test("standard policy is valid; weights must sum to 1 and be non-negative")
    func validation() throws {
        try WaitlistPolicy.standard.validate()
        var policy = WaitlistPolicy.standard
        policy.priorityWeights.waitTime = 0.6
        #expect(throws: ValidationError.self) { try policy.validate() }
        policy.priorityWeights = .init(waitTime: 1.2, membershipLevel: -0.2, chronicCondition: 0)
        #expect(throws: ValidationError(field: "priorityWeights.membershipLevel", problem: "must be a number ≥ 0")) { try policy.validate() }
        policy = .standard
        policy.maxQueueSize = 0
        #expect(throws: ValidationError.self) { try policy.validate() }
    }

    @Test("score grows with waiting, membership and chronic conditions, capped at 100")
    func score() {
        let policy = WaitlistPolicy.standard
        #expect(policy.priorityScore(hoursWaiting: 0, membershipLevel: 0, hasChronicCondition: false) == 0)
        #expect(policy.priorityScore(hoursWaiting: 0, membershipLevel: 0, hasChronicCondition: true) == 30)
        #expect(policy.priorityScore(hoursWaiting: 36, membershipLevel: 0, hasChronicCondition: false) == 25)
        #expect(policy.priorityScore(hoursWaiting: 1000, membershipLevel: 9, hasChronicCondition: true) == 100)
    }

    @Test("queue order: higher score first, then earlier join")
    func order() {
        func entry(_ score: Double, _ created: TimeInterval) -> WaitlistEntry {
            WaitlistEntry(
                id: UUID(), tenantID: .default, patientID: UUID(), doctorID: UUID(), clinicID: nil,
                preferredWindow: .init(start: Date(), end: Date()), reason: nil, status: .active, priorityScore: score,
                promotedAppointmentID: nil, audit: [], createdAt: Date(timeIntervalSince1970: created), updatedAt: Date())
        }
        let sorted = [entry(10, 3), entry(30, 5), entry(10, 1)].sorted(by: WaitlistEntry.queueOrder)
        #expect(sorted.map(\.priorityScore) == [30, 10, 10])
        #expect(sorted[1].createdAt < sorted[2].createdAt)
    }

    @Test("contact rules")
    func contactRules() throws {
        #expect(try ContactRules.email("  Asha@Example.COM ") == "asha@example.com")
        #expect(throws: ValidationError.self) { try ContactRules.email("no-at-sign") }
        #expect(throws: ValidationError.self) { try ContactRules.phone("9800000001") }
        #expect(try ContactRules.phone("+919800000001") == "+919800000001")
        #expect(throws: ValidationError.self) { try ContactRules.password("short1A") }
        #expect(throws: ValidationError.self) { try ContactRules.password("alllowercaseletters") }
        try ContactRules.password("Str0ng-pass-phrase")
        #expect(throws: ValidationError.self) { try ContactRules.name("bad\u{0}name") }
        #expect(TenantID(rawValue: "Default") == nil)
        #expect(TenantID(rawValue: "sunrise-health") != nil)
    }
}
