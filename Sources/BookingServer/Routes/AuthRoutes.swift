import BookingCore
import Foundation
import Hummingbird

/// `/api/auth/*` (API.md "Auth").
struct AuthRoutes {
    let accounts: AccountService
    let secureCookies: Bool
    let refreshLifetime: Int

    struct RegisterBody: StrictBody {
        static let fields: Set<String> = ["name", "email", "phone", "password"]
        var name: String
        var email: String
        var phone: String
        var password: String
    }

    struct LoginBody: StrictBody {
        static let fields: Set<String> = ["email", "password", "role"]
        var email: String
        var password: String
        var role: Role
    }

    struct RefreshBody: StrictBody {
        static let fields: Set<String> = ["refreshToken"]
        var refreshToken: String?
    }

    static let cookieName = "refreshToken"

    func register(on router: Router<AppRequestContext>) {
        let group = router.group("api/auth")
        group.post("register") { request, context in
            let body = try await RequestBody.decode(RegisterBody.self, from: request, context: context)
            let session = try await accounts.registerPatient(
                tenant: try Self.tenant(request), name: body.name, email: body.email, phone: body.phone, password: body.password)
            return try sessionResponse(session, status: .created)
        }
        group.post("login") { request, context in
            let body = try await RequestBody.decode(LoginBody.self, from: request, context: context)
            let session = try await accounts.login(
                tenant: try Self.tenant(request), email: body.email, password: body.password, role: body.role)
            return try sessionResponse(session, status: .ok)
        }
        group.post("refresh") { request, context in
            let token = try await refreshToken(request, context: context)
            return try sessionResponse(try await accounts.refresh(token), status: .ok)
        }
        group.post("logout") { request, context in
            let token = try await refreshToken(request, context: context)
            try await accounts.logout(token)
            var response = ResponseBuilder.noContent()
            response.setCookie(Cookie(name: Self.cookieName, value: "", maxAge: 0, path: "/api/auth", secure: secureCookies, httpOnly: true, sameSite: .strict))
            return response
        }
    }

    /// The refresh token from the JSON body, else from the `refreshToken` cookie; 401 when neither has one.
    private func refreshToken(_ request: Request, context: AppRequestContext) async throws -> String {
        if request.headers[.contentType] != nil {
            let body = try await RequestBody.decode(RefreshBody.self, from: request, context: context)
            if let token = body.refreshToken, !token.isEmpty { return token }
        }
        if let token = request.cookies[Self.cookieName]?.value, !token.isEmpty { return token }
        throw APIError.unauthorized("refresh token required")
    }

    private func sessionResponse(_ session: AccountService.Session, status: HTTPResponse.Status) throws -> Response {
        var response = try ResponseBuilder.success(session, status: status)
        response.setCookie(Cookie(
            name: Self.cookieName, value: session.refreshToken, maxAge: refreshLifetime, path: "/api/auth",
            secure: secureCookies, httpOnly: true, sameSite: .strict))
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

