import Foundation

/// A patient's account plus the medical history they keep with the platform.
public struct PatientProfile: Codable, Sendable, Equatable {
    public var account: UserAccount
    /// Conditions and notes as the patient entered them, most important first.
    public var medicalHistory: [String]

    public init(account: UserAccount, medicalHistory: [String]) {
        self.account = account
        self.medicalHistory = medicalHistory
    }

    public func encode(to encoder: any Encoder) throws {
        try account.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(medicalHistory, forKey: .medicalHistory)
    }

    public init(from decoder: any Decoder) throws {
        account = try UserAccount(from: decoder)
        medicalHistory = try decoder.container(keyedBy: CodingKeys.self).decode([String].self, forKey: .medicalHistory)
    }

    enum CodingKeys: String, CodingKey { case medicalHistory }
}
