import BookingServer
import Foundation
import IllajwalaTesting
import Testing

@Suite("Password change revokes every session of the account")
struct PasswordChangeTests {
    @Test("wrong current password 401, policy and reuse 400, success 204 revokes every device's refresh token", arguments: DatabaseKind.available)
    func change(_ database: DatabaseKind) async throws {
        try await withSeededServer(database) { _, client in
            let email = "pw-\(UUID().uuidString.prefix(8).lowercased())@example.test"
            let old = "Str0ng-pass-phrase"
            let laptop = try await client.register(name: "Asha", email: email, phone: "+919800000321", password: old)
            let phone = try await client.login(email: email, password: old, role: .patient)
            func change(_ current: String, _ new: String) async throws -> APIResponse {
                try await laptop.send("POST", "/api/auth/password", json: Body(["currentPassword": .string(current), "newPassword": .string(new)]))
            }
            let wrong = try await change("Not-the-password-1", "An0ther-pass-phrase")
            #expect(wrong.status == 401)
            #expect(wrong.header("RateLimit-Policy") == "5;w=900", "counts against the failed-login budget")
            #expect(try await change(old, "short").apiError?.error.details?["newPassword"] != nil)
            #expect(try await change(old, "alllowercaseletters").apiError?.error.details?["newPassword"] != nil)
            #expect(try await change(old, old).apiError?.error.details?["newPassword"] != nil)
            #expect(try await client.send("POST", "/api/auth/password", json: Body([
                "currentPassword": .string(old), "newPassword": .string("An0ther-pass-phrase"),
            ])).status == 401, "needs a bearer token")

            let changed = try await change(old, "An0ther-pass-phrase")
            #expect(changed.status == 204)
            for device in [laptop, phone] {
                let token = await device.session!.refreshToken
                let refresh = try await client.send("POST", "/api/auth/refresh", json: Body(["refreshToken": .string(token)]))
                #expect(refresh.status == 401, "every refresh token is revoked")
            }
            #expect(try await client.send("POST", "/api/auth/login", json: Body([
                "email": .string(email), "password": .string(old), "role": .string("patient"),
            ])).status == 401)
            _ = try await client.login(email: email, password: "An0ther-pass-phrase", role: .patient)
        }
    }

    @Test("guessing the current password with a stolen access token is rate limited like login")
    func guessing() async throws {
        try await withSeededServer(.sqlite) { _, client in
            let patient = try await client.newPatient()
            var statuses: [Int] = []
            for attempt in 0..<7 {
                statuses.append(try await patient.send("POST", "/api/auth/password", json: Body([
                    "currentPassword": .string("Guess-number-\(attempt)"), "newPassword": .string("An0ther-pass-phrase"),
                ])).status)
            }
            #expect(statuses == [401, 401, 401, 401, 401, 429, 429])
        }
    }
}
