import BookingCore
import Crypto
import Foundation
import SQLKit

/// Accounts, login and sessions (API.md "Auth", "Patients").
///
/// Refresh tokens are opaque random strings stored only as SHA-256 hashes, grouped in families: each
/// use rotates the token; presenting a revoked token revokes its whole family (theft detection).
public struct AccountService: Sendable {
    let database: BookingDatabase
    let passwords: PasswordHasher
    let tokens: TokenService
    /// Refresh-token lifetime in seconds.
    let refreshLifetime: Int

    /// What login, registration and refresh hand back.
    public struct Session: Encodable, Sendable {
        public var user: UserAccount
        public var accessToken: String
        public var refreshToken: String
        /// Access-token lifetime in seconds.
        public var expiresIn: Int
    }

    /// Creates an account (and the patient profile for patients) inside `sql`.
    /// - Throws: ``ValidationError`` for bad fields, ``BookingError/conflict(_:)`` for a duplicate e-mail in the tenant.
    func createAccount(
        _ sql: any SQLDatabase, tenant: TenantID, role: Role, name: String, email: String, phone: String,
        password: String, id: UUID = UUID(), now: Date = Date()
    ) async throws -> UserAccount {
        let account = UserAccount(
            id: id, tenantID: tenant, role: role, name: try ContactRules.name(name),
            email: try ContactRules.email(email), phone: try ContactRules.phone(phone), createdAt: now)
        try ContactRules.password(password)
        let hash = try await passwords.hash(password)
        let existing = try await sql.raw(
            "SELECT id FROM users WHERE tenant_id = \(bind: tenant.rawValue) AND email = \(bind: account.email)"
        ).first()
        if existing != nil { throw BookingError.conflict("an account with this email already exists") }
        do {
            try await sql.raw(
                """
                INSERT INTO users (id, tenant_id, role, name, email, phone, password_hash, created_at)
                VALUES (\(bind: Column.id(account.id)), \(bind: tenant.rawValue), \(bind: role.rawValue),
                \(bind: account.name), \(bind: account.email), \(bind: account.phone), \(bind: hash),
                \(bind: Column.instant(now)))
                """
            ).run()
        } catch DatabaseError.uniqueViolation {
            throw BookingError.conflict("an account with this email already exists")
        }
        if role == .patient {
            try await sql.raw(
                "INSERT INTO patients (id, tenant_id, medical_history) VALUES (\(bind: Column.id(account.id)), \(bind: tenant.rawValue), '[]')"
            ).run()
        }
        return account
    }

    /// Creates a tenant (the fixture seeder's and the test-support library's way in; the API has no route for it).
    /// - Parameters:
    ///   - id: the tenant id, as sent in `X-Tenant-Id` (API.md "Tenancy").
    ///   - name: display name.
    /// - Throws: ``BookingError/conflict(_:)`` when the tenant exists.
    public func createTenant(_ id: TenantID, name: String, now: Date = Date()) async throws {
        try await database.withConnection { sql in
            do {
                try await sql.raw(
                    "INSERT INTO tenants (id, name, created_at) VALUES (\(bind: id.rawValue), \(bind: name), \(bind: Column.instant(now)))"
                ).run()
            } catch DatabaseError.uniqueViolation {
                throw BookingError.conflict("tenant \(id.rawValue) already exists")
            }
        }
    }

    /// Creates an account of any role in its own transaction (admins and patients; doctors go through
    /// ``DoctorService/onboard(tenant:_:)``), validated by the same rules as registration.
    /// - Throws: ``ValidationError`` for bad fields, ``BookingError/conflict(_:)`` for a duplicate e-mail in the tenant.
    public func createAccount(
        tenant: TenantID, role: Role, name: String, email: String, phone: String, password: String, now: Date = Date()
    ) async throws -> UserAccount {
        try await database.transaction { sql in
            try await createAccount(sql, tenant: tenant, role: role, name: name, email: email, phone: phone, password: password, now: now)
        }
    }

    /// Whether the tenant exists.
    func tenantExists(_ tenant: TenantID) async throws -> Bool {
        try await database.withConnection { sql in
            try await sql.raw("SELECT id FROM tenants WHERE id = \(bind: tenant.rawValue)").first() != nil
        }
    }

    /// Self-registration of a patient (API.md `POST /api/auth/register`).
    public func registerPatient(tenant: TenantID, name: String, email: String, phone: String, password: String) async throws -> Session {
        guard try await tenantExists(tenant) else {
            throw ValidationError(field: "X-Tenant-Id", problem: "is not a known tenant")
        }
        let account = try await database.transaction { sql in
            try await createAccount(sql, tenant: tenant, role: .patient, name: name, email: email, phone: phone, password: password)
        }
        return try await openSession(for: account, family: UUID())
    }

    /// Password login for `role` (API.md `POST /api/auth/login`). Unknown e-mail, wrong password and wrong
    /// role all answer the same 401 after the same bcrypt work.
    public func login(tenant: TenantID, email: String, password: String, role: Role) async throws -> Session {
        let normalized = email.trimmingCharacters(in: .whitespaces).lowercased()
        let row = try await database.withConnection { sql in
            try await sql.raw(
                "SELECT * FROM users WHERE tenant_id = \(bind: tenant.rawValue) AND email = \(bind: normalized)"
            ).first()
        }
        let hash = try row?.text("password_hash")
        let matches = try await passwords.verify(password, hash: hash)
        guard matches, let row, let hash, let account = try? Self.account(from: row), account.role == role else {
            throw BookingError.notAuthenticated("invalid email or password")
        }
        if PasswordHasher.cost(of: hash) != passwords.cost {
            // Re-hash at the configured cost while the password is at hand, so that raising BCRYPT_COST reaches
            // every account that logs in (and its verification time matches the decoy's for unknown e-mails).
            let upgraded = try await passwords.hash(password)
            try await database.withConnection { sql in
                try await sql.raw("UPDATE users SET password_hash = \(bind: upgraded) WHERE id = \(bind: Column.id(account.id))").run()
            }
        }
        return try await openSession(for: account, family: UUID())
    }

    /// Rotates a refresh token (API.md `POST /api/auth/refresh`).
    /// - Throws: 401 for an unknown, expired or revoked token; a revoked token also revokes its family.
    public func refresh(_ token: String, now: Date = Date()) async throws -> Session {
        let hash = Self.hash(token)
        let outcome: (UserAccount, UUID)? = try await database.transaction { sql in
            guard let row = try await sql.raw("SELECT * FROM refresh_tokens WHERE token_hash = \(bind: hash)").first()
            else { return nil }
            let family = try row.text("family_id")
            if try row.decode(column: "revoked_at", as: Int64?.self) != nil {
                try await sql.raw(
                    "UPDATE refresh_tokens SET revoked_at = \(bind: Column.instant(now)) WHERE family_id = \(bind: family) AND revoked_at IS NULL"
                ).run()
                return nil
            }
            guard try row.instant("expires_at") > now else { return nil }
            try await sql.raw(
                "UPDATE refresh_tokens SET revoked_at = \(bind: Column.instant(now)) WHERE token_hash = \(bind: hash)"
            ).run()
            guard let user = try await sql.raw("SELECT * FROM users WHERE id = \(bind: try row.text("user_id"))").first()
            else { return nil }
            return (try Self.account(from: user), UUID(uuidString: family) ?? UUID())
        }
        guard let (account, family) = outcome else { throw BookingError.notAuthenticated("invalid refresh token") }
        return try await openSession(for: account, family: family)
    }

    /// Revokes the whole family of `token` (API.md `POST /api/auth/logout`). Unknown tokens are ignored.
    public func logout(_ token: String, now: Date = Date()) async throws {
        let hash = Self.hash(token)
        try await database.transaction { sql in
            guard let row = try await sql.raw("SELECT family_id FROM refresh_tokens WHERE token_hash = \(bind: hash)").first()
            else { return }
            try await sql.raw(
                "UPDATE refresh_tokens SET revoked_at = \(bind: Column.instant(now)) WHERE family_id = \(bind: try row.text("family_id")) AND revoked_at IS NULL"
            ).run()
        }
    }

    /// Changes the caller's password and revokes every refresh token of the account (all devices sign in
    /// again; access tokens already issued expire within their lifetime, 15 minutes by default).
    /// - Throws: ``BookingError/notAuthenticated(_:)`` when `currentPassword` is wrong; ``ValidationError`` when `newPassword` breaks the
    ///   password policy (API.md "Auth") or equals the current one.
    public func changePassword(_ identity: Identity, currentPassword: String, newPassword: String, now: Date = Date()) async throws {
        let id = Column.id(identity.userID)
        let row = try await database.withConnection { sql in
            try await sql.raw(
                "SELECT password_hash FROM users WHERE id = \(bind: id) AND tenant_id = \(bind: identity.tenantID.rawValue)"
            ).first()
        }
        guard let row, try await passwords.verify(currentPassword, hash: try row.text("password_hash")) else {
            throw BookingError.notAuthenticated("the current password is not correct")
        }
        try ContactRules.password(newPassword, field: "newPassword")
        guard newPassword != currentPassword else {
            throw ValidationError(field: "newPassword", problem: "must differ from the current password")
        }
        let hash = try await passwords.hash(newPassword)
        try await database.transaction { sql in
            try await sql.raw("UPDATE users SET password_hash = \(bind: hash) WHERE id = \(bind: id)").run()
            try await sql.raw(
                "UPDATE refresh_tokens SET revoked_at = \(bind: Column.instant(now)) WHERE user_id = \(bind: id) AND revoked_at IS NULL"
            ).run()
        }
    }

    /// The patient's own profile.
    public func patientProfile(_ identity: Identity) async throws -> PatientProfile {
        try await database.withConnection { sql in try await Self.patientProfile(sql, identity: identity) }
    }

    /// Updates name, phone and medical history of the calling patient.
    public func updatePatientProfile(_ identity: Identity, name: String?, phone: String?, medicalHistory: [String]?) async throws -> PatientProfile {
        let name = try name.map { try ContactRules.name($0) }
        let phone = try phone.map { try ContactRules.phone($0) }
        if let medicalHistory {
            guard medicalHistory.count <= 50 else {
                throw ValidationError(field: "medicalHistory", problem: "must have at most 50 items")
            }
            for (index, item) in medicalHistory.enumerated() {
                _ = try ContactRules.name(item, field: "medicalHistory[\(index)]", maxLength: 200)
            }
        }
        return try await database.transaction { sql in
            let id = Column.id(identity.userID)
            if let name { try await sql.raw("UPDATE users SET name = \(bind: name) WHERE id = \(bind: id)").run() }
            if let phone { try await sql.raw("UPDATE users SET phone = \(bind: phone) WHERE id = \(bind: id)").run() }
            if let medicalHistory {
                try await sql.raw("UPDATE patients SET medical_history = \(bind: try Column.json(medicalHistory)) WHERE id = \(bind: id)").run()
            }
            return try await Self.patientProfile(sql, identity: identity)
        }
    }

    static func patientProfile(_ sql: any SQLDatabase, identity: Identity) async throws -> PatientProfile {
        guard
            let row = try await sql.raw(
                """
                SELECT u.*, p.medical_history FROM users u JOIN patients p ON p.id = u.id
                WHERE u.id = \(bind: Column.id(identity.userID)) AND u.tenant_id = \(bind: identity.tenantID.rawValue)
                """
            ).first()
        else { throw BookingError.notFound(resource: "patient") }
        return PatientProfile(account: try account(from: row), medicalHistory: try row.json("medical_history", as: [String].self))
    }

    private func openSession(for account: UserAccount, family: UUID, now: Date = Date()) async throws -> Session {
        let refresh = Base64URL.random(bytes: 32)
        try await database.withConnection { sql in
            try await sql.raw(
                """
                INSERT INTO refresh_tokens (token_hash, tenant_id, user_id, family_id, expires_at, created_at)
                VALUES (\(bind: Self.hash(refresh)), \(bind: account.tenantID.rawValue), \(bind: Column.id(account.id)),
                \(bind: Column.id(family)), \(bind: Column.instant(now.addingTimeInterval(TimeInterval(refreshLifetime)))),
                \(bind: Column.instant(now)))
                """
            ).run()
        }
        let access = try await tokens.issue(
            for: Identity(userID: account.id, role: account.role, tenantID: account.tenantID), now: now)
        return Session(user: account, accessToken: access, refreshToken: refresh, expiresIn: tokens.lifetime)
    }

    static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    static func account(from row: any SQLRow) throws -> UserAccount {
        guard let tenant = TenantID(rawValue: try row.text("tenant_id")), let role = Role(rawValue: try row.text("role")) else {
            throw DatabaseError.failed("users row has a malformed tenant or role")
        }
        return UserAccount(
            id: try row.uuid("id"), tenantID: tenant, role: role, name: try row.text("name"), email: try row.text("email"),
            phone: try row.text("phone"), createdAt: try row.instant("created_at"))
    }
}
