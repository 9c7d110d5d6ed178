import APITransport
import Foundation

/// The signed-in state of one actor (a patient, a doctor, an admin) against the API: tokens, cookies and the
/// CSRF token, shared by every copy of the ``APIClient`` that carries it.
///
/// The client refreshes the access token by itself: before a request when the token expires within
/// ``refreshMargin`` seconds, and once after a `401` (API.md "Auth": `POST /api/auth/refresh` rotates the
/// refresh token). Concurrent requests share one refresh.
public actor APISession {
    /// The signed-in user (from the last login, registration or refresh).
    public private(set) var user: APIClient.SessionPayload.User
    /// The current access token (JWT).
    public private(set) var accessToken: String
    /// The current refresh token (also held as the `refreshToken` cookie).
    public private(set) var refreshToken: String
    /// The CSRF token the server handed out (response header `X-CSRF-Token`), echoed on state-changing requests.
    public private(set) var csrfToken: String?
    /// Cookies received by this session.
    public nonisolated let cookies: CookieJar
    /// Number of token refreshes so far.
    public private(set) var refreshCount = 0
    /// Refresh when the access token expires within this many seconds.
    public nonisolated let refreshMargin: TimeInterval
    private var refreshing: Task<Void, any Error>?

    init(_ payload: APIClient.SessionPayload, cookies: CookieJar, refreshMargin: TimeInterval) {
        self.user = payload.user
        self.accessToken = payload.accessToken
        self.refreshToken = payload.refreshToken
        self.cookies = cookies
        self.refreshMargin = refreshMargin
    }

    /// Replaces the access token with one the server refuses, so that the next request shows automatic refresh.
    public func invalidateAccessToken() {
        accessToken = "invalidated.access.token"
    }

    func remember(csrfToken: String?) {
        if let csrfToken, !csrfToken.isEmpty { self.csrfToken = csrfToken }
    }

    /// The access token to send now, refreshed first when it is about to expire.
    func validAccessToken(using client: APIClient) async throws -> String {
        if let expiry = Self.expiry(of: accessToken), expiry.timeIntervalSinceNow < refreshMargin {
            try await refresh(using: client, replacing: accessToken)
        }
        return accessToken
    }

    /// Rotates the tokens with `POST /api/auth/refresh`, unless another request already replaced `stale`.
    /// - Throws: ``APIErrorResponse`` when the server refuses (e.g. the family was revoked).
    func refresh(using client: APIClient, replacing stale: String) async throws {
        if accessToken != stale { return }
        if let refreshing { return try await refreshing.value }
        let task = Task { try await performRefresh(using: client) }
        refreshing = task
        defer { refreshing = nil }
        try await task.value
    }

    private func performRefresh(using client: APIClient) async throws {
        struct Body: Encodable, Sendable { var refreshToken: String }
        var bare = client
        bare.session = nil
        let response = try await bare.send(
            "POST", "/api/auth/refresh", json: Body(refreshToken: refreshToken), cookies: cookies, csrfToken: csrfToken)
        let payload = try response.data(as: APIClient.SessionPayload.self, expecting: 200)
        update(payload)
        remember(csrfToken: response.header("X-CSRF-Token"))
        refreshCount += 1
    }

    func update(_ payload: APIClient.SessionPayload) {
        user = payload.user
        accessToken = payload.accessToken
        refreshToken = payload.refreshToken
    }

    /// The `exp` claim of a JWT (RFC 7519 §4.1.4), read without verifying; see ``AccessTokenExpiry``.
    public static func expiry(of token: String) -> Date? { AccessTokenExpiry.of(token) }
}
