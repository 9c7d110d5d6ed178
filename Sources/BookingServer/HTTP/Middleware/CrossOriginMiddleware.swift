import Foundation
import HTTPTypes
import Hummingbird

/// Cross-origin resource sharing for browser clients (API.md "Headers and CORS"; Fetch standard §3.2):
///
/// - A request whose `Origin` is in ``allowedOrigins`` gets `Access-Control-Allow-Origin: <that origin>`,
///   `Access-Control-Allow-Credentials: true` and `Access-Control-Expose-Headers` (request id, rate-limit headers).
/// - A preflight (`OPTIONS` with `Origin` and `Access-Control-Request-Method`) is answered here with `204`: for an
///   allowed origin with the allowed methods and headers and `Access-Control-Max-Age: 600` (seconds); for any
///   other origin with no CORS headers at all, so the browser refuses the request.
/// - An unlisted origin never gets a CORS header; there is no `*`, since responses may carry credentials.
/// - Every response says `Vary: Origin`, so a shared cache never serves one origin's answer to another.
///
/// Not Hummingbird's `CORSMiddleware`, whose `.oneOf` list covers the origin check but which differs where it
/// matters here: it adds `Vary: Origin` only to requests that carry an `Origin` (a cache may then serve a response
/// stored without CORS headers to a browser's cross-origin request), answers a refused origin's preflight with
/// the allowed methods and headers anyway, treats every `OPTIONS` with an `Origin` as a preflight, and compares
/// origins as raw strings (`HTTPS://App.example.com:443` is the same origin as `https://app.example.com`).
public struct CrossOriginMiddleware: RouterMiddleware {
    public typealias Context = AppRequestContext

    /// Methods a browser may use cross-origin.
    public static let allowedMethods = "GET, POST, PUT, PATCH, DELETE"
    /// Request headers a browser may send cross-origin.
    public static let allowedHeaders = "Authorization, Content-Type, X-Request-Id, X-Tenant-Id, X-CSRF-Token, traceparent"
    /// Response headers scripts may read.
    public static let exposedHeaders =
        "X-Request-Id, X-CSRF-Token, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, RateLimit-Policy, Retry-After, "
        + "X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, traceparent"

    /// Normalized origins (see ``normalizedOrigin(_:)``).
    public let allowedOrigins: Set<String>

    /// - Parameter allowedOrigins: normalized origins, e.g. `https://app.example.com`.
    public init(allowedOrigins: Set<String>) {
        self.allowedOrigins = allowedOrigins
    }

    /// `scheme://host[:port]` lower-cased, without a default port (`:443` for https, `:80` for http), or `nil`
    /// when `text` is not an http(s) origin (a path, query, user info or `*` make it invalid).
    public static func normalizedOrigin(_ text: String) -> String? {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.host?.lowercased(), !host.isEmpty,
            components.path.isEmpty || components.path == "/", components.query == nil, components.fragment == nil,
            components.user == nil, components.password == nil
        else { return nil }
        let defaultPort = scheme == "https" ? 443 : 80
        let port = components.port.flatMap { $0 == defaultPort ? nil : $0 }
        return "\(scheme)://\(host)" + (port.map { ":\($0)" } ?? "")
    }

    public func handle(
        _ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response
    ) async throws -> Response {
        let origin = request.headers[.origin]
        let allowed = origin.flatMap(Self.normalizedOrigin).map(allowedOrigins.contains) ?? false
        if request.method == .options, origin != nil, request.headers[.accessControlRequestMethod] != nil {
            var response = Response(status: .noContent)
            response.headers[.vary] = "Origin"
            if allowed, let origin {
                response.headers[.accessControlAllowOrigin] = origin
                response.headers[.accessControlAllowCredentials] = "true"
                response.headers[.accessControlAllowMethods] = Self.allowedMethods
                response.headers[.accessControlAllowHeaders] = Self.allowedHeaders
                response.headers[.accessControlMaxAge] = "600"
            }
            return response
        }
        var response = try await next(request, context)
        if let vary = response.headers[.vary] {
            if !vary.lowercased().contains("origin") { response.headers[.vary] = vary + ", Origin" }
        } else {
            response.headers[.vary] = "Origin"
        }
        if allowed, let origin {
            response.headers[.accessControlAllowOrigin] = origin
            response.headers[.accessControlAllowCredentials] = "true"
            response.headers[.accessControlExposeHeaders] = Self.exposedHeaders
        }
        return response
    }
}
