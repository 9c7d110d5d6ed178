import BookingCore
import Foundation
import JWTKit

/// Claims of an access token (API.md "Auth"): `sub, role, tenantId, iat, nbf, exp, iss, aud, jti`.
///
/// jwt-kit checks no claim by itself and its `verify(using:)` has no clock or leeway, so every claim is checked
/// by ``validate(issuer:audience:now:leeway:)``, which ``TokenService/verify(_:now:)`` calls after the signature.
struct AccessTokenClaims: JWTPayload, Equatable {
    var sub: SubjectClaim
    var role: String
    var tenantId: String
    var iat: IssuedAtClaim
    var nbf: NotBeforeClaim
    var exp: ExpirationClaim
    var iss: IssuerClaim
    var aud: AudienceClaim
    var jti: IDClaim

    /// Called by jwt-kit after the signature; the real checks need the clock and run in ``validate(issuer:audience:now:leeway:)``.
    func verify(using algorithm: some JWTAlgorithm) async throws {}

    /// Checks expiry, not-before and issued-at with `leeway` seconds of clock skew, issuer, audience and that
    /// `jti` and `sub` are present (RFC 7519 §4.1, RFC 8725 §3.8–3.10).
    /// - Throws: ``TokenService/TokenRejection`` naming the claim.
    func validate(issuer: String, audience: String, now: Date, leeway: TimeInterval) throws {
        guard exp.value.addingTimeInterval(leeway) > now else { throw TokenService.TokenRejection.claims("exp passed") }
        guard nbf.value.addingTimeInterval(-leeway) <= now else { throw TokenService.TokenRejection.claims("nbf in the future") }
        guard iat.value.addingTimeInterval(-leeway) <= now else { throw TokenService.TokenRejection.claims("iat in the future") }
        guard iss.value == issuer else { throw TokenService.TokenRejection.claims("wrong issuer") }
        guard aud.value.contains(audience) else { throw TokenService.TokenRejection.claims("wrong audience") }
        guard !jti.value.isEmpty, !sub.value.isEmpty else { throw TokenService.TokenRejection.claims("jti or sub empty") }
    }
}
