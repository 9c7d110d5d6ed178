import BookingCore
import BookingServer
import Crypto
import Foundation
import IllajwalaTesting
import Testing

/// Hand-made JWTs: what an attacker can produce with or without the key.
enum ForgedToken {
    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ part: Substring) throws -> [String: Any] {
        var text = part.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        text += String(repeating: "=", count: (4 - text.count % 4) % 4)
        let data = try #require(Data(base64Encoded: text))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// `header.payload.signature` signed with `secret` by HMAC-SHA256 (or SHA-512), or unsigned for `alg: none`.
    static func make(header: [String: Any], payload: [String: Any], secret: String?, sha512: Bool = false) throws -> String {
        let signingInput =
            base64URL(try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys]))
            + "." + base64URL(try JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys]))
        guard let secret else { return signingInput + "." }
        let key = SymmetricKey(data: Data(secret.utf8))
        let mac =
            sha512
            ? Data(HMAC<SHA512>.authenticationCode(for: Data(signingInput.utf8), using: key))
            : Data(HMAC<SHA256>.authenticationCode(for: Data(signingInput.utf8), using: key))
        return signingInput + "." + base64URL(mac)
    }
}

@Suite("JWT hygiene (RFC 8725): pinned algorithm and type, kid rotation without a default key, every claim checked")
struct TokenHygieneTests {
    static let secret = String(repeating: "s", count: 40)
    static let identity = Identity(userID: UUID(), role: .patient, tenantID: .default)

    static func service(
        _ current: TokenService.SigningKey = .init(id: "k1", secret: secret), previous: [TokenService.SigningKey] = [], until: Date? = nil
    ) async -> TokenService {
        await TokenService(
            current: current, previous: previous, previousValidUntil: until, issuer: "illajwala-api", audience: "illajwala-clients", lifetime: 900)
    }

    /// The header and claims of a genuine token, to forge variants from.
    static func genuine() async throws -> (header: [String: Any], payload: [String: Any]) {
        let token = try await service().issue(for: identity)
        let parts = token.split(separator: ".")
        return (try ForgedToken.decode(parts[0]), try ForgedToken.decode(parts[1]))
    }

    static func accepted(_ token: String, by service: TokenService, now: Date = Date()) async -> Bool {
        (try? await service.verify(token, now: now)) != nil
    }

    @Test("issued tokens: alg HS256, typ at+jwt, kid; whole-second iat = nbf, exp = iat + lifetime; iss, aud, jti, sub")
    func issued() async throws {
        let (header, payload) = try await Self.genuine()
        #expect(header["alg"] as? String == "HS256" && header["typ"] as? String == "at+jwt" && header["kid"] as? String == "k1")
        let iat = try #require(payload["iat"] as? Int)
        #expect(payload["nbf"] as? Int == iat && payload["exp"] as? Int == iat + 900)
        #expect(payload["iss"] as? String == "illajwala-api")
        #expect((payload["aud"] as? [String]) == ["illajwala-clients"] || payload["aud"] as? String == "illajwala-clients")
        #expect((payload["jti"] as? String)?.count == 36)
        #expect(payload["sub"] as? String == Self.identity.userID.uuidString.lowercased())
        let token = try await Self.service().issue(for: Self.identity)
        #expect(try await Self.service().verify(token) == Self.identity)
    }

    @Test("forged headers are refused: alg none, HS512, RS256, wrong or missing typ, missing or unknown kid, crit")
    func headers() async throws {
        let (header, payload) = try await Self.genuine()
        let service = await Self.service()
        func with(_ changes: [String: Any?]) -> [String: Any] {
            var copy = header
            for (key, value) in changes { copy[key] = value }
            return copy
        }
        let forgeries: [(String, String)] = [
            ("alg none, unsigned", try ForgedToken.make(header: with(["alg": "none"]), payload: payload, secret: nil)),
            ("alg none, signature kept", try ForgedToken.make(header: with(["alg": "none"]), payload: payload, secret: Self.secret)),
            ("HS512 with the right key", try ForgedToken.make(header: with(["alg": "HS512"]), payload: payload, secret: Self.secret, sha512: true)),
            ("RS256 header on an HMAC", try ForgedToken.make(header: with(["alg": "RS256"]), payload: payload, secret: Self.secret)),
            ("typ JWT", try ForgedToken.make(header: with(["typ": "JWT"]), payload: payload, secret: Self.secret)),
            ("typ missing", try ForgedToken.make(header: with(["typ": nil]), payload: payload, secret: Self.secret)),
            ("kid missing", try ForgedToken.make(header: with(["kid": nil]), payload: payload, secret: Self.secret)),
            ("kid unknown", try ForgedToken.make(header: with(["kid": "k9"]), payload: payload, secret: Self.secret)),
            ("crit extension", try ForgedToken.make(header: with(["crit": ["exp"]]), payload: payload, secret: Self.secret)),
            ("another key", try ForgedToken.make(header: header, payload: payload, secret: String(repeating: "x", count: 40))),
        ]
        // The control: the same construction with the genuine header and key is accepted.
        #expect(await Self.accepted(try ForgedToken.make(header: header, payload: payload, secret: Self.secret), by: service))
        for (what, token) in forgeries {
            #expect(!(await Self.accepted(token, by: service)), "\(what)")
        }
    }

    @Test("claims: exp required and checked with 30 s leeway; nbf and iat not in the future; iss, aud, jti, sub required")
    func claims() async throws {
        let (header, payload) = try await Self.genuine()
        let service = await Self.service()
        let iat = try #require(payload["iat"] as? Int)
        let issuedAt = Date(timeIntervalSince1970: TimeInterval(iat))
        func forged(_ changes: [String: Any?]) throws -> String {
            var copy = payload
            for (key, value) in changes { copy[key] = value }
            return try ForgedToken.make(header: header, payload: copy, secret: Self.secret)
        }
        // exp: accepted up to the leeway after it, refused beyond.
        let expiry = issuedAt.addingTimeInterval(900)
        #expect(await Self.accepted(try forged([:]), by: service, now: expiry.addingTimeInterval(TokenService.leeway - 1)))
        #expect(!(await Self.accepted(try forged([:]), by: service, now: expiry.addingTimeInterval(TokenService.leeway + 1))))
        let refused: [(String, String)] = [
            ("no exp", try forged(["exp": nil])),
            ("no nbf", try forged(["nbf": nil])),
            ("nbf a minute ahead", try forged(["nbf": iat + 60])),
            ("iat a minute ahead", try forged(["iat": iat + 60, "nbf": iat])),
            ("another issuer", try forged(["iss": "someone-else"])),
            ("another audience", try forged(["aud": ["another-service"]])),
            ("no jti", try forged(["jti": nil])),
            ("empty jti", try forged(["jti": ""])),
            ("no sub", try forged(["sub": nil])),
            ("sub not an id", try forged(["sub": "admin"])),
            ("unknown role", try forged(["role": "superuser"])),
            ("exp as a string", try forged(["exp": "\(iat + 900)"])),
        ]
        for (what, token) in refused {
            #expect(!(await Self.accepted(token, by: service, now: issuedAt)), "\(what)")
        }
        // Within the leeway a slightly fast issuer clock is tolerated.
        #expect(await Self.accepted(try forged(["nbf": iat + 10, "iat": iat + 10]), by: service, now: issuedAt))
    }

    @Test("rotation: the previous key verifies until its grace period ends; new tokens carry the new kid")
    func rotation() async throws {
        let oldKey = TokenService.SigningKey(id: "2026-10", secret: String(repeating: "o", count: 40))
        let newKey = TokenService.SigningKey(id: "2026-11", secret: String(repeating: "n", count: 40))
        let before = await Self.service(oldKey)
        let oldToken = try await before.issue(for: Self.identity)
        let graceEnds = Date().addingTimeInterval(3600)
        let after = await Self.service(newKey, previous: [oldKey], until: graceEnds)
        #expect(await Self.accepted(oldToken, by: after))
        #expect(!(await Self.accepted(oldToken, by: after, now: graceEnds.addingTimeInterval(1))), "after the grace period")
        let newToken = try await after.issue(for: Self.identity)
        #expect(try ForgedToken.decode(newToken.split(separator: ".")[0])["kid"] as? String == "2026-11")
        #expect(!(await Self.accepted(newToken, by: before)), "an instance without the new key refuses it")
        let retired = await Self.service(newKey)
        #expect(!(await Self.accepted(oldToken, by: retired)), "without the previous key it is refused, not verified by a default")
        // The old key cannot be used to mint tokens under the new kid.
        var header = try ForgedToken.decode(newToken.split(separator: ".")[0])
        header["kid"] = "2026-11"
        let payload = try ForgedToken.decode(newToken.split(separator: ".")[1])
        #expect(!(await Self.accepted(try ForgedToken.make(header: header, payload: payload, secret: oldKey.secret), by: after)))
    }

    /// Verified tokens are remembered for speed (VerifiedTokenCache); what a fresh verification enforces must still hold.
    @Test("a token verified once is still refused after its exp, and after its retired key's grace period, though it was remembered")
    func rememberedTokensExpire() async throws {
        let now = Date()
        let service = await Self.service()
        let token = try await service.issue(for: Self.identity, now: now)
        #expect(await Self.accepted(token, by: service, now: now))
        #expect(await Self.accepted(token, by: service, now: now.addingTimeInterval(899)), "remembered, still valid")
        #expect(!(await Self.accepted(token, by: service, now: now.addingTimeInterval(900 + TokenService.leeway + 1))), "exp passed")

        let old = TokenService.SigningKey(id: "k0", secret: String(repeating: "o", count: 40))
        let oldToken = try await Self.service(old).issue(for: Self.identity, now: now)
        let rotated = await Self.service(previous: [old], until: now.addingTimeInterval(60))
        #expect(await Self.accepted(oldToken, by: rotated, now: now))
        #expect(!(await Self.accepted(oldToken, by: rotated, now: now.addingTimeInterval(61))), "the old key retired")
        #expect(!(await Self.accepted(token + "x", by: service, now: now)), "only the exact token that passed is remembered")
    }

    @Test("key configuration is validated at start-up")
    func configuration() throws {
        let soon = ISO8601DateFormatter().string(from: Date().addingTimeInterval(86_400))
        let late = ISO8601DateFormatter().string(from: Date().addingTimeInterval(40 * 86_400))
        let long = String(repeating: "p", count: 40)
        for (variables, culprit) in [
            (["JWT_PREVIOUS_KEYS": "old=\(long)"], "JWT_PREVIOUS_KEYS_VALID_UNTIL"),
            (["JWT_PREVIOUS_KEYS": "old=short", "JWT_PREVIOUS_KEYS_VALID_UNTIL": soon], "JWT_PREVIOUS_KEYS"),
            (["JWT_PREVIOUS_KEYS": "\(long)", "JWT_PREVIOUS_KEYS_VALID_UNTIL": soon], "JWT_PREVIOUS_KEYS"),
            (["JWT_PREVIOUS_KEYS": "old=\(long)", "JWT_PREVIOUS_KEYS_VALID_UNTIL": late], "JWT_PREVIOUS_KEYS_VALID_UNTIL"),
            (["JWT_PREVIOUS_KEYS": "old=\(long)", "JWT_PREVIOUS_KEYS_VALID_UNTIL": "next tuesday"], "JWT_PREVIOUS_KEYS_VALID_UNTIL"),
            (["JWT_KEY_ID": "has space"], "JWT_KEY_ID"),
            (["JWT_KEY_ID": "cur", "JWT_PREVIOUS_KEYS": "cur=\(long)", "JWT_PREVIOUS_KEYS_VALID_UNTIL": soon], "JWT_PREVIOUS_KEYS"),
            (["JWT_PREVIOUS_KEYS_VALID_UNTIL": soon], "JWT_PREVIOUS_KEYS_VALID_UNTIL"),
            (["JWT_SECRET": String(repeating: "k", count: 31)], "JWT_SECRET"),
        ] {
            #expect {
                try ServerConfiguration(environment: ["ILLAJWALA_ENV": "test"].merging(variables) { $1 })
            } throws: { error in
                (error as? ConfigurationError)?.variable == culprit
            }
        }
        // Production refuses a weak signing key: repeated or patterned, or the development key dressed up.
        let production = ["ILLAJWALA_ENV": "production", "DATABASE_URL": "postgres://u@127.0.0.1:5432/db"]
        for weak in [String(repeating: "a", count: 32), "abababababababababababababababab", AuthSettings.developmentJWTSecret + "X"] {
            #expect("\(weak.prefix(8))…") {
                try AuthSettings(ConfigurationVariables(production.merging(["JWT_SECRET": weak]) { $1 }, environment: .production))
            } throws: { error in
                (error as? ConfigurationError)?.variable == "JWT_SECRET"
            }
        }
        for strong in ["q3Vx9LmT2pZr8sKw4YbN6cHj0dFg1aEu5oIy7tRe", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"] {
            #expect(throws: Never.self) {
                try AuthSettings(ConfigurationVariables(["JWT_SECRET": strong, "BCRYPT_COST": "12"], environment: .production))
            }
        }

        let rotating = try ServerConfiguration(environment: [
            "ILLAJWALA_ENV": "test", "JWT_KEY_ID": "2026-11", "JWT_PREVIOUS_KEYS": "2026-10=\(long), 2026-09=\(long)",
            "JWT_PREVIOUS_KEYS_VALID_UNTIL": soon,
        ])
        #expect(rotating.auth.jwtPreviousKeys.map(\.id) == ["2026-10", "2026-09"] && rotating.auth.jwtKeyID == "2026-11")

        // No fixed key outside development: `test` draws one per process; production has none.
        let testOne = try ServerConfiguration(environment: ["ILLAJWALA_ENV": "test"])
        let testTwo = try ServerConfiguration(environment: ["ILLAJWALA_ENV": "test"])
        #expect(testOne.auth.jwtSecret != AuthSettings.developmentJWTSecret && testOne.auth.jwtSecret.utf8.count >= 32)
        #expect(testOne.auth.jwtSecret == testTwo.auth.jwtSecret, "one key per process, so its servers verify each other's tokens")
        #expect(try ServerConfiguration(environment: ["ILLAJWALA_ENV": "development"]).auth.jwtSecret == AuthSettings.developmentJWTSecret)
        #expect {
            try ServerConfiguration(environment: ["ILLAJWALA_ENV": "production", "DATABASE_URL": "postgres://app@db.internal/booking"])
        } throws: { error in
            (error as? ConfigurationError)?.variable == "JWT_SECRET"
        }
    }

    @Test("over HTTP: a forged alg-none token and a token for another kid answer 401 with nothing more than 'invalid or expired token'")
    func overHTTP() async throws {
        try await LiveServer.withServer { server in
            let patient = try await server.testDatabase.builders.patient()
            let genuine = try await server.services.tokens.issue(for: patient.identity)
            let parts = genuine.split(separator: ".")
            var header = try ForgedToken.decode(parts[0])
            header["alg"] = "none"
            let unsigned = try ForgedToken.make(header: header, payload: try ForgedToken.decode(parts[1]), secret: nil)
            var client = APIClient(baseURL: server.baseURL)
            for token in [unsigned, String(parts[0]) + "." + String(parts[1])] {
                client.accessToken = token
                let response = try await client.send("GET", "/api/patients/me")
                #expect(response.status == 401)
                #expect(response.apiError?.error.message == "invalid or expired token")
            }
            client.accessToken = genuine
            #expect(try await client.send("GET", "/api/patients/me").status == 200)
        }
    }
}
