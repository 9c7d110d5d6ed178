import APITransport
import BookingServer
import Foundation
import IllajwalaTesting
import Testing

@Suite("Authentication over HTTP")
struct AuthTests {
    @Test("register, duplicate e-mail, login per role, wrong password answers like unknown e-mail", arguments: DatabaseKind.available)
    func registerAndLogin(_ database: DatabaseKind) async throws {
        try await withSeededServer(database) { _, client in
            let email = "new-\(UUID().uuidString.prefix(6).lowercased())@example.test"
            let body = Body([
                "name": .string("Asha"), "email": .string(email), "phone": .string("+919800000009"), "password": .string("Str0ng-pass-phrase"),
            ])
            let created = try await client.send("POST", "/api/auth/register", json: body)
            #expect(created.status == 201)
            #expect(created.header("set-cookie")?.contains("HttpOnly") == true)
            let duplicate = try await client.send("POST", "/api/auth/register", json: body)
            #expect(duplicate.status == 409)
            #expect(duplicate.apiError?.error.code == "CONFLICT")

            for (email, password, role) in [
                (FixtureCredentials.adminEmail, FixtureCredentials.adminPassword, "admin"),
                (FixtureCredentials.paidDoctorEmail, FixtureCredentials.doctorPassword, "doctor"),
                (FixtureCredentials.patientEmail, FixtureCredentials.patientPassword, "patient"),
            ] {
                let session = try await client.authenticated(email: email, password: password, role: role)
                let me = try await session.send("GET", "/api/appointments")
                #expect(me.status == 200, "\(role) lists appointments")
            }
            let wrongPassword = try await client.send(
                "POST", "/api/auth/login",
                json: Body([
                    "email": .string(FixtureCredentials.adminEmail), "password": .string("Wrong-password-1"), "role": .string("admin"),
                ]))
            let unknownEmail = try await client.send(
                "POST", "/api/auth/login",
                json: Body([
                    "email": .string("nobody@example.test"), "password": .string("Wrong-password-1"), "role": .string("admin"),
                ]))
            let wrongRole = try await client.send(
                "POST", "/api/auth/login",
                json: Body([
                    "email": .string(FixtureCredentials.adminEmail), "password": .string(FixtureCredentials.adminPassword), "role": .string("patient"),
                ]))
            #expect(wrongPassword.status == 401 && unknownEmail.status == 401 && wrongRole.status == 401)
            #expect(wrongPassword.apiError?.error.message == unknownEmail.apiError?.error.message)
        }
    }

    @Test("refresh rotates; re-using a rotated token revokes the family; logout revokes", arguments: DatabaseKind.available)
    func refreshRotation(_ database: DatabaseKind) async throws {
        try await withSeededServer(database) { _, client in
            let patient = try await client.newPatient()
            let first = await patient.session!.refreshToken
            let rotated = try await client.send("POST", "/api/auth/refresh", json: Body(["refreshToken": .string(first)]))
                .data(as: APIClient.SessionPayload.self, expecting: 200)
            #expect(rotated.refreshToken != first)
            let reuse = try await client.send("POST", "/api/auth/refresh", json: Body(["refreshToken": .string(first)]))
            #expect(reuse.status == 401)
            let afterTheft = try await client.send("POST", "/api/auth/refresh", json: Body(["refreshToken": .string(rotated.refreshToken)]))
            #expect(afterTheft.status == 401, "the whole family is revoked after re-use")

            let other = try await client.newPatient()
            let otherToken = await other.session!.refreshToken
            let logout = try await client.send("POST", "/api/auth/logout", json: Body(["refreshToken": .string(otherToken)]))
            #expect(logout.status == 204)
            let afterLogout = try await client.send("POST", "/api/auth/refresh", json: Body(["refreshToken": .string(otherToken)]))
            #expect(afterLogout.status == 401)
            // With the CSRF proofs a revoked cookie is still refused (without them: 403, see CSRFTests).
            let csrfToken = try #require(await other.session!.csrfToken)
            let cookieRefresh = try await client.send(
                "POST", "/api/auth/refresh",
                headers: [
                    (name: "Cookie", value: "refreshToken=\(otherToken)"), (name: "Sec-Fetch-Site", value: "same-origin"),
                    (name: "X-CSRF-Token", value: csrfToken),
                ])
            #expect(cookieRefresh.status == 401)
        }
    }

    @Test("missing, malformed and tampered tokens answer 401; wrong role 403", arguments: DatabaseKind.available)
    func tokens(_ database: DatabaseKind) async throws {
        try await withSeededServer(database) { _, client in
            #expect(try await client.send("GET", "/api/patients/me").status == 401)
            var patient = try await client.newPatient()
            #expect(try await patient.send("GET", "/api/patients/me").status == 200)
            #expect(try await patient.send("POST", "/api/clinics", json: Body(["name": .string("x")])).status == 403)
            let token = await patient.session!.accessToken
            patient.session = nil
            var parts = token.split(separator: ".").map(String.init)
            parts[1] = String(parts[1].reversed())
            patient.accessToken = parts.joined(separator: ".")
            let tampered = try await patient.send("GET", "/api/patients/me")
            #expect(tampered.status == 401)
            #expect(tampered.apiError?.error.code == "UNAUTHORIZED")
            patient.accessToken = "not-a-jwt"
            #expect(try await patient.send("GET", "/api/patients/me").status == 401)
        }
    }

    @Test("expired tokens, tokens signed with another key and tokens for another audience or issuer answer 401", arguments: DatabaseKind.available)
    func expiredAndForeignTokens(_ database: DatabaseKind) async throws {
        try await LiveServer.withServer(database: database) { server in
            let patient = try await server.testDatabase.builders.patient()
            let configuration = server.services.configuration
            var client = APIClient(baseURL: server.baseURL)
            let valid = try await server.services.tokens.issue(for: patient.identity)
            client.accessToken = valid
            #expect(try await client.send("GET", "/api/patients/me").status == 200)

            let lifetime = TimeInterval(configuration.auth.accessTokenTTL)
            client.accessToken = try await server.services.tokens.issue(
                for: patient.identity, now: Date().addingTimeInterval(-lifetime - TokenService.leeway - 5))
            let expired = try await client.send("GET", "/api/patients/me")
            #expect(expired.status == 401)
            #expect(expired.apiError?.error.code == "UNAUTHORIZED")

            let foreignKey = await TokenService(
                secret: String(repeating: "k", count: 48), issuer: configuration.auth.jwtIssuer, audience: configuration.auth.jwtAudience, lifetime: 900)
            let otherAudience = await TokenService(
                secret: configuration.auth.jwtSecret, issuer: configuration.auth.jwtIssuer, audience: "another-service", lifetime: 900)
            let otherIssuer = await TokenService(
                secret: configuration.auth.jwtSecret, issuer: "someone-else", audience: configuration.auth.jwtAudience, lifetime: 900)
            for (service, what) in [(foreignKey, "another key"), (otherAudience, "another audience"), (otherIssuer, "another issuer")] {
                client.accessToken = try await service.issue(for: patient.identity)
                #expect(try await client.send("GET", "/api/patients/me").status == 401, "a token with \(what) is refused")
            }
        }
    }

    @Test("ten concurrent registrations with one e-mail: one 201, nine 409 CONFLICT, never a 500", arguments: DatabaseKind.available)
    func concurrentRegistration(_ database: DatabaseKind) async throws {
        try await withSeededServer(database) { _, client in
            let body = Body([
                "name": .string("Race"), "email": .string("race-\(UUID().uuidString.prefix(6).lowercased())@example.test"),
                "phone": .string("+919800000777"), "password": .string("Str0ng-pass-phrase"),
            ])
            let responses = try await withThrowingTaskGroup(of: APIResponse.self) { group in
                for _ in 0..<10 { group.addTask { try await client.send("POST", "/api/auth/register", json: body) } }
                return try await group.reduce(into: [APIResponse]()) { $0.append($1) }
            }
            #expect(responses.filter { $0.status == 201 }.count == 1)
            #expect(responses.filter { $0.status == 409 && $0.apiError?.error.code == "CONFLICT" }.count == 9)
            let badRole = try await client.send(
                "POST", "/api/auth/login",
                json: Body([
                    "email": .string("x@example.test"), "password": .string("whatever-password"), "role": .string("superuser"),
                ]))
            #expect(badRole.apiError?.error.details?["role"] == "is not an accepted value")
        }
    }
}
