import Foundation

/// A booked consultation: one patient, one doctor, one clinic, one slot.
public struct Appointment: Codable, Sendable, Equatable {
    public var id: UUID
    public var tenantID: TenantID
    public var patientID: UUID
    public var doctorID: UUID
    public var clinicID: UUID
    /// Slot start.
    public var scheduledAt: Date
    /// Slot end.
    public var endsAt: Date
    public var mode: ConsultationMode
    public var status: AppointmentStatus
    public var reasonForVisit: String?
    /// Fee in paise captured at booking time.
    public var fee: Int
    public var notes: String?
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: UUID, tenantID: TenantID, patientID: UUID, doctorID: UUID, clinicID: UUID, scheduledAt: Date, endsAt: Date,
        mode: ConsultationMode, status: AppointmentStatus, reasonForVisit: String?, fee: Int, notes: String?,
        createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.tenantID = tenantID
        self.patientID = patientID
        self.doctorID = doctorID
        self.clinicID = clinicID
        self.scheduledAt = scheduledAt
        self.endsAt = endsAt
        self.mode = mode
        self.status = status
        self.reasonForVisit = reasonForVisit
        self.fee = fee
        self.notes = notes
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, tenantID = "tenantId", patientID = "patientId", doctorID = "doctorId", clinicID = "clinicId"
        case scheduledAt, endsAt, mode, status, reasonForVisit, fee, notes, createdAt, updatedAt
    }

    /// The status a new booking starts in: `pending-payment` for a paid consultation, else `confirmed`.
    public static func initialStatus(fee: Int) -> AppointmentStatus { fee > 0 ? .pendingPayment : .confirmed }
}
