import BookingCore
import Foundation
import JWTKit

/// Claims of an access token (API.md "Auth"): `sub, role, tenantId, iat, exp, iss, aud, jti`.
///
/// jwt-kit checks no claim by itself, so ``verify(using:)`` checks expiry, issuer and audience here;
/// the expected issuer and audience travel in the payload type's static configuration via ``TokenService``.
struct AccessTokenClaims: JWTPayload, Equatable {
    var sub: SubjectClaim
    var role: String
    var tenantId: String
    var iat: IssuedAtClaim
    var exp: ExpirationClaim
    var iss: IssuerClaim
    var aud: AudienceClaim
    var jti: IDClaim

    func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
    }

    /// Checks issuer and audience against the service's configuration.
    func verify(issuer: String, audience: String) throws {
        guard iss.value == issuer else { throw JWTError.claimVerificationFailure(failedClaim: iss, reason: "wrong issuer") }
        try aud.verifyIntendedAudience(includes: audience)
    }
}
