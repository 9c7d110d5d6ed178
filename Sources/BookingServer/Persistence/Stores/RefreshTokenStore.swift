import BookingCore
import Foundation
import SQLKit

/// The `refresh_tokens` table: refresh tokens stored as SHA-256 hashes, grouped in families (every rotation stays in
/// its family, so presenting a revoked token can revoke them all). The rotation rules are ``AccountService``'s.
struct RefreshTokenStore {
    let sql: any SQLDatabase

    init(_ sql: any SQLDatabase) { self.sql = sql }

    /// A stored token: whose, its family, when it expires, whether it was revoked.
    struct StoredToken {
        var userID: String
        var familyID: String
        var expiresAt: Date
        var revoked: Bool
    }

    /// Stores a new token of `account` in `family`.
    func insert(hash: String, account: UserAccount, family: UUID, expiresAt: Date, at now: Date) async throws {
        try await sql.raw(
            """
            INSERT INTO refresh_tokens (token_hash, tenant_id, user_id, family_id, expires_at, created_at)
            VALUES (\(bind: hash), \(bind: account.tenantID.rawValue), \(bind: Column.id(account.id)),
            \(bind: Column.id(family)), \(bind: Column.instant(expiresAt)), \(bind: Column.instant(now)))
            """
        ).run()
    }

    /// The token with `hash`, or `nil`.
    func find(hash: String) async throws -> StoredToken? {
        guard let row = try await sql.raw("SELECT * FROM refresh_tokens WHERE token_hash = \(bind: hash)").first() else { return nil }
        return StoredToken(
            userID: try row.text("user_id"), familyID: try row.text("family_id"), expiresAt: try row.instant("expires_at"),
            revoked: try row.decode(column: "revoked_at", as: Int64?.self) != nil)
    }

    /// Revokes the token with `hash`.
    func revoke(hash: String, at now: Date) async throws {
        try await sql.raw("UPDATE refresh_tokens SET revoked_at = \(bind: Column.instant(now)) WHERE token_hash = \(bind: hash)").run()
    }

    /// Revokes every token of `family` not revoked yet.
    func revokeFamily(_ family: String, at now: Date) async throws {
        try await sql.raw(
            "UPDATE refresh_tokens SET revoked_at = \(bind: Column.instant(now)) WHERE family_id = \(bind: family) AND revoked_at IS NULL"
        ).run()
    }

    /// Revokes every token of the account `id` not revoked yet (all its devices).
    func revokeAll(of id: UUID, at now: Date) async throws {
        try await sql.raw(
            "UPDATE refresh_tokens SET revoked_at = \(bind: Column.instant(now)) WHERE user_id = \(bind: Column.id(id)) AND revoked_at IS NULL"
        ).run()
    }
}
