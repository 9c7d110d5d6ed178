import APITransport
import BookingServer
import Foundation
import IllajwalaTesting
import Testing

@Suite("Rate limits over HTTP (API.md \"Security envelope\")")
struct RateLimitTests {
    /// A client logged in as the fixtures' admin (one login: the login rule, not the `api` rule).
    static func admin(_ server: LiveServer) async throws -> APIClient {
        try await APIClient(baseURL: server.baseURL).authenticated(
            email: FixtureCredentials.adminEmail, password: FixtureCredentials.adminPassword, role: "admin")
    }

    @Test("every other /api route: 100 per minute per client, headers on each response, then 429 with Retry-After")
    func generalLimit() async throws {
        try await LiveServer.withServer(scenario: .standard) { server in
            let client = try await Self.admin(server)
            var windowEnd: Int?
            for expectedRemaining in stride(from: 99, through: 0, by: -1) {
                let response = try await client.send("GET", "/api/clinics")
                try #require(response.status == 200)
                #expect(response.header("RateLimit-Limit") == "100")
                #expect(response.header("RateLimit-Remaining") == String(expectedRemaining))
                #expect(response.header("X-RateLimit-Remaining") == String(expectedRemaining))
                #expect(response.header("RateLimit-Policy") == "100;w=60")
                let reset = try #require(response.header("RateLimit-Reset").flatMap(Int.init))
                #expect((1...60).contains(reset))
                let epoch = try #require(response.header("X-RateLimit-Reset").flatMap(Int.init))
                // One window: the same end instant on every response, at most a minute after now.
                if let first = windowEnd { #expect(epoch == first) } else { windowEnd = epoch }
                #expect((0...61).contains(epoch - Int(Date().timeIntervalSince1970)))
            }
            let refused = try await client.send("GET", "/api/doctors")
            #expect(refused.status == 429)
            #expect(refused.apiError?.error.code == "RATE_LIMIT_EXCEEDED")
            #expect(refused.apiError?.error.details?["rule"] == "api")
            let retryAfter = try #require(refused.header("Retry-After").flatMap(Int.init))
            #expect((1...60).contains(retryAfter))
            #expect(refused.header("RateLimit-Remaining") == "0")
            #expect(refused.header("X-Request-Id") != nil, "the 429 is a normal envelope with its request id")

            // Operations routes are exempt and carry no rate-limit headers.
            for path in ["/health", "/health/live", "/health/ready"] {
                let health = try await client.send("GET", path)
                #expect(health.status == 200, "\(path)")
                #expect(health.header("RateLimit-Limit") == nil, "\(path)")
            }
        }
    }

    @Test("X-Forwarded-For from an untrusted peer neither resets nor dodges a limit")
    func spoofedForwardedFor() async throws {
        try await LiveServer.withServer(scenario: .standard, environment: ["RATE_LIMIT_API_PER_MINUTE": "3"]) { server in
            let client = try await Self.admin(server)
            for _ in 0..<3 { try #require(try await client.send("GET", "/api/clinics").status == 200) }
            for spoof in ["203.0.113.9", "198.51.100.1, 203.0.113.10", "::1", "127.0.0.2", "garbage"] {
                let response = try await client.send("GET", "/api/clinics", headers: [("X-Forwarded-For", spoof)])
                #expect(response.status == 429, "X-Forwarded-For: \(spoof)")
            }
        }
    }

    @Test("behind a trusted proxy the right-most untrusted X-Forwarded-For hop is the client")
    func trustedProxy() async throws {
        let environment = ["RATE_LIMIT_API_PER_MINUTE": "2", "TRUSTED_PROXIES": "127.0.0.0/8, ::1, 10.0.0.0/8"]
        try await LiveServer.withServer(scenario: .standard, environment: environment) { server in
            let client = try await Self.admin(server)
            // (X-Forwarded-For, expected status), in order.
            let cases: [(String, Int)] = [
                ("203.0.113.1", 200), ("203.0.113.1", 200), ("203.0.113.1", 429),
                // The client forged a left-most entry; our proxies (10.x) appended the real one: still 203.0.113.1.
                ("192.0.2.77, 203.0.113.1, 10.1.2.3", 429),
                // Another real client has its own budget.
                ("203.0.113.2, 10.1.2.3", 200),
            ]
            for (forwardedFor, expected) in cases {
                let response = try await client.send("GET", "/api/clinics", headers: [("X-Forwarded-For", forwardedFor)])
                #expect(response.status == expected, "X-Forwarded-For: \(forwardedFor)")
            }
            // Without the header the trusted peer itself is the client.
            #expect(try await client.send("GET", "/api/clinics").status == 200)
        }
    }

    @Test("login: 5 failed attempts per address and per account in 15 minutes; successes do not count", arguments: DatabaseKind.available)
    func loginFailures(_ database: DatabaseKind) async throws {
        let environment = ["TRUSTED_PROXIES": "127.0.0.1, ::1"]
        try await LiveServer.withServer(database: database, scenario: .standard, environment: environment) { server in
            let client = APIClient(baseURL: server.baseURL)
            func login(_ email: String, _ password: String, from address: String) async throws -> APIResponse {
                try await client.send(
                    "POST", "/api/auth/login", json: Body(["email": .string(email), "password": .string(password), "role": .string("patient")]),
                    headers: [("X-Forwarded-For", address)])
            }
            let victim = FixtureCredentials.patientEmail
            let right = FixtureCredentials.patientPassword
            // Successful logins never use up the budget.
            for _ in 0..<7 {
                let success = try await login(victim, right, from: "198.51.100.1")
                #expect(success.status == 200)
                #expect(success.header("RateLimit-Limit") == "5")
                #expect(success.header("RateLimit-Remaining") == "5")
            }
            for attempt in 1...5 {
                let failure = try await login(victim, "Wrong-password-\(attempt)", from: "203.0.113.66")
                #expect(failure.status == 401)
                #expect(failure.header("RateLimit-Remaining") == String(5 - attempt))
            }
            // The sixth attempt from that address is refused before the password is checked — even the right one.
            let blocked = try await login(victim, right, from: "203.0.113.66")
            #expect(blocked.status == 429)
            #expect(blocked.apiError?.error.details?["rule"] == "login")
            let retryAfter = try #require(blocked.header("Retry-After").flatMap(Int.init))
            #expect((840...900).contains(retryAfter), "about 15 minutes, got \(retryAfter)")
            // Per address: another account from the same address is refused too.
            #expect(try await login("somebody-else@example.test", "Wrong-password-x", from: "203.0.113.66").status == 429)
            // Per account: the attacked account is locked from a new address as well…
            #expect(try await login(victim, right, from: "192.0.2.200").status == 429)
            // …while other accounts from new addresses log in normally.
            let admin = try await client.send(
                "POST", "/api/auth/login",
                json: Body(["email": .string(FixtureCredentials.adminEmail), "password": .string(FixtureCredentials.adminPassword), "role": .string("admin")]),
                headers: [("X-Forwarded-For", "192.0.2.201")])
            #expect(admin.status == 200)
        }
    }

    @Test("a locked account stays locked behind duplicate keys, and anonymous password changes lock nobody")
    func lockoutBypasses() async throws {
        let environment = ["TRUSTED_PROXIES": "127.0.0.1, ::1"]
        try await LiveServer.withServer(scenario: .standard, environment: environment) { server in
            let client = APIClient(baseURL: server.baseURL)
            func post(_ path: String, _ body: String, from address: String) async throws -> APIResponse {
                try await client.send("POST", path, rawBody: Data(body.utf8), contentType: "application/json", headers: [("X-Forwarded-For", address)])
            }
            let victim = FixtureCredentials.patientEmail
            // Anonymous calls to the password route (401 "authentication required") guess nothing and lock nobody.
            for index in 0..<8 {
                let anonymous = try await post("/api/auth/password", #"{"email":"\#(victim)"}"#, from: "198.51.100.\(index)")
                #expect(anonymous.status == 401 || anonymous.status == 400)
            }
            let stillOpen = try await post(
                "/api/auth/login", #"{"email":"\#(victim)","password":"\#(FixtureCredentials.patientPassword)","role":"patient"}"#, from: "198.51.100.1")
            #expect(stillOpen.status == 200)
            // Lock the account, then try to slip past the per-account counter with a second "email" key.
            for attempt in 0..<5 {
                _ = try await post("/api/auth/login", #"{"email":"\#(victim)","password":"Wrong-\#(attempt)-pass","role":"patient"}"#, from: "203.0.113.7")
            }
            let smuggled = try await post(
                "/api/auth/login", #"{"email":"\#(victim)","email":"decoy@example.test","password":"\#(FixtureCredentials.patientPassword)","role":"patient"}"#,
                from: "192.0.2.99")
            #expect(smuggled.status == 400, "duplicate keys are refused")
            #expect(smuggled.apiError?.error.details?["email"] == "appears more than once")
            // The same duplicate in UTF-16 (which Foundation's parser would read) is refused as not UTF-8.
            let utf16Body = #"{"email":"\#(victim)","email":"decoy@example.test","password":"\#(FixtureCredentials.patientPassword)","role":"patient"}"#
            for encoding in [String.Encoding.utf16LittleEndian, .utf16BigEndian, .utf16, .utf32] {
                let response = try await client.send(
                    "POST", "/api/auth/login", rawBody: utf16Body.data(using: encoding), contentType: "application/json",
                    headers: [("X-Forwarded-For", "192.0.2.97")])
                #expect(response.status == 400, "\(encoding)")
            }
            let escaped = try await post(
                "/api/auth/login", #"{"e\u006dail":"\#(victim)","email":"decoy@example.test","password":"x","role":"patient"}"#, from: "192.0.2.98")
            #expect(escaped.status == 400, "keys are compared after unescaping")
        }
    }

    @Test("concurrent wrong passwords cannot overtake the login limit")
    func concurrentLoginGuesses() async throws {
        try await LiveServer.withServer(scenario: .standard) { server in
            let client = APIClient(baseURL: server.baseURL)
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<20 {
                    group.addTask {
                        try await client.send(
                            "POST", "/api/auth/login",
                            json: Body([
                                "email": .string(FixtureCredentials.patientEmail), "password": .string("Guess-\(index)-xyz"), "role": .string("patient"),
                            ])
                        ).status
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 401 }.count == 5, "\(statuses.sorted())")
            #expect(statuses.filter { $0 == 429 }.count == 15)
        }
    }

    @Test("registration: 60 per minute per client")
    func registrationLimit() async throws {
        try await LiveServer.withServer(scenario: .standard) { server in
            let client = APIClient(baseURL: server.baseURL)
            func register(_ index: Int) async throws -> APIResponse {
                try await client.send(
                    "POST", "/api/auth/register",
                    json: Body([
                        "name": .string("Patient \(index)"), "email": .string("limit-\(index)@example.test"),
                        "phone": .string("+9198000\(String(format: "%05d", index))"), "password": .string("Str0ng-pass-phrase"),
                    ]))
            }
            for index in 0..<60 {
                let response = try await register(index)
                try #require(response.status == 201, "registration \(index): \(response.status)")
                #expect(response.header("RateLimit-Limit") == "60")
            }
            let refused = try await register(60)
            #expect(refused.status == 429)
            #expect(refused.apiError?.error.details?["rule"] == "registration")
            // The registration budget is its own: other routes still answer.
            #expect(try await Self.admin(server).send("GET", "/api/clinics").status == 200)
        }
    }

    @Test("payments: 10 per minute per client; the gateway's webhook is exempt from that rule")
    func paymentsLimit() async throws {
        try await LiveServer.withServer(scenario: .standard) { server in
            let client = APIClient(baseURL: server.baseURL)
            for attempt in 0..<10 {
                // Unauthenticated: 401, but the request counts all the same.
                let response = try await client.send("POST", "/api/payments/verify", json: Body(["orderId": .string("order_x")]))
                #expect(response.status == 401, "attempt \(attempt)")
                #expect(response.header("RateLimit-Limit") == "10")
            }
            #expect(try await client.send("POST", "/api/payments/verify", json: Body(["orderId": .string("order_x")])).status == 429)
            #expect(try await client.send("POST", "/api/p%61yments/verify", json: Body([:])).status == 429, "percent-encoding does not dodge")
            let webhook = try await client.send("POST", "/api/payments/webhook", json: Body([:]))
            #expect(webhook.status == 400, "bad signature, not 429")
            #expect(webhook.header("RateLimit-Limit") == "100", "the webhook falls under the general rule")
        }
    }

    @Test("two instances on one database share the database store's counters")
    func sharedStore() async throws {
        let database = try await TestDatabase.make(
            DatabaseKind.available.last!, scenario: .standard,
            environment: ["RATE_LIMIT_STORE": "database", "RATE_LIMIT_API_PER_MINUTE": "4"])
        let first = try await LiveServer.start(on: database)
        let second = try await LiveServer.start(on: database)
        func check() async throws {
            let a = try await Self.admin(first)
            let b = try await Self.admin(second)
            #expect(try await a.send("GET", "/api/clinics").status == 200)
            #expect(try await b.send("GET", "/api/clinics").status == 200)
            #expect(try await a.send("GET", "/api/clinics").status == 200)
            let last = try await b.send("GET", "/api/clinics")
            #expect(last.status == 200)
            #expect(last.header("RateLimit-Remaining") == "0")
            #expect(try await a.send("GET", "/api/clinics").status == 429)
        }
        var failure: (any Error)?
        do { try await check() } catch { failure = error }
        await first.stop()
        await second.stop()
        await database.drop()
        if let failure { throw failure }
    }

    @Test("limits and proxies are validated at start-up")
    func configuration() throws {
        for (name, value) in [
            ("TRUSTED_PROXIES", "10.0.0.0/33"), ("TRUSTED_PROXIES", "proxy.internal"), ("TRUSTED_PROXIES", "10.0.0.1:8080"),
            ("TRUSTED_PROXIES", "0.0.0.0/0"), ("TRUSTED_PROXIES", "::/0"), ("TRUSTED_PROXIES", "10.0.0.0/+8"),
            ("TRUSTED_PROXIES", "0.0.0.0/1, 128.0.0.0/1"), ("TRUSTED_PROXIES", "8000::/1"),
            ("RATE_LIMIT_STORE", "redis"), ("RATE_LIMIT_API_PER_MINUTE", "0"), ("RATE_LIMIT_LOGIN_FAILURES", "-1"),
            ("MAX_BODY_BYTES", "10"),
        ] {
            #expect(throws: ConfigurationError.self, "\(name)=\(value)") {
                try ServerConfiguration(environment: ["ILLAJWALA_ENV": "test", name: value])
            }
        }
        let configuration = try ServerConfiguration(environment: ["ILLAJWALA_ENV": "test", "TRUSTED_PROXIES": " 10.0.0.0/8 , ::1,::ffff:192.0.2.0/120"])
        #expect(configuration.http.trustedProxies.map(\.description) == ["10.0.0.0/8", "::1/128", "192.0.2.0/24"])
        let defaults = try ServerConfiguration(environment: ["ILLAJWALA_ENV": "test"])
        #expect(defaults.rateLimiting.policy == RateLimitPolicy(loginFailures: 5, registrationsPerMinute: 60, paymentsPerMinute: 10, apiPerMinute: 100))
        #expect(defaults.rateLimiting.policy.login.window == 900 && defaults.rateLimiting.policy.api.window == 60)
        #expect(defaults.http.trustedProxies.isEmpty && defaults.rateLimiting.store == .memory && defaults.http.maxBodyBytes == 1 << 20)
    }
}

@Suite("Client address: the socket peer unless a trusted proxy forwarded it")
struct ClientAddressResolverTests {
    let resolver = ClientAddressResolver(trustedProxies: ["10.0.0.0/8", "::1", "2001:db8::/32"].compactMap(IPAddressRange.init))

    @Test("untrusted peers are the client whatever they send")
    func untrusted() {
        #expect(resolver.clientAddress(peer: "203.0.113.5", forwardedFor: ["198.51.100.1"]) == "203.0.113.5")
        #expect(resolver.clientAddress(peer: "::ffff:203.0.113.5", forwardedFor: []) == "203.0.113.5", "IPv4-mapped is IPv4")
        #expect(resolver.clientAddress(peer: nil, forwardedFor: ["198.51.100.1"]) == "unknown")
    }

    @Test("trusted peers: right-most untrusted hop; all trusted → left-most; garbage stops at the last trusted hop")
    func trusted() {
        #expect(resolver.clientAddress(peer: "10.0.0.2", forwardedFor: ["198.51.100.1"]) == "198.51.100.1")
        #expect(resolver.clientAddress(peer: "10.0.0.2", forwardedFor: ["1.1.1.1, 198.51.100.1", "10.9.9.9"]) == "198.51.100.1")
        #expect(resolver.clientAddress(peer: "::1", forwardedFor: ["10.1.1.1, 10.2.2.2"]) == "10.1.1.1")
        #expect(resolver.clientAddress(peer: "10.0.0.2", forwardedFor: ["198.51.100.1, nonsense, 10.3.3.3"]) == "10.3.3.3")
        #expect(resolver.clientAddress(peer: "10.0.0.2", forwardedFor: ["2001:db8::7, 2001:db9::1"]) == "2001:db9::1")
        #expect(resolver.clientAddress(peer: "10.0.0.2", forwardedFor: []) == "10.0.0.2")
    }

    @Test(
        "CIDR parsing and matching",
        arguments: [
            ("10.0.0.0/8", "10.255.1.1", true), ("10.0.0.0/8", "11.0.0.0", false), ("192.0.2.128/25", "192.0.2.127", false),
            ("192.0.2.128/25", "192.0.2.200", true), ("0.0.0.0/0", "8.8.8.8", true), ("::1", "::1", true), ("::1", "127.0.0.1", false),
            ("2001:db8::/32", "2001:db8:ffff::1", true), ("2001:db8::/32", "2001:db9::1", false), ("10.0.0.0/8", "::ffff:10.1.2.3", true),
        ])
    func cidr(_ range: String, _ address: String, _ inside: Bool) throws {
        let block = try #require(IPAddressRange(range))
        let ip = try #require(IPAddress(address))
        #expect(block.contains(ip) == inside)
    }

    @Test(
        "malformed entries are refused",
        arguments: ["", "10.0.0.0/", "10.0.0.0/-1", "::1/129", "256.1.1.1", "10.0.0.1:80", "fe80::1%eth0", "::ffff:10.0.0.0/8"])
    func malformed(_ text: String) {
        #expect(IPAddressRange(text) == nil)
    }
}
