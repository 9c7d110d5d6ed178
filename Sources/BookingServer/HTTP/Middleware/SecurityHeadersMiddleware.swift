import HTTPTypes
import Hummingbird

/// Adds the response headers Helmet sets by default, tuned for a JSON API (docs/security-audit.md §10, "Browser-facing headers and CORS";
/// OWASP Secure Headers Project), on every response — errors included:
///
/// | Header | Value |
/// |---|---|
/// | `Content-Security-Policy` | ``contentSecurityPolicy``: nothing may load, frame or be framed cross-origin |
/// | `Strict-Transport-Security` | `max-age=31536000; includeSubDomains` — production only (RFC 6797; development runs on plain HTTP) |
/// | `Cross-Origin-Opener-Policy` / `Cross-Origin-Resource-Policy` | `same-origin` |
/// | `Origin-Agent-Cluster` | `?1` |
/// | `Referrer-Policy` | `no-referrer` |
/// | `X-Content-Type-Options` | `nosniff` |
/// | `X-DNS-Prefetch-Control` | `off` |
/// | `X-Download-Options` | `noopen` |
/// | `X-Frame-Options` | `SAMEORIGIN` |
/// | `X-Permitted-Cross-Domain-Policies` | `none` |
/// | `X-XSS-Protection` | `0` (the legacy filter is itself an attack surface; CSP replaces it) |
///
/// `Server` and `X-Powered-By` are removed. A response to a request that carries credentials (`Authorization`
/// or `Cookie`) gets `Cache-Control: no-store` unless the route set its own, so no shared cache keeps personal data.
public struct SecurityHeadersMiddleware: RouterMiddleware {
    public typealias Context = AppRequestContext

    /// A policy for responses that are JSON, never documents: no sources at all, no framing from other origins.
    public static let contentSecurityPolicy =
        "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'; object-src 'none'; script-src-attr 'none'; upgrade-insecure-requests"

    /// The headers every response gets, in order (without HSTS).
    public static let fixedHeaders: [(HTTPField.Name, String)] = [
        (HTTPField.Name("Content-Security-Policy")!, contentSecurityPolicy),
        (HTTPField.Name("Cross-Origin-Opener-Policy")!, "same-origin"),
        (HTTPField.Name("Cross-Origin-Resource-Policy")!, "same-origin"),
        (HTTPField.Name("Origin-Agent-Cluster")!, "?1"),
        (HTTPField.Name("Referrer-Policy")!, "no-referrer"),
        (HTTPField.Name("X-Content-Type-Options")!, "nosniff"),
        (HTTPField.Name("X-DNS-Prefetch-Control")!, "off"),
        (HTTPField.Name("X-Download-Options")!, "noopen"),
        (HTTPField.Name("X-Frame-Options")!, "SAMEORIGIN"),
        (HTTPField.Name("X-Permitted-Cross-Domain-Policies")!, "none"),
        (HTTPField.Name("X-XSS-Protection")!, "0"),
    ]

    /// `Strict-Transport-Security` in production: one year, subdomains included.
    public static let strictTransportSecurity = "max-age=31536000; includeSubDomains"

    /// Whether the service runs in production (then HSTS is sent).
    public let production: Bool

    /// - Parameter production: send `Strict-Transport-Security` (only behind HTTPS, i.e. in production).
    public init(production: Bool) {
        self.production = production
    }

    public func handle(
        _ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response
    ) async throws -> Response {
        var response = try await next(request, context)
        for (name, value) in Self.fixedHeaders { response.headers[name] = value }
        if production { response.headers[HTTPField.Name("Strict-Transport-Security")!] = Self.strictTransportSecurity }
        response.headers[.server] = nil
        response.headers[HTTPField.Name("X-Powered-By")!] = nil
        let credentialed = request.headers[.authorization] != nil || request.headers[.cookie] != nil
        if credentialed, response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        return response
    }
}
