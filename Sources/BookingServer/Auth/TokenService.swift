import BookingCore
import Crypto
import Foundation
import JWTKit

/// Issues and verifies the HS256 access tokens (API.md "Auth"), following the JWT Best Current Practices (RFC 8725).
///
/// - **Algorithm pinned**: the header must say `alg: HS256` (`none`, `HS512`, `RS256`… are refused before any key
///   is used) and `typ: at+jwt` (RFC 9068 §2.1), so no other kind of JWT passes for an access token; a `crit`
///   header is refused (RFC 7515 §4.1.11: nothing here understands extensions).
/// - **Keys by `kid`**: every key is registered under its id and none is jwt-kit's default, so a token with an
///   unknown or missing `kid` is refused instead of falling back to some key. Tokens are signed with the current
///   key; previous keys (rotation) verify only until their grace period ends.
/// - **Claims** (jwt-kit checks none by itself): `exp` required and not passed, `nbf` and `iat` not in the future —
///   each with ``leeway`` for clock skew — `iss` and `aud` equal to the configuration, `jti` and `sub` present.
public struct TokenService: Sendable {
    /// An HMAC key and the id written in the `kid` header of the tokens it signs.
    public struct SigningKey: Sendable, Equatable {
        public var id: String
        public var secret: String

        /// - Parameters:
        ///   - id: the `kid`; by default `k-` and the first 12 hex digits of SHA-256 of the secret (names the key
        ///     without revealing it).
        ///   - secret: at least 32 bytes (enforced by ``ServerConfiguration``).
        public init(id: String? = nil, secret: String) {
            self.id = id ?? Self.defaultID(for: secret)
            self.secret = secret
        }

        static func defaultID(for secret: String) -> String {
            "k-" + SHA256.hash(data: Data(secret.utf8)).prefix(6).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        }
    }

    /// Allowed clock skew for `exp`, `nbf` and `iat`: 30 seconds.
    public static let leeway: TimeInterval = 30
    /// The `typ` header of access tokens (RFC 9068 §2.1).
    public static let tokenType = "at+jwt"

    private let keys: JWTKeyCollection
    private let currentKeyID: String
    private let previousKeyIDs: Set<String>
    private let previousKeysValidUntil: Date?
    private let issuer: String
    private let audience: String
    /// Tokens verified before (``VerifiedTokenCache``).
    private let verified = VerifiedTokenCache()
    /// Access-token lifetime in seconds.
    public let lifetime: Int

    /// - Parameters:
    ///   - current: signs new tokens and verifies them.
    ///   - previous: keys of earlier rotations, verifying only until `previousValidUntil`.
    ///   - issuer, audience: the `iss` written and required, the `aud` written and required.
    ///   - lifetime: seconds from `iat` to `exp`.
    public init(
        current: SigningKey, previous: [SigningKey] = [], previousValidUntil: Date? = nil, issuer: String, audience: String,
        lifetime: Int
    ) async {
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: current.secret), digestAlgorithm: .sha256, kid: JWKIdentifier(string: current.id))
        for key in previous where key.id != current.id {
            await keys.add(hmac: HMACKey(from: key.secret), digestAlgorithm: .sha256, kid: JWKIdentifier(string: key.id))
        }
        // jwt-kit makes the first key added the default, used for tokens whose kid it does not know: no default.
        await keys.clearDefault()
        self.keys = keys
        self.currentKeyID = current.id
        self.previousKeyIDs = Set(previous.map(\.id)).subtracting([current.id])
        self.previousKeysValidUntil = previousValidUntil
        self.issuer = issuer
        self.audience = audience
        self.lifetime = lifetime
    }

    /// A service with a single key whose id is derived from `secret`.
    public init(secret: String, issuer: String, audience: String, lifetime: Int) async {
        await self.init(current: SigningKey(secret: secret), issuer: issuer, audience: audience, lifetime: lifetime)
    }

    /// A signed access token for `identity`, valid for ``lifetime`` seconds from `now` (whole seconds, RFC 7519 NumericDate).
    public func issue(for identity: Identity, now: Date = Date()) async throws -> String {
        let issuedAt = Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down))
        let claims = AccessTokenClaims(
            sub: .init(value: identity.userID.uuidString.lowercased()), role: identity.role.rawValue,
            tenantId: identity.tenantID.rawValue, iat: .init(value: issuedAt), nbf: .init(value: issuedAt),
            exp: .init(value: issuedAt.addingTimeInterval(TimeInterval(lifetime))), iss: .init(value: issuer),
            aud: .init(value: [audience]), jti: .init(value: UUID().uuidString.lowercased()))
        var header = JWTHeader()
        header.typ = Self.tokenType
        return try await keys.sign(claims, kid: JWKIdentifier(string: currentKeyID), header: header)
    }

    /// Verifies header, signature and claims and returns the identity.
    /// - Throws: ``APIError/unauthorized(_:)`` for any defect (the message says no more than "invalid or expired
    ///   token": details would help an attacker more than a client).
    public func verify(_ token: String, now: Date = Date()) async throws -> Identity {
        if let known = verified.identity(for: token, at: now) { return known }
        do {
            let signedByRetiredKey = try checkHeader(of: token, now: now)
            let claims = try await keys.verify(token, as: AccessTokenClaims.self)
            try claims.validate(issuer: issuer, audience: audience, now: now, leeway: Self.leeway)
            guard let userID = UUID(uuidString: claims.sub.value), let role = Role(rawValue: claims.role),
                let tenant = TenantID(rawValue: claims.tenantId)
            else { throw TokenRejection.claims("sub, role or tenantId malformed") }
            let identity = Identity(userID: userID, role: role, tenantID: tenant)
            var validUntil = claims.exp.value.addingTimeInterval(Self.leeway)
            if signedByRetiredKey, let until = previousKeysValidUntil { validUntil = min(validUntil, until) }
            verified.store(token, identity: identity, validUntil: validUntil)
            return identity
        } catch {
            throw APIError.unauthorized("invalid or expired token")
        }
    }

    /// Why a token was refused (internal: clients only see 401).
    enum TokenRejection: Error {
        case header(String)
        case claims(String)
    }

    /// RFC 8725 §3.1 and §3.11: the algorithm and type are what this service issues, and the key is one it holds now.
    /// - Returns: whether the token was signed with a retired key (still accepted until `previousKeysValidUntil`).
    @discardableResult
    private func checkHeader(of token: String, now: Date) throws -> Bool {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let headerData = Base64URL.decode(parts[0]),
            let header = try? JSONSerialization.jsonObject(with: headerData) as? [String: Any]
        else { throw TokenRejection.header("not a compact JWS") }
        guard header["alg"] as? String == "HS256" else { throw TokenRejection.header("alg is not HS256") }
        guard header["typ"] as? String == Self.tokenType else { throw TokenRejection.header("typ is not \(Self.tokenType)") }
        guard header["crit"] == nil else { throw TokenRejection.header("crit is not supported") }
        guard let kid = header["kid"] as? String else { throw TokenRejection.header("kid missing") }
        if kid == currentKeyID { return false }
        guard previousKeyIDs.contains(kid), let until = previousKeysValidUntil, now < until else {
            throw TokenRejection.header("kid unknown or retired")
        }
        return true
    }
}
