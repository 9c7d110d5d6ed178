import BookingCore
import Foundation
import JWTKit

/// Issues and verifies HS256 access tokens (API.md "Auth").
public struct TokenService: Sendable {
    private let keys: JWTKeyCollection
    private let issuer: String
    private let audience: String
    /// Access-token lifetime in seconds.
    public let lifetime: Int

    /// - Parameter secret: HS256 key; at least 32 bytes (enforced by ``ServerConfiguration``).
    public init(secret: String, issuer: String, audience: String, lifetime: Int) async {
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        self.keys = keys
        self.issuer = issuer
        self.audience = audience
        self.lifetime = lifetime
    }

    /// A signed access token for `identity`, valid for ``lifetime`` seconds from `now`.
    public func issue(for identity: Identity, now: Date = Date()) async throws -> String {
        let claims = AccessTokenClaims(
            sub: .init(value: identity.userID.uuidString.lowercased()), role: identity.role.rawValue,
            tenantId: identity.tenantID.rawValue, iat: .init(value: now),
            exp: .init(value: now.addingTimeInterval(TimeInterval(lifetime))), iss: .init(value: issuer),
            aud: .init(value: [audience]), jti: .init(value: UUID().uuidString.lowercased()))
        return try await keys.sign(claims)
    }

    /// Verifies signature, expiry, issuer and audience and returns the identity.
    /// - Throws: ``APIError/unauthorized(_:)`` for any defect (tampered, expired, wrong audience, bad claims).
    public func verify(_ token: String) async throws -> Identity {
        do {
            let claims = try await keys.verify(token, as: AccessTokenClaims.self)
            try claims.verify(issuer: issuer, audience: audience)
            guard let userID = UUID(uuidString: claims.sub.value), let role = Role(rawValue: claims.role),
                let tenant = TenantID(rawValue: claims.tenantId)
            else { throw APIError.unauthorized("invalid token") }
            return Identity(userID: userID, role: role, tenantID: tenant)
        } catch let error as APIError {
            throw error
        } catch {
            throw APIError.unauthorized("invalid or expired token")
        }
    }
}
