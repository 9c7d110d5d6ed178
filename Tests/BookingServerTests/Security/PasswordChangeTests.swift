import APITransport
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
            #expect(
                try await client.send(
                    "POST", "/api/auth/password",
                    json: Body([
                        "currentPassword": .string(old), "newPassword": .string("An0ther-pass-phrase"),
                    ])
                ).status == 401, "needs a bearer token")

            let changed = try await change(old, "An0ther-pass-phrase")
            #expect(changed.status == 204)
            for device in [laptop, phone] {
                let token = await device.session!.refreshToken
                let refresh = try await client.send("POST", "/api/auth/refresh", json: Body(["refreshToken": .string(token)]))
                #expect(refresh.status == 401, "every refresh token is revoked")
            }
            #expect(
                try await client.send(
                    "POST", "/api/auth/login",
                    json: Body([
                        "email": .string(email), "password": .string(old), "role": .string("patient"),
                    ])
                ).status == 401)
            _ = try await client.login(email: email, password: "An0ther-pass-phrase", role: .patient)
        }
    }

    @Test("a login re-hashes a password stored at another bcrypt cost (raising BCRYPT_COST reaches every active account)")
    func rehashOnLogin() async throws {
        let database = try await TestDatabase.make(.sqlite, scenario: .standard)
        func storedCost() async throws -> Int? {
            let hash = try await database.database.withConnection { sql in
                try await sql.raw("SELECT password_hash FROM users WHERE email = \(bind: FixtureCredentials.patientEmail)").first()?
                    .decode(column: "password_hash", as: String.self)
            }
            return hash.flatMap(PasswordHasher.cost(of:))
        }
        var failure: (any Error)?
        do {
            #expect(try await storedCost() == 4, "the fixtures are seeded at the test cost")
            var configuration = database.configuration
            configuration.auth.bcryptCost = 5
            let services = await BookingServices(database: database.database, configuration: configuration)
            _ = try await services.accounts.login(
                tenant: .default, email: FixtureCredentials.patientEmail, password: FixtureCredentials.patientPassword, role: .patient)
            #expect(try await storedCost() == 5)
            _ = try await services.accounts.login(
                tenant: .default, email: FixtureCredentials.patientEmail, password: FixtureCredentials.patientPassword, role: .patient)
        } catch { failure = error }
        await database.drop()
        if let failure { throw failure }
        #expect(PasswordHasher.cost(of: "$2b$12$abcdefghijklmnopqrstuuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ01") == 12)
        #expect(PasswordHasher.cost(of: "not a hash") == nil)
    }

    @Test("guessing the current password with a stolen access token is rate limited like login")
    func guessing() async throws {
        try await withSeededServer(.sqlite) { _, client in
            let patient = try await client.newPatient()
            var statuses: [Int] = []
            for attempt in 0..<7 {
                statuses.append(
                    try await patient.send(
                        "POST", "/api/auth/password",
                        json: Body([
                            "currentPassword": .string("Guess-number-\(attempt)"), "newPassword": .string("An0ther-pass-phrase"),
                        ])
                    ).status)
            }
            #expect(statuses == [401, 401, 401, 401, 401, 429, 429])
        }
    }
}
