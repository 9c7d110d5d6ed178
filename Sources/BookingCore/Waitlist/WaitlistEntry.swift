import Foundation

/// A patient's place in a doctor's queue for a preferred time window.
public struct WaitlistEntry: Codable, Sendable, Equatable {
    /// One line of the entry's audit trail.
    public struct AuditEvent: Codable, Sendable, Equatable {
        public var action: String
        public var actorID: UUID?
        public var at: Date
        public var notes: String?

        public init(action: String, actorID: UUID?, at: Date, notes: String?) {
            self.action = action
            self.actorID = actorID
            self.at = at
            self.notes = notes
        }

        enum CodingKeys: String, CodingKey { case action, actorID = "actorId", at, notes }
    }

    /// The span of time the patient would accept a slot in.
    public struct Window: Codable, Sendable, Equatable {
        public var start: Date
        public var end: Date

        public init(start: Date, end: Date) {
            self.start = start
            self.end = end
        }

        /// Whether the slot `[slotStart, slotEnd)` lies within the window.
        public func covers(slotStart: Date, slotEnd: Date) -> Bool { start <= slotStart && slotEnd <= end }
    }

    public var id: UUID
    public var tenantID: TenantID
    public var patientID: UUID
    public var doctorID: UUID
    public var clinicID: UUID?
    public var preferredWindow: Window
    public var reason: String?
    public var status: WaitlistStatus
    /// 0–100; higher is served first.
    public var priorityScore: Double
    public var promotedAppointmentID: UUID?
    public var audit: [AuditEvent]
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: UUID, tenantID: TenantID, patientID: UUID, doctorID: UUID, clinicID: UUID?, preferredWindow: Window,
        reason: String?, status: WaitlistStatus, priorityScore: Double, promotedAppointmentID: UUID?,
        audit: [AuditEvent], createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.tenantID = tenantID
        self.patientID = patientID
        self.doctorID = doctorID
        self.clinicID = clinicID
        self.preferredWindow = preferredWindow
        self.reason = reason
        self.status = status
        self.priorityScore = priorityScore
        self.promotedAppointmentID = promotedAppointmentID
        self.audit = audit
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, tenantID = "tenantId", patientID = "patientId", doctorID = "doctorId", clinicID = "clinicId"
        case preferredWindow, reason, status, priorityScore, promotedAppointmentID = "promotedAppointmentId"
        case audit, createdAt, updatedAt
    }

    /// Orders a queue: higher `priorityScore` first, then earlier `createdAt` (API.md default sort
    /// `-priorityScore, createdAt`).
    public static func queueOrder(_ a: WaitlistEntry, _ b: WaitlistEntry) -> Bool {
        a.priorityScore != b.priorityScore ? a.priorityScore > b.priorityScore : a.createdAt < b.createdAt
    }
}
