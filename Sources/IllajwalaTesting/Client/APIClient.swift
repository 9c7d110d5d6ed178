import APITransport
import BookingCore
import BookingServer
import Foundation

/// The HTTP client that speaks the booking API (API.md "Conventions"): base URL, JSON bodies, tenant header,
/// an `X-Request-Id` on every request, sessions per actor, and decoding of the success envelope into typed
/// values and of the error envelope into ``APIErrorResponse``.
///
/// Values are cheap to copy. ``login(email:password:role:)`` and ``register(name:email:phone:password:)`` return
/// a copy carrying an ``APISession`` (one per actor), which refreshes its access token by itself and keeps the
/// session's cookies and CSRF token:
/// ```swift
/// let api = APIClient(baseURL: server.baseURL)
/// let admin = try await api.login(email: "admin@illajwala.dev", password: "…", role: .admin)
/// let clinics = try await admin.send("GET", "/api/clinics").data(as: [Clinic].self)
/// ```
public struct APIClient: Sendable {
    public let baseURL: URL
    public let transport: HTTPTransport
    /// The signed-in actor, if any: its access token is sent as `Authorization: Bearer …`.
    public var session: APISession?
    /// An explicit access token that wins over the session's (for tests of bad tokens); not refreshed.
    public var accessToken: String?
    /// Tenant sent as `X-Tenant-Id` (default tenant when `nil`).
    public var tenant: String?

    public init(baseURL: URL, transport: HTTPTransport = HTTPTransport(), tenant: String? = nil) {
        self.baseURL = baseURL
        self.transport = transport
        self.tenant = tenant
    }

    /// Sends a request to `path` (relative to the base URL, may include a query string).
    ///
    /// With a session, a `401` answer is retried once after refreshing the tokens (not for `/api/auth/…`).
    /// - Parameters:
    ///   - json: an `Encodable` body, sent as `application/json`.
    ///   - rawBody: raw bytes instead (with `contentType`).
    ///   - headers: extra headers (sent as given, after the client's own).
    ///   - requestID: `X-Request-Id` to send; by default a new `client-<uuid>` per request.
    /// - Throws: ``APITransportError`` when no HTTP response arrives; ``APIErrorResponse`` when a needed refresh fails.
    public func send(
        _ method: String, _ path: String, json: (any Encodable & Sendable)? = nil, rawBody: Data? = nil,
        contentType: String? = nil, headers: [(name: String, value: String)] = [], requestID: String? = nil
    ) async throws -> APIResponse {
        func attempt(bearer: String?) async throws -> APIResponse {
            try await send(
                method, path, json: json, rawBody: rawBody, contentType: contentType, headers: headers, requestID: requestID,
                bearer: bearer, cookies: session?.cookies, csrfToken: await session?.csrfToken)
        }
        guard let session, accessToken == nil else { return try await attempt(bearer: accessToken) }
        let token = try await session.validAccessToken(using: self)
        let first = try await attempt(bearer: token)
        await session.remember(csrfToken: first.header("X-CSRF-Token"))
        guard first.status == 401, !path.hasPrefix("/api/auth/") else { return first }
        try await session.refresh(using: self, replacing: token)
        return try await attempt(bearer: await session.accessToken)
    }

    /// Sends one request with explicit credentials and stores the response's cookies in `cookies`.
    func send(
        _ method: String, _ path: String, json: (any Encodable & Sendable)? = nil, rawBody: Data? = nil, contentType: String? = nil,
        headers: [(name: String, value: String)] = [], requestID: String? = nil, bearer: String? = nil, cookies: CookieJar?,
        csrfToken: String?
    ) async throws -> APIResponse {
        guard let url = URL(string: path, relativeTo: baseURL)?.absoluteURL else {
            throw APITransportError(kind: .other, message: "bad path \(path)", url: baseURL)
        }
        var allHeaders: [(name: String, value: String)] = [(name: "X-Request-Id", value: requestID ?? "client-\(UUID().uuidString.lowercased())")]
        var body = rawBody
        if let json {
            body = try JSONCoding.encoder().encode(json)  // dates as RFC 3339, like the service's own output
            allHeaders.append((name: "Content-Type", value: "application/json"))
        } else if let contentType {
            allHeaders.append((name: "Content-Type", value: contentType))
        }
        if let bearer { allHeaders.append((name: "Authorization", value: "Bearer \(bearer)")) }
        if let tenant { allHeaders.append((name: "X-Tenant-Id", value: tenant)) }
        if let cookieHeader = cookies?.header(for: url) {
            allHeaders.append((name: "Cookie", value: cookieHeader))
            if !["GET", "HEAD", "OPTIONS"].contains(method.uppercased()) {
                // What a browser on the service's own origin sends with a cookie-authenticated change (API.md "Security").
                allHeaders.append((name: "Origin", value: Self.origin(of: baseURL)))
                if let csrfToken { allHeaders.append((name: "X-CSRF-Token", value: csrfToken)) }
            }
        }
        allHeaders.append(contentsOf: headers)
        let response = try await transport.send(APIRequest(method: method, url: url, headers: allHeaders, body: body))
        cookies?.store(from: response, for: url)
        return response
    }

    /// `scheme://host[:port]` of `url` (RFC 6454 serialisation).
    static func origin(of url: URL) -> String {
        var origin = "\(url.scheme ?? "http")://\(url.host ?? "")"
        if let port = url.port { origin += ":\(port)" }
        return origin
    }

    /// Logs in (`POST /api/auth/login`) and returns a client carrying the new session.
    /// - Parameter refreshMargin: seconds before the access token's expiry at which the session refreshes it.
    /// - Throws: ``APIErrorResponse`` when the API refuses the login.
    public func login(email: String, password: String, role: Role, refreshMargin: TimeInterval = 10) async throws -> APIClient {
        try await authenticated(email: email, password: password, role: role.rawValue, refreshMargin: refreshMargin)
    }

    /// Logs in with the role's string form (`"patient"`, `"doctor"`, `"admin"`).
    /// - Throws: ``APIErrorResponse`` when the API refuses the login (also for an unknown role).
    public func authenticated(email: String, password: String, role: String, refreshMargin: TimeInterval = 10) async throws -> APIClient {
        struct Login: Encodable, Sendable { var email, password, role: String }
        return try await openSession(
            "/api/auth/login", Login(email: email, password: password, role: role), expecting: 200, refreshMargin: refreshMargin)
    }

    /// Registers a patient (`POST /api/auth/register`) and returns a client carrying their session.
    /// - Throws: ``APIErrorResponse`` (400 for a bad field, 409 for a taken e-mail).
    public func register(name: String, email: String, phone: String, password: String) async throws -> APIClient {
        struct Registration: Encodable, Sendable { var name, email, phone, password: String }
        return try await openSession(
            "/api/auth/register", Registration(name: name, email: email, phone: phone, password: password), expecting: 201,
            refreshMargin: 10)
    }

    private func openSession(
        _ path: String, _ body: some Encodable & Sendable, expecting status: Int, refreshMargin: TimeInterval
    ) async throws -> APIClient {
        let cookies = CookieJar()
        var bare = self
        bare.session = nil
        bare.accessToken = nil
        let response = try await bare.send("POST", path, json: body, cookies: cookies, csrfToken: nil)
        let payload = try response.data(as: SessionPayload.self, expecting: status)
        let session = APISession(payload, cookies: cookies, refreshMargin: refreshMargin)
        await session.remember(csrfToken: response.header("X-CSRF-Token"))
        var copy = bare
        copy.session = session
        return copy
    }

    /// Ends the session (`POST /api/auth/logout`, revoking its refresh-token family) and returns a client without it.
    /// - Throws: ``APIErrorResponse`` when the server does not answer 204.
    public func logout() async throws -> APIClient {
        struct Logout: Encodable, Sendable { var refreshToken: String }
        var bare = self
        bare.session = nil
        guard let session else { return bare }
        let response = try await bare.send(
            "POST", "/api/auth/logout", json: Logout(refreshToken: await session.refreshToken), cookies: session.cookies,
            csrfToken: await session.csrfToken)
        guard response.status == 204 else { throw response.apiError ?? APIErrorResponse(unexpected: response) }
        return bare
    }

    /// The session part of login, registration and refresh responses.
    public struct SessionPayload: Decodable, Sendable {
        public struct User: Decodable, Sendable {
            public var id: UUID
            public var role: String
            public var email: String
            public var tenantId: String
        }
        public var user: User
        public var accessToken: String
        public var refreshToken: String
    }
}

/// The error envelope `{"success": false, "error": {code, message, details?}, "requestId"}` as a Swift error.
public struct APIErrorResponse: Error, Sendable, Decodable, CustomStringConvertible {
    public struct Body: Decodable, Sendable {
        public var code: String
        public var message: String
        public var details: [String: String]?
    }
    public var status: Int = 0
    public var error: Body
    public var requestId: String

    enum CodingKeys: String, CodingKey { case error, requestId }

    public var description: String { "\(status) \(error.code): \(error.message)" }

    /// An answer that is not the error envelope (e.g. a proxy's HTML page): code `UNEXPECTED_STATUS`, the body as message.
    public init(unexpected response: APIResponse) {
        status = response.status
        error = Body(code: "UNEXPECTED_STATUS", message: String(response.text.prefix(500)), details: nil)
        requestId = response.header("X-Request-Id") ?? ""
    }
}

extension APIResponse {
    private struct Envelope<T: Decodable>: Decodable {
        var success: Bool
        var data: T
    }

    /// Decodes `data` of the success envelope.
    /// - Parameter expecting: the status that must be returned (any 2xx when `nil`).
    /// - Throws: ``APIErrorResponse`` for an error envelope or unexpected status; `DecodingError` for a wrong shape.
    public func data<T: Decodable>(as type: T.Type, expecting: Int? = nil) throws -> T {
        let statusOK = expecting.map { $0 == status } ?? (200..<300).contains(status)
        guard statusOK else {
            if var failure = try? JSONDecoder().decode(APIErrorResponse.self, from: body) {
                failure.status = status
                throw failure
            }
            throw APIErrorResponse(unexpected: self)
        }
        return try JSONCoding.decoder().decode(Envelope<T>.self, from: body).data
    }

    /// The error envelope of this response, or `nil` when it is not one.
    public var apiError: APIErrorResponse? {
        guard var failure = try? JSONDecoder().decode(APIErrorResponse.self, from: body) else { return nil }
        failure.status = status
        return failure
    }
}
