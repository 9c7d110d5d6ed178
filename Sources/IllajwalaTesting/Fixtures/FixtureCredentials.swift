import Foundation

/// The development credentials of `Fixtures/` (public, development only).
public enum FixtureCredentials {
    public static let adminEmail = "admin@illajwala.dev"
    public static let adminPassword = "Admin-dev-only-2026"
    public static let secondTenantAdminEmail = "admin@sunrise.dev"
    public static let patientEmail = "asha.rao@patients.illajwala.dev"
    public static let patientPassword = "Patient-dev-only-2026"
    public static let doctorPassword = "Doctor-dev-only-2026"
    /// A paid (₹1,500) active dermatologist in Bengaluru.
    public static let paidDoctorEmail = "meera.iyer@doctors.illajwala.dev"
    /// A free active general physician in Bengaluru.
    public static let freeDoctorEmail = "arjun.menon@doctors.illajwala.dev"
}
