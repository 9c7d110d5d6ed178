import APITransport
import BookingCore
import Foundation
import IllajwalaTesting
import Testing

@Suite("APIClient sessions: login per role, automatic refresh, cookies, request ids")
struct APIClientSessionTests {
    @Test("a session per role; each request carries a fresh X-Request-Id the server echoes")
    func sessionsPerRole() async throws {
        try await LiveServer.withServer(scenario: .standard) { server in
            let api = APIClient(baseURL: server.baseURL)
            let admin = try await api.login(email: FixtureCredentials.adminEmail, password: FixtureCredentials.adminPassword, role: .admin)
            let patient = try await api.login(email: FixtureCredentials.patientEmail, password: FixtureCredentials.patientPassword, role: .patient)
            #expect(await admin.session?.user.role == "admin")
            #expect(await patient.session?.user.role == "patient")
            #expect(try await admin.send("GET", "/api/admin/doctors").status == 200)
            #expect(try await patient.send("GET", "/api/admin/doctors").status == 403)
            let first = try await patient.send("GET", "/api/patients/me")
            let second = try await patient.send("GET", "/api/patients/me")
            let ids = [first.header("X-Request-Id"), second.header("X-Request-Id")]
            #expect(ids[0] != nil && ids[0] != ids[1])
            #expect(ids[0]?.hasPrefix("client-") == true)
            #expect(try await patient.send("GET", "/api/patients/me", requestID: "mine-1").header("X-Request-Id") == "mine-1")
        }
    }

    @Test("the refresh cookie is kept, scoped to /api/auth and HttpOnly; the CSRF cookie is site-wide")
    func cookies() async throws {
        try await LiveServer.withServer(scenario: .standard) { server in
            let patient = try await APIClient(baseURL: server.baseURL)
                .login(email: FixtureCredentials.patientEmail, password: FixtureCredentials.patientPassword, role: .patient)
            let session = try #require(patient.session)
            let cookie = try #require(session.cookies.all.first { $0.name == "refreshToken" })
            #expect(cookie.path == "/api/auth")
            #expect(cookie.isHTTPOnly)
            #expect(cookie.value == (await session.refreshToken))
            #expect(session.cookies.header(for: server.baseURL.appendingPathComponent("api/auth/refresh")) != nil)
            let elsewhere = session.cookies.header(for: server.baseURL.appendingPathComponent("api/patients/me")) ?? ""
            #expect(!elsewhere.contains("refreshToken="), "the refresh cookie stays on /api/auth")
            #expect(elsewhere.contains("csrfToken="), "the CSRF cookie is readable site-wide (Path=/)")
        }
    }

    @Test("an access token the server refuses is refreshed once and the request retried; a revoked family ends the session")
    func automaticRefresh() async throws {
        try await LiveServer.withServer(scenario: .standard) { server in
            let patient = try await APIClient(baseURL: server.baseURL)
                .register(
                    name: "Refresh Patient", email: "refresh-\(UUID().uuidString.prefix(6).lowercased())@example.test",
                    phone: "+919800001234", password: "Str0ng-pass-phrase")
            let session = try #require(patient.session)
            let firstRefresh = await session.refreshToken
            await session.invalidateAccessToken()
            #expect(try await patient.send("GET", "/api/patients/me").status == 200)
            #expect(await session.refreshCount == 1)
            #expect(await session.refreshToken != firstRefresh, "the refresh token rotated")

            // Concurrent requests with a refused token share one refresh.
            await session.invalidateAccessToken()
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<5 { group.addTask { try await patient.send("GET", "/api/patients/me").status } }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses == Array(repeating: 200, count: 5))
            #expect(await session.refreshCount == 2)

            // Re-using the first (rotated) refresh token revokes the family: the session cannot refresh any more.
            let reuse = try await APIClient(baseURL: server.baseURL).send(
                "POST", "/api/auth/refresh", json: ["refreshToken": firstRefresh])
            #expect(reuse.status == 401)
            await session.invalidateAccessToken()
            await #expect(throws: APIErrorResponse.self) { try await patient.send("GET", "/api/patients/me") }
        }
    }

    @Test("a token about to expire is refreshed before the request; exp is read from the JWT")
    func proactiveRefresh() async throws {
        try await LiveServer.withServer(scenario: .standard, environment: ["ACCESS_TOKEN_TTL_SECONDS": "60"]) { server in
            let admin = try await APIClient(baseURL: server.baseURL)
                .login(email: FixtureCredentials.adminEmail, password: FixtureCredentials.adminPassword, role: .admin, refreshMargin: 120)
            let session = try #require(admin.session)
            let expiry = try #require(APISession.expiry(of: await session.accessToken))
            #expect(abs(expiry.timeIntervalSinceNow - 60) < 10)
            #expect(try await admin.send("GET", "/api/clinics").status == 200)
            #expect(await session.refreshCount == 1, "60 s left is inside the 120 s margin")
        }
    }

    @Test("logout revokes the session's refresh tokens and returns a client without a session")
    func logout() async throws {
        try await LiveServer.withServer(scenario: .standard) { server in
            let patient = try await APIClient(baseURL: server.baseURL)
                .login(email: FixtureCredentials.patientEmail, password: FixtureCredentials.patientPassword, role: .patient)
            let refresh = await patient.session!.refreshToken
            let anonymous = try await patient.logout()
            #expect(anonymous.session == nil)
            #expect(try await anonymous.send("GET", "/api/patients/me").status == 401)
            #expect(try await anonymous.send("POST", "/api/auth/refresh", json: ["refreshToken": refresh]).status == 401)
        }
    }

    @Test("error envelopes decode into APIErrorResponse with status, code, message, details and request id")
    func errors() async throws {
        try await LiveServer.withServer(scenario: .standard) { server in
            let api = APIClient(baseURL: server.baseURL)
            do {
                _ = try await api.login(email: FixtureCredentials.adminEmail, password: "Wrong-password-1", role: .admin)
                Issue.record("a wrong password must throw")
            } catch let error as APIErrorResponse {
                #expect(error.status == 401)
                #expect(error.error.code == "UNAUTHORIZED")
                #expect(!error.requestId.isEmpty)
            }
            do {
                _ = try await api.register(name: "X", email: "not-an-email", phone: "+919800000000", password: "Str0ng-pass-phrase")
                Issue.record("a bad e-mail must throw")
            } catch let error as APIErrorResponse {
                #expect(error.status == 400)
                #expect(error.error.details?["email"] != nil)
            }
            await #expect(throws: APITransportError.self) {
                try await APIClient(baseURL: URL(string: "http://127.0.0.1:1")!).send("GET", "/health")
            }
        }
    }
}
