import Foundation

/// An HTTP client that speaks the booking API: base URL, JSON bodies, bearer token, tenant header,
/// `X-Request-Id`, and decoding of the success and error envelopes (API.md "Conventions").
///
/// Values are cheap to copy: ``authenticated(as:)`` returns a copy carrying a session, so one transport
/// can serve several actors.
public struct APIClient: Sendable {
    public let baseURL: URL
    public let transport: HTTPTransport
    /// Access token sent as `Authorization: Bearer …`, if any.
    public var accessToken: String?
    /// Refresh token of the session, if any.
    public var refreshToken: String?
    /// Tenant sent as `X-Tenant-Id` on login and registration (default tenant when `nil`).
    public var tenant: String?

    public init(baseURL: URL, transport: HTTPTransport = HTTPTransport(), tenant: String? = nil) {
        self.baseURL = baseURL
        self.transport = transport
        self.tenant = tenant
    }

    /// Sends a request to `path` (relative to the base URL, may include a query string).
    /// - Parameters:
    ///   - json: an `Encodable` body, sent as `application/json`.
    ///   - rawBody: raw bytes instead (with `contentType`).
    ///   - requestID: sent as `X-Request-Id` when given.
    public func send(
        _ method: String, _ path: String, json: (any Encodable & Sendable)? = nil, rawBody: Data? = nil,
        contentType: String? = nil, headers: [(name: String, value: String)] = [], requestID: String? = nil
    ) async throws -> APIResponse {
        guard let url = URL(string: path, relativeTo: baseURL)?.absoluteURL else {
            throw APITransportError(kind: .other, message: "bad path \(path)", url: baseURL)
        }
        var allHeaders = headers
        var body = rawBody
        if let json {
            body = try JSONEncoder().encode(json)
            allHeaders.append((name: "Content-Type", value: "application/json"))
        } else if let contentType {
            allHeaders.append((name: "Content-Type", value: contentType))
        }
        if let accessToken { allHeaders.append((name: "Authorization", value: "Bearer \(accessToken)")) }
        if let tenant { allHeaders.append((name: "X-Tenant-Id", value: tenant)) }
        if let requestID { allHeaders.append((name: "X-Request-Id", value: requestID)) }
        return try await transport.send(APIRequest(method: method, url: url, headers: allHeaders, body: body))
    }

    /// Logs in and returns a client carrying the session.
    /// - Throws: ``APIErrorResponse`` when the API refuses the login.
    public func authenticated(email: String, password: String, role: String) async throws -> APIClient {
        struct Login: Encodable, Sendable { var email, password, role: String }
        let response = try await send("POST", "/api/auth/login", json: Login(email: email, password: password, role: role))
        let session = try response.data(as: SessionPayload.self, expecting: 200)
        var copy = self
        copy.accessToken = session.accessToken
        copy.refreshToken = session.refreshToken
        return copy
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
}

extension APIResponse {
    private struct Envelope<T: Decodable>: Decodable { var success: Bool; var data: T }

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
            throw APIErrorResponse(status: status, error: .init(code: "UNEXPECTED_STATUS", message: text, details: nil), requestId: "")
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(Envelope<T>.self, from: body).data
    }

    /// The error envelope of this response, or `nil` when it is not one.
    public var apiError: APIErrorResponse? {
        guard var failure = try? JSONDecoder().decode(APIErrorResponse.self, from: body) else { return nil }
        failure.status = status
        return failure
    }
}
