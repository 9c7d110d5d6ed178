/// The actor kinds of the platform (API.md "Roles").
public enum Role: String, Codable, Sendable, CaseIterable {
    /// Self-registered patient.
    case patient
    /// Doctor onboarded by an admin and then reviewed.
    case doctor
    /// Seeded clinic and platform administrator.
    case admin
}
