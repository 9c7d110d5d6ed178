import BookingCore
import Crypto
import Foundation
import HTTPTypes
import Hummingbird

/// CSRF defence for cookie-authenticated state changes (`POST /api/auth/refresh` and `/api/auth/logout` with the
/// refresh token in its cookie; API.md "Security envelope"). A request that carries its refresh token in the
/// JSON body, or a bearer token, is not cookie-authenticated: a cross-site page cannot know the token.
///
/// Two proofs are required, following the OWASP CSRF Prevention Cheat Sheet:
/// 1. **Where it comes from**: an `Origin` equal to the service's own origin (its `Host`) or a configured CORS
///    origin; without `Origin`, `Sec-Fetch-Site: same-origin` (Fetch Metadata). `cross-site`, `same-site`, `none`,
///    `Origin: null` and a request with neither header are refused.
/// 2. **Signed double-submit token**: login, registration and refresh hand out `X-CSRF-Token` (response header
///    and a `csrfToken` cookie with `Path=/`, not HttpOnly, that the page's scripts read back after a reload): `random.HMAC-SHA256(key, sha256(refresh token) ‖
///    random)`, bound to the session's refresh token. The request must send it back in `X-CSRF-Token`; the MAC is
///    recomputed for the refresh cookie sent and compared in constant time, so a token planted by a sibling
///    sub-domain or taken from another session fails.
///
/// Any failure is 403 FORBIDDEN (API.md "Error codes"); the refresh token is neither used nor revoked.
public struct CSRFProtection: Sendable {
    private let key: SymmetricKey
    /// Browser origins the SPA may call from (`CORS_ALLOWED_ORIGINS`), besides the service's own origin.
    let trustedOrigins: Set<String>

    /// The request header (and cookie name) carrying the token.
    public static let headerName = HTTPField.Name("X-CSRF-Token")!
    public static let cookieName = "csrfToken"
    static let fetchSite = HTTPField.Name("Sec-Fetch-Site")!

    /// - Parameters:
    ///   - secret: the service's signing secret; the CSRF key is derived from it with HKDF-SHA256 (RFC 5869),
    ///     so it is never the JWT key itself.
    ///   - trustedOrigins: normalized origins (``CrossOriginMiddleware/normalizedOrigin(_:)``).
    public init(secret: String, trustedOrigins: Set<String>) {
        key = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: Data(secret.utf8)), info: Data("illajwala csrf token v1".utf8), outputByteCount: 32)
        self.trustedOrigins = trustedOrigins
    }

    /// A new token bound to `refreshToken`: `base64url(16 random bytes).base64url(HMAC)`.
    public func token(for refreshToken: String) -> String {
        var generator = SystemRandomNumberGenerator()
        let nonce = Data((0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
        return Base64URL.encode(nonce) + "." + Base64URL.encode(mac(refreshToken: refreshToken, nonce: nonce))
    }

    /// Checks both proofs for a cookie-authenticated change of the session whose refresh cookie is `refreshToken`.
    /// - Throws: ``APIError`` 403 FORBIDDEN naming the proof that failed.
    public func verify(_ request: Request, refreshToken: String) throws {
        try verifySource(request)
        guard let presented = request.headers[Self.headerName], !presented.isEmpty else {
            throw APIError.forbidden("CSRF check failed: the X-CSRF-Token header is missing")
        }
        let parts = presented.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let nonce = Base64URL.decode(parts[0]), nonce.count == 16,
            let presentedMAC = Base64URL.decode(parts[1]),
            HMAC<SHA256>.isValidAuthenticationCode(presentedMAC, authenticating: Self.message(refreshToken, nonce), using: key)
        else { throw APIError.forbidden("CSRF check failed: the X-CSRF-Token does not belong to this session") }
        if let cookie = request.cookies[Self.cookieName]?.value, !cookie.isEmpty,
            !PaymentSignature.constantTimeEquals(cookie, presented)
        {
            throw APIError.forbidden("CSRF check failed: the X-CSRF-Token header and the csrfToken cookie differ")
        }
    }

    /// Proof 1: the request comes from the service's own origin or a trusted one.
    func verifySource(_ request: Request) throws {
        if let origin = request.headers[.origin] {
            guard let normalized = CrossOriginMiddleware.normalizedOrigin(origin) else {
                throw APIError.forbidden("CSRF check failed: Origin '\(origin.prefix(100))' is not allowed")
            }
            if trustedOrigins.contains(normalized) || Self.isOwnOrigin(normalized, authority: request.head.authority) { return }
            throw APIError.forbidden("CSRF check failed: Origin '\(normalized)' is not allowed")
        }
        guard let site = request.headers[Self.fetchSite]?.lowercased() else {
            throw APIError.forbidden("CSRF check failed: neither Origin nor Sec-Fetch-Site says where the request comes from")
        }
        guard site == "same-origin" else {
            throw APIError.forbidden("CSRF check failed: Sec-Fetch-Site '\(site.prefix(20))' is not same-origin")
        }
    }

    /// Whether `origin`'s host and port are the request's own `Host` (the scheme is not compared: TLS may end at a proxy).
    static func isOwnOrigin(_ origin: String, authority: String?) -> Bool {
        guard var own = authority?.lowercased(), !own.isEmpty, let separator = origin.range(of: "://") else { return false }
        for defaultPort in [":80", ":443"] where own.hasSuffix(defaultPort) { own.removeLast(defaultPort.count) }
        return origin[separator.upperBound...] == own
    }

    private func mac(refreshToken: String, nonce: Data) -> Data {
        Data(HMAC<SHA256>.authenticationCode(for: Self.message(refreshToken, nonce), using: key))
    }

    private static func message(_ refreshToken: String, _ nonce: Data) -> Data {
        Data(SHA256.hash(data: Data(refreshToken.utf8))) + nonce
    }
}
