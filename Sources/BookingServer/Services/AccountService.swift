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

    /// A new password checked against the policy (API.md "Auth") and hashed at the configured cost, ready to store.
    /// Made before a transaction opens, so that bcrypt never holds a database connection (docs/performance-tuning.md).
    public struct HashedPassword: Sendable {
        let hash: String
    }

    /// Checks `password` against the policy and hashes it.
    /// - Throws: ``ValidationError`` for `field` when the password breaks the policy.
    public func hashedPassword(_ password: String, field: String = "password") async throws -> HashedPassword {
        try ContactRules.password(password, field: field)
        return HashedPassword(hash: try await passwords.hash(password))
    }

    /// Creates an account (and the patient profile for patients) inside `sql`.
    /// - Throws: ``ValidationError`` for bad fields, ``BookingError/conflict(_:)`` for a duplicate e-mail in the tenant.
    func createAccount(
        _ sql: any SQLDatabase, tenant: TenantID, role: Role, name: String, email: String, phone: String,
        password: HashedPassword, id: UUID = UUID(), now: Date = Date()
    ) async throws -> UserAccount {
        let account = UserAccount(
            id: id, tenantID: tenant, role: role, name: try ContactRules.name(name),
            email: try ContactRules.email(email), phone: try ContactRules.phone(phone), createdAt: now)
        let accounts = AccountStore(sql)
        if try await accounts.emailExists(account.email, tenant: tenant) { throw BookingError.conflict("an account with this email already exists") }
        do {
            try await accounts.insert(account, passwordHash: password.hash)
        } catch DatabaseError.uniqueViolation {
            throw BookingError.conflict("an account with this email already exists")
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
                try await AccountStore(sql).insertTenant(id, name: name, at: now)
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
        try validateContact(name: name, email: email, phone: phone)
        let hashed = try await hashedPassword(password)
        return try await database.transaction { sql in
            try await createAccount(sql, tenant: tenant, role: role, name: name, email: email, phone: phone, password: hashed, now: now)
        }
    }

    /// Checks name, e-mail and phone before a password is hashed, so a bad field is reported as before (fields in
    /// that order, then the password) without paying for bcrypt.
    /// - Throws: ``ValidationError`` for the first bad field.
    func validateContact(name: String, email: String, phone: String) throws {
        _ = try ContactRules.name(name)
        _ = try ContactRules.email(email)
        _ = try ContactRules.phone(phone)
    }

    /// Whether the tenant exists.
    func tenantExists(_ tenant: TenantID) async throws -> Bool {
        try await database.withConnection { sql in try await AccountStore(sql).tenantExists(tenant) }
    }

    /// Self-registration of a patient (API.md `POST /api/auth/register`).
    public func registerPatient(tenant: TenantID, name: String, email: String, phone: String, password: String) async throws -> Session {
        guard try await tenantExists(tenant) else {
            throw ValidationError(field: "X-Tenant-Id", problem: "is not a known tenant")
        }
        try validateContact(name: name, email: email, phone: phone)
        let hashed = try await hashedPassword(password)
        let account = try await database.transaction { sql in
            try await createAccount(sql, tenant: tenant, role: .patient, name: name, email: email, phone: phone, password: hashed)
        }
        return try await openSession(for: account, family: UUID())
    }

    /// Password login for `role` (API.md `POST /api/auth/login`). Unknown e-mail, wrong password and wrong
    /// role all answer the same 401 after the same bcrypt work.
    public func login(tenant: TenantID, email: String, password: String, role: Role) async throws -> Session {
        let normalized = email.trimmingCharacters(in: .whitespaces).lowercased()
        let stored = try await database.withConnection { sql in try await AccountStore(sql).credentials(email: normalized, tenant: tenant) }
        let hash = stored?.passwordHash
        let matches = try await passwords.verify(password, hash: hash)
        guard matches, let hash, let account = stored?.account, account.role == role else {
            throw BookingError.notAuthenticated("invalid email or password")
        }
        if PasswordHasher.cost(of: hash) != passwords.cost {
            // Re-hash at the configured cost while the password is at hand, so that raising BCRYPT_COST reaches
            // every account that logs in (and its verification time matches the decoy's for unknown e-mails).
            let upgraded = try await passwords.hash(password)
            // Credentials only: no cached read shows them (``ReadResponseCache``).
            try await database.withConnection(tracksChanges: false) { sql in try await AccountStore(sql).setPasswordHash(upgraded, of: account.id) }
        }
        return try await openSession(for: account, family: UUID())
    }

    /// Rotates a refresh token (API.md `POST /api/auth/refresh`).
    /// - Throws: 401 for an unknown, expired or revoked token; a revoked token also revokes its family.
    public func refresh(_ token: String, now: Date = Date()) async throws -> Session {
        let hash = Self.hash(token)
        let outcome: (UserAccount, UUID)? = try await database.transaction(tracksChanges: false) { sql in
            let tokens = RefreshTokenStore(sql)
            guard let stored = try await tokens.find(hash: hash) else { return nil }
            if stored.revoked {
                // A revoked token presented again: someone else has its successor. The whole family goes.
                try await tokens.revokeFamily(stored.familyID, at: now)
                return nil
            }
            guard stored.expiresAt > now else { return nil }
            try await tokens.revoke(hash: hash, at: now)
            guard let account = try await AccountStore(sql).find(stored.userID) else { return nil }
            return (account, UUID(uuidString: stored.familyID) ?? UUID())
        }
        guard let (account, family) = outcome else { throw BookingError.notAuthenticated("invalid refresh token") }
        return try await openSession(for: account, family: family)
    }

    /// Revokes the whole family of `token` (API.md `POST /api/auth/logout`). Unknown tokens are ignored.
    public func logout(_ token: String, now: Date = Date()) async throws {
        let hash = Self.hash(token)
        try await database.transaction(tracksChanges: false) { sql in
            let tokens = RefreshTokenStore(sql)
            guard let stored = try await tokens.find(hash: hash) else { return }
            try await tokens.revokeFamily(stored.familyID, at: now)
        }
    }

    /// Changes the caller's password and revokes every refresh token of the account (all devices sign in
    /// again; access tokens already issued expire within their lifetime, 15 minutes by default).
    /// - Throws: ``BookingError/notAuthenticated(_:)`` when `currentPassword` is wrong; ``ValidationError`` when `newPassword` breaks the
    ///   password policy (API.md "Auth") or equals the current one.
    public func changePassword(_ identity: Identity, currentPassword: String, newPassword: String, now: Date = Date()) async throws {
        let stored = try await database.withConnection { sql in
            try await AccountStore(sql).passwordHash(of: identity.userID, tenant: identity.tenantID)
        }
        guard let stored, try await passwords.verify(currentPassword, hash: stored) else {
            throw BookingError.notAuthenticated("the current password is not correct")
        }
        try ContactRules.password(newPassword, field: "newPassword")
        guard newPassword != currentPassword else {
            throw ValidationError(field: "newPassword", problem: "must differ from the current password")
        }
        let hash = try await passwords.hash(newPassword)
        try await database.transaction { sql in
            try await AccountStore(sql).setPasswordHash(hash, of: identity.userID)
            try await RefreshTokenStore(sql).revokeAll(of: identity.userID, at: now)
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
            try await AccountStore(sql).updatePatient(identity.userID, name: name, phone: phone, medicalHistory: medicalHistory)
            return try await Self.patientProfile(sql, identity: identity)
        }
    }

    static func patientProfile(_ sql: any SQLDatabase, identity: Identity) async throws -> PatientProfile {
        guard let profile = try await AccountStore(sql).patientProfile(identity.userID, tenant: identity.tenantID) else {
            throw BookingError.notFound(resource: "patient")
        }
        return profile
    }

    private func openSession(for account: UserAccount, family: UUID, now: Date = Date()) async throws -> Session {
        let refresh = Base64URL.random(bytes: 32)
        // Refresh tokens: no cached read shows them, so a login does not empty the read cache.
        try await database.withConnection(tracksChanges: false) { sql in
            try await RefreshTokenStore(sql).insert(
                hash: Self.hash(refresh), account: account, family: family, expiresAt: now.addingTimeInterval(TimeInterval(refreshLifetime)), at: now)
        }
        let access = try await tokens.issue(
            for: Identity(userID: account.id, role: account.role, tenantID: account.tenantID), now: now)
        return Session(user: account, accessToken: access, refreshToken: refresh, expiresIn: tokens.lifetime)
    }

    static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }
}
