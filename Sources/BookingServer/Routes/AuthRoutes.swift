import BookingCore
import Foundation
import Hummingbird

/// `/api/auth/*` (API.md "Auth").
///
/// The refresh cookie is HttpOnly, SameSite=Strict and scoped to `/api/auth`; in production it is `Secure` and named
/// `__Secure-refreshToken` (a browser only accepts that prefix over HTTPS, so no plain-HTTP page can plant it).
/// Cookie-authenticated refresh and logout need the CSRF proofs of ``CSRFProtection``.
struct AuthRoutes {
    let accounts: AccountService
    let secureCookies: Bool
    let refreshLifetime: Int
    let csrf: CSRFProtection
    let metrics: ServiceMetrics

    struct PasswordBody: StrictBody {
        static let fields: Set<String> = ["currentPassword", "newPassword"]
        static let maxLengths: [String: Int] = ["currentPassword": 128]
        var currentPassword: String
        var newPassword: String
    }

    /// The refresh cookie's name: `__Secure-refreshToken` with secure cookies, else `refreshToken` (API.md "Auth").
    var cookieName: String { secureCookies ? "__Secure-refreshToken" : "refreshToken" }

    struct RegisterBody: StrictBody {
        static let fields: Set<String> = ["name", "email", "phone", "password"]
        var name: String
        var email: String
        var phone: String
        var password: String
    }

    struct LoginBody: StrictBody {
        static let fields: Set<String> = ["email", "password", "role"]
        static let maxLengths: [String: Int] = ["email": 254, "password": 128]
        var email: String
        var password: String
        var role: Role
    }

    struct RefreshBody: StrictBody {
        static let fields: Set<String> = ["refreshToken"]
        static let maxLengths: [String: Int] = ["refreshToken": 128]
        var refreshToken: String?
    }

    func register(on router: Router<AppRequestContext>) {
        let group = router.group("api/auth")
        group.post("register") { request, context in
            let body = try await JSONBodyReader.decode(RegisterBody.self, from: request, context: context)
            let session = try await accounts.registerPatient(
                tenant: try Self.tenant(request), name: body.name, email: body.email, phone: body.phone, password: body.password)
            return try sessionResponse(session, status: .created)
        }
        group.post("login") { request, context in
            let body = try await JSONBodyReader.decode(LoginBody.self, from: request, context: context)
            let session: AccountService.Session
            do {
                session = try await accounts.login(
                    tenant: try Self.tenant(request), email: body.email, password: body.password, role: body.role)
            } catch BookingError.notAuthenticated(let message) {
                metrics.loginFailed()
                throw BookingError.notAuthenticated(message)
            }
            return try sessionResponse(session, status: .ok)
        }
        group.post("refresh") { request, context in
            let token = try await refreshToken(request, context: context)
            return Self.varyOnRequestSource(try sessionResponse(try await accounts.refresh(token), status: .ok))
        }
        group.post("password") { request, context in
            let identity = try context.requireIdentity()
            let body = try await JSONBodyReader.decode(PasswordBody.self, from: request, context: context)
            try await accounts.changePassword(identity, currentPassword: body.currentPassword, newPassword: body.newPassword)
            return Self.clearingSessionCookies(ResponseBuilder.noContent(), cookieName: cookieName, secure: secureCookies)
        }
        group.post("logout") { request, context in
            let token = try await refreshToken(request, context: context)
            try await accounts.logout(token)
            return Self.varyOnRequestSource(Self.clearingSessionCookies(ResponseBuilder.noContent(), cookieName: cookieName, secure: secureCookies))
        }
    }

    /// The refresh token from the JSON body, else from the refresh cookie after the CSRF proofs; 401 when neither
    /// has one, 403 when a cookie-authenticated request fails the CSRF check.
    private func refreshToken(_ request: Request, context: AppRequestContext) async throws -> String {
        if request.headers[.contentType] != nil {
            let body = try await JSONBodyReader.decode(RefreshBody.self, from: request, context: context)
            if let token = body.refreshToken, !token.isEmpty { return token }
        }
        if let token = request.cookies[cookieName]?.value, !token.isEmpty {
            try csrf.verify(request, refreshToken: token)
            return token
        }
        throw APIError.unauthorized("refresh token required")
    }

    /// The session with its refresh cookie and a new CSRF token (header `X-CSRF-Token` and a readable cookie).
    private func sessionResponse(_ session: AccountService.Session, status: HTTPResponse.Status) throws -> Response {
        var response = try ResponseBuilder.success(session, status: status)
        response.setCookie(
            Cookie(
                name: cookieName, value: session.refreshToken, maxAge: refreshLifetime, path: "/api/auth",
                secure: secureCookies, httpOnly: true, sameSite: .strict))
        let csrfToken = csrf.token(for: session.refreshToken)
        response.headers[CSRFProtection.headerName] = csrfToken
        // Path=/: the page's scripts read it back after a reload (double-submit); SameSite=Strict keeps it off
        // cross-site requests, and it is useless without the HttpOnly refresh cookie it is bound to.
        response.setCookie(
            Cookie(
                name: CSRFProtection.cookieName, value: csrfToken, maxAge: refreshLifetime, path: "/",
                secure: secureCookies, httpOnly: false, sameSite: .strict))
        // Token responses must not be cached (RFC 6749 §5.1).
        response.headers[.cacheControl] = "no-store"
        return response
    }

    /// `response` with the refresh and CSRF cookies expired.
    private static func clearingSessionCookies(_ response: Response, cookieName: String, secure: Bool) -> Response {
        var response = response
        response.setCookie(Cookie(name: cookieName, value: "", maxAge: 0, path: "/api/auth", secure: secure, httpOnly: true, sameSite: .strict))
        response.setCookie(Cookie(name: CSRFProtection.cookieName, value: "", maxAge: 0, path: "/", secure: secure, httpOnly: false, sameSite: .strict))
        return response
    }

    /// Answers that depend on `Origin` and `Sec-Fetch-Site` say so, for caches.
    private static func varyOnRequestSource(_ response: Response) -> Response {
        var response = response
        let existing = response.headers[.vary].map { $0 + ", " } ?? ""
        response.headers[.vary] = existing + "Origin, Sec-Fetch-Site"
        return response
    }

    /// The tenant named by `X-Tenant-Id` (default `default`); 400 when it is not a tenant slug.
    static func tenant(_ request: Request) throws -> TenantID {
        guard let raw = request.headers[.init("X-Tenant-Id")!] else { return .default }
        guard let tenant = TenantID(rawValue: raw) else {
            throw APIError.validation(field: "X-Tenant-Id", problem: "must be a tenant slug")
        }
        return tenant
    }
}
