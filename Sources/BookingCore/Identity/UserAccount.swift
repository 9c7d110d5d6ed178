import Foundation

/// A login identity of any role. Patients' and doctors' profile ids equal their account id.
public struct UserAccount: Codable, Sendable, Equatable {
    public var id: UUID
    public var tenantID: TenantID
    public var role: Role
    public var name: String
    /// Lower-cased e-mail address, unique per tenant.
    public var email: String
    /// E.164 phone number.
    public var phone: String
    public var createdAt: Date

    public init(id: UUID, tenantID: TenantID, role: Role, name: String, email: String, phone: String, createdAt: Date) {
        self.id = id
        self.tenantID = tenantID
        self.role = role
        self.name = name
        self.email = email
        self.phone = phone
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case id, tenantID = "tenantId", role, name, email, phone, createdAt
    }
}
