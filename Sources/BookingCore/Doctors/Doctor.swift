import Foundation

/// How a consultation takes place.
public enum ConsultationMode: String, Codable, Sendable, CaseIterable {
    case inPerson = "in-person"
    case video
    case phone
}

/// Where a doctor stands in the admin review workflow (API.md "Admin"). Only `active` doctors are
/// listed to patients and can be booked.
public enum ReviewStatus: String, Codable, Sendable, CaseIterable {
    case pending
    case needsInfo = "needs-info"
    case approved
    case active
}

/// A doctor's public profile. Its id equals the doctor's account id.
public struct Doctor: Codable, Sendable, Equatable {
    public var id: UUID
    public var tenantID: TenantID
    public var name: String
    public var email: String
    public var phone: String
    public var specialization: String
    /// Consultation fee in the currency's minor unit (paise for INR); 0 means free.
    public var fee: Int
    public var currency: String
    public var consultationModes: [ConsultationMode]
    public var reviewStatus: ReviewStatus
    public var reviewNotes: String?
    public var clinicIDs: [UUID]
    public var city: String
    public var createdAt: Date

    public init(
        id: UUID, tenantID: TenantID, name: String, email: String, phone: String, specialization: String, fee: Int,
        currency: String = "INR", consultationModes: [ConsultationMode], reviewStatus: ReviewStatus,
        reviewNotes: String? = nil, clinicIDs: [UUID], city: String, createdAt: Date
    ) {
        self.id = id
        self.tenantID = tenantID
        self.name = name
        self.email = email
        self.phone = phone
        self.specialization = specialization
        self.fee = fee
        self.currency = currency
        self.consultationModes = consultationModes
        self.reviewStatus = reviewStatus
        self.reviewNotes = reviewNotes
        self.clinicIDs = clinicIDs
        self.city = city
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case id, tenantID = "tenantId", name, email, phone, specialization, fee, currency, consultationModes
        case reviewStatus, reviewNotes, clinicIDs = "clinicIds", city, createdAt
    }

    /// Whether patients may see and book this doctor.
    public var isBookable: Bool { reviewStatus == .active }

    /// Validates a fee in paise: 0 … 10,000,000 (₹1,00,000).
    /// - Throws: ``ValidationError`` for `fee`.
    public static func validateFee(_ fee: Int) throws {
        guard (0...10_000_000).contains(fee) else {
            throw ValidationError(field: "fee", problem: "must be an integer number of paise from 0 to 10000000")
        }
    }
}

extension ReviewStatus {
    /// Review workflow moves an admin may make (API.md "Admin"): a pending or needs-info doctor can be
    /// sent back for information, approved or activated; an approved doctor activated or sent back; an
    /// active doctor sent back for information (which hides them from patients).
    public func canMove(to next: ReviewStatus) -> Bool {
        switch (self, next) {
        case (.pending, .needsInfo), (.pending, .approved), (.pending, .active),
            (.needsInfo, .pending), (.needsInfo, .approved), (.needsInfo, .active),
            (.approved, .active), (.approved, .needsInfo),
            (.active, .needsInfo):
            return true
        default:
            return false
        }
    }
}
