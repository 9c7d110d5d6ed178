import APITransport
import BookingServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import IllajwalaTesting
import Testing

@Suite("CSRF: cookie-authenticated refresh and logout need the Origin/Fetch-Metadata proof and the signed double-submit token")
struct CSRFTests {
    static let appOrigin = "https://app.illajwala.test"

    /// A fresh patient's login: its refresh token, the CSRF token handed out and the Set-Cookie values.
    struct Login {
        var refreshToken: String
        var csrfToken: String
        var cookies: [String]
    }

    static func login(_ client: APIClient) async throws -> Login {
        let patient = try await client.newPatient()
        let email = try await patient.send("GET", "/api/patients/me").data(as: Profile.self, expecting: 200).email
        let response = try await client.send(
            "POST", "/api/auth/login",
            json: Body([
                "email": .string(email), "password": .string("Str0ng-pass-phrase"), "role": .string("patient"),
            ]))
        try #require(response.status == 200)
        let payload = try response.data(as: APIClient.SessionPayload.self)
        return Login(
            refreshToken: payload.refreshToken, csrfToken: try #require(response.header("X-CSRF-Token")),
            cookies: response.values(of: "set-cookie"))
    }

    struct Profile: Decodable { var email: String }

    @Test("token responses are not cached (RFC 6749 §5.1): login, registration and refresh answer Cache-Control: no-store")
    func noStore() async throws {
        try await withSeededServer(.sqlite) { _, client in
            let registered = try await client.send(
                "POST", "/api/auth/register",
                json: Body([
                    "name": .string("Asha"), "email": .string("nostore-\(UUID().uuidString.prefix(6))@example.test"),
                    "phone": .string("+919800000123"), "password": .string("Str0ng-pass-phrase"),
                ]))
            #expect(registered.status == 201)
            #expect(registered.header("cache-control") == "no-store")
            let login = try await Self.login(client)
            let refreshed = try await client.send("POST", "/api/auth/refresh", json: Body(["refreshToken": .string(login.refreshToken)]))
            #expect(refreshed.status == 200)
            #expect(refreshed.header("cache-control") == "no-store")
        }
    }

    @Test("login hands out an HttpOnly SameSite=Strict refresh cookie and a readable CSRF cookie with the X-CSRF-Token header")
    func handedOut() async throws {
        try await withSeededServer(.sqlite) { server, client in
            let login = try await Self.login(client)
            let refresh = try #require(login.cookies.first { $0.hasPrefix("refreshToken=") })
            for attribute in ["HttpOnly", "SameSite=Strict", "Path=/api/auth"] { #expect(refresh.contains(attribute), "\(refresh)") }
            let csrf = try #require(login.cookies.first { $0.hasPrefix("csrfToken=") })
            #expect(csrf.hasPrefix("csrfToken=\(login.csrfToken);"))
            #expect(!csrf.contains("HttpOnly") && csrf.contains("SameSite=Strict"))
            #expect(csrf.contains("Path=/;") || csrf.hasSuffix("Path=/"), "readable by the page's scripts after a reload: \(csrf)")
            #expect(login.csrfToken.split(separator: ".").count == 2)
        }
    }

    @Test("each missing or wrong proof is 403 FORBIDDEN, and the refused requests leave the session usable")
    func rejections() async throws {
        try await withSeededServer(.sqlite, environment: ["CORS_ALLOWED_ORIGINS": Self.appOrigin]) { server, client in
            let login = try await Self.login(client)
            let other = try await Self.login(client)
            let own = "http://\(server.baseURL.host!):\(server.baseURL.port!)"
            let cookie = ("Cookie", "refreshToken=\(login.refreshToken)")
            let token = ("X-CSRF-Token", login.csrfToken)
            var tampered = Array(login.csrfToken)
            tampered[tampered.count - 2] = tampered[tampered.count - 2] == "A" ? "B" : "A"
            let cases: [(String, [(String, String)])] = [
                ("neither Origin nor Sec-Fetch-Site", [cookie, token]),
                ("a cross-site Origin", [cookie, token, ("Origin", "https://attacker.example")]),
                ("a look-alike Origin", [cookie, token, ("Origin", "https://app.illajwala.test.attacker.example")]),
                ("Origin: null", [cookie, token, ("Origin", "null")]),
                ("Sec-Fetch-Site: cross-site", [cookie, token, ("Sec-Fetch-Site", "cross-site")]),
                ("Sec-Fetch-Site: same-site", [cookie, token, ("Sec-Fetch-Site", "same-site")]),
                (
                    "a cross-site Origin even with same-origin Fetch Metadata",
                    [cookie, token, ("Origin", "https://attacker.example"), ("Sec-Fetch-Site", "same-origin")]
                ),
                ("no X-CSRF-Token", [cookie, ("Origin", own)]),
                ("another session's token", [cookie, ("Origin", own), ("X-CSRF-Token", other.csrfToken)]),
                ("a tampered token", [cookie, ("Origin", own), ("X-CSRF-Token", String(tampered))]),
                ("a malformed token", [cookie, ("Origin", own), ("X-CSRF-Token", "not-a-token")]),
                (
                    "a csrfToken cookie that differs from the header",
                    [
                        ("Cookie", "refreshToken=\(login.refreshToken); csrfToken=\(other.csrfToken)"), token, ("Origin", own),
                    ]
                ),
            ]
            for path in ["/api/auth/refresh", "/api/auth/logout"] {
                for (what, headers) in cases {
                    let response = try await client.send("POST", path, headers: headers)
                    #expect(response.status == 403, "\(path) with \(what)")
                    #expect(response.apiError?.error.code == "FORBIDDEN", "\(path) with \(what)")
                    #expect(response.apiError?.error.message.hasPrefix("CSRF check failed") == true, "\(path) with \(what)")
                }
            }
            // Nothing was revoked or rotated by the refused requests.
            let viaOwnOrigin = try await client.send("POST", "/api/auth/refresh", headers: [cookie, token, ("Origin", own)])
            #expect(viaOwnOrigin.status == 200)
            #expect(viaOwnOrigin.header("vary")?.contains("Sec-Fetch-Site") == true)
            #expect(viaOwnOrigin.header("vary")?.contains("Origin") == true)
            let rotated = try viaOwnOrigin.data(as: APIClient.SessionPayload.self)
            let newToken = try #require(viaOwnOrigin.header("X-CSRF-Token"))
            #expect(newToken != login.csrfToken)
            // The old CSRF token belongs to the rotated-away refresh token, not to the new one.
            let stale = try await client.send(
                "POST", "/api/auth/refresh",
                headers: [
                    ("Cookie", "refreshToken=\(rotated.refreshToken)"), token, ("Origin", own),
                ])
            #expect(stale.status == 403)
            // Fetch Metadata alone (no Origin) and the SPA's configured origin are accepted.
            let viaFetchMetadata = try await client.send(
                "POST", "/api/auth/refresh",
                headers: [
                    ("Cookie", "refreshToken=\(rotated.refreshToken)"), ("X-CSRF-Token", newToken), ("Sec-Fetch-Site", "same-origin"),
                ])
            #expect(viaFetchMetadata.status == 200)
            let third = try viaFetchMetadata.data(as: APIClient.SessionPayload.self)
            let logout = try await client.send(
                "POST", "/api/auth/logout",
                headers: [
                    ("Cookie", "refreshToken=\(third.refreshToken)"), ("X-CSRF-Token", try #require(viaFetchMetadata.header("X-CSRF-Token"))),
                    ("Origin", Self.appOrigin),
                ])
            #expect(logout.status == 204)
            #expect(logout.values(of: "set-cookie").contains { $0.hasPrefix("refreshToken=;") && $0.contains("Max-Age=0") })
            #expect(logout.values(of: "set-cookie").contains { $0.hasPrefix("csrfToken=;") })
            #expect(try await client.send("POST", "/api/auth/refresh", json: Body(["refreshToken": .string(third.refreshToken)])).status == 401)
        }
    }

    @Test("a refresh token in the JSON body (mobile and server clients) needs no CSRF proof")
    func bodyTokens() async throws {
        try await withSeededServer(.sqlite) { _, client in
            let login = try await Self.login(client)
            let response = try await client.send(
                "POST", "/api/auth/refresh", json: Body(["refreshToken": .string(login.refreshToken)]),
                headers: [("Origin", "https://attacker.example")])
            #expect(response.status == 200)
        }
    }

    @Test("production: the refresh cookie is __Secure-refreshToken, Secure; the plain name is not read")
    func secureCookieName() async throws {
        let database = try await TestDatabase.make(.sqlite, scenario: .standard)
        var configuration = database.configuration
        configuration.environment = .production
        let services = await BookingServices(database: database.database, configuration: configuration)
        let app = Application(router: BookingApplication.router(services: services))
        do {
            try await app.test(.router) { http in
                let body = ByteBuffer(
                    string: #"{"email":"\#(FixtureCredentials.patientEmail)","password":"\#(FixtureCredentials.patientPassword)","role":"patient"}"#)
                let (cookies, refreshToken, csrfToken) = try await http.execute(
                    uri: "/api/auth/login", method: .post, headers: [.contentType: "application/json"], body: body
                ) { response in
                    let payload = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                    let data = payload?["data"] as? [String: Any]
                    return (
                        response.headers[values: .setCookie], data?["refreshToken"] as? String ?? "", response.headers[HTTPField.Name("X-CSRF-Token")!] ?? ""
                    )
                }
                let refresh = try #require(cookies.first { $0.hasPrefix("__Secure-refreshToken=") })
                #expect(refresh.contains("Secure") && refresh.contains("HttpOnly") && refresh.contains("SameSite=Strict"))
                #expect(cookies.first { $0.hasPrefix("csrfToken=") }?.contains("Secure") == true)
                let proof: HTTPFields = [HTTPField.Name("Sec-Fetch-Site")!: "same-origin", HTTPField.Name("X-CSRF-Token")!: csrfToken]
                var plain = proof
                plain[.cookie] = "refreshToken=\(refreshToken)"
                try await http.execute(uri: "/api/auth/refresh", method: .post, headers: plain) { response in
                    #expect(response.status == .unauthorized, "the unprefixed name is not the production cookie")
                }
                var prefixed = proof
                prefixed[.cookie] = "__Secure-refreshToken=\(refreshToken)"
                try await http.execute(uri: "/api/auth/refresh", method: .post, headers: prefixed) { response in
                    #expect(response.status == .ok)
                }
            }
        } catch {
            await database.drop()
            throw error
        }
        await database.drop()
    }
}

extension APIResponse {
    /// Every value of a header that may repeat (`Set-Cookie`). Foundation's transport joins repeated fields with
    /// ", ", so they are split again before each `name=` (an `Expires=Wed, 21 Oct …` date is not split).
    func values(of name: String) -> [String] {
        headers.filter { $0.name.lowercased() == name.lowercased() }.flatMap { field in
            field.value.split(separator: /, (?=[A-Za-z0-9_-]+=)/).map(String.init)
        }
    }
}
