import BookingCore
import Foundation
import SQLKit

/// The `tenants`, `users` and `patients` tables: every SQL statement about accounts, on one connection or
/// transaction. The rules (contact details, passwords, who may log in) are ``AccountService``'s.
struct AccountStore {
    let sql: any SQLDatabase

    init(_ sql: any SQLDatabase) { self.sql = sql }

    /// Stores a tenant.
    /// - Throws: ``DatabaseError/uniqueViolation`` when it exists.
    func insertTenant(_ id: TenantID, name: String, at now: Date) async throws {
        try await sql.raw("INSERT INTO tenants (id, name, created_at) VALUES (\(bind: id.rawValue), \(bind: name), \(bind: Column.instant(now)))").run()
    }

    /// Whether the tenant exists.
    func tenantExists(_ tenant: TenantID) async throws -> Bool {
        try await sql.raw("SELECT id FROM tenants WHERE id = \(bind: tenant.rawValue)").first() != nil
    }

    /// Whether the tenant has an account with `email` (normalized).
    func emailExists(_ email: String, tenant: TenantID) async throws -> Bool {
        try await sql.raw("SELECT id FROM users WHERE tenant_id = \(bind: tenant.rawValue) AND email = \(bind: email)").first() != nil
    }

    /// Stores an account with its password hash, and an empty patient profile for a patient.
    /// - Throws: ``DatabaseError/uniqueViolation`` when the e-mail is taken in the tenant.
    func insert(_ account: UserAccount, passwordHash: String) async throws {
        try await sql.raw(
            """
            INSERT INTO users (id, tenant_id, role, name, email, phone, password_hash, created_at)
            VALUES (\(bind: Column.id(account.id)), \(bind: account.tenantID.rawValue), \(bind: account.role.rawValue),
            \(bind: account.name), \(bind: account.email), \(bind: account.phone), \(bind: passwordHash),
            \(bind: Column.instant(account.createdAt)))
            """
        ).run()
        if account.role == .patient {
            try await sql.raw(
                "INSERT INTO patients (id, tenant_id, medical_history) VALUES (\(bind: Column.id(account.id)), \(bind: account.tenantID.rawValue), '[]')"
            ).run()
        }
    }

    /// The account with `email` (normalized) in the tenant and its password hash, or `nil`.
    func credentials(email: String, tenant: TenantID) async throws -> (account: UserAccount?, passwordHash: String)? {
        guard let row = try await sql.raw("SELECT * FROM users WHERE tenant_id = \(bind: tenant.rawValue) AND email = \(bind: email)").first()
        else { return nil }
        return (try? Self.account(from: row), try row.text("password_hash"))
    }

    /// The password hash of the account `id` in the tenant, or `nil`.
    func passwordHash(of id: UUID, tenant: TenantID) async throws -> String? {
        try await sql.raw("SELECT password_hash FROM users WHERE id = \(bind: Column.id(id)) AND tenant_id = \(bind: tenant.rawValue)").first()?
            .text("password_hash")
    }

    /// Replaces the password hash of the account `id`.
    func setPasswordHash(_ hash: String, of id: UUID) async throws {
        try await sql.raw("UPDATE users SET password_hash = \(bind: hash) WHERE id = \(bind: Column.id(id))").run()
    }

    /// The account `id` (any tenant: the caller holds a token naming it), or `nil`.
    func find(_ id: String) async throws -> UserAccount? {
        try await sql.raw("SELECT * FROM users WHERE id = \(bind: id)").first().map(Self.account(from:))
    }

    /// Saves the fields of a patient's profile that are given.
    func updatePatient(_ id: UUID, name: String?, phone: String?, medicalHistory: [String]?) async throws {
        let id = Column.id(id)
        if let name { try await sql.raw("UPDATE users SET name = \(bind: name) WHERE id = \(bind: id)").run() }
        if let phone { try await sql.raw("UPDATE users SET phone = \(bind: phone) WHERE id = \(bind: id)").run() }
        if let medicalHistory {
            try await sql.raw("UPDATE patients SET medical_history = \(bind: try Column.json(medicalHistory)) WHERE id = \(bind: id)").run()
        }
    }

    /// The patient's account and medical history, or `nil` when the tenant has no patient `id`.
    func patientProfile(_ id: UUID, tenant: TenantID) async throws -> PatientProfile? {
        guard
            let row = try await sql.raw(
                """
                SELECT u.*, p.medical_history FROM users u JOIN patients p ON p.id = u.id
                WHERE u.id = \(bind: Column.id(id)) AND u.tenant_id = \(bind: tenant.rawValue)
                """
            ).first()
        else { return nil }
        return PatientProfile(account: try Self.account(from: row), medicalHistory: try row.json("medical_history", as: [String].self))
    }

    /// An account from a `users` row (or a row holding its columns).
    /// - Throws: ``DatabaseError/failed(_:)`` for a row with a malformed tenant or role.
    static func account(from row: any SQLRow) throws -> UserAccount {
        guard let tenant = TenantID(rawValue: try row.text("tenant_id")), let role = Role(rawValue: try row.text("role")) else {
            throw DatabaseError.failed("users row has a malformed tenant or role")
        }
        return UserAccount(
            id: try row.uuid("id"), tenantID: tenant, role: role, name: try row.text("name"), email: try row.text("email"),
            phone: try row.text("phone"), createdAt: try row.instant("created_at"))
    }
}
