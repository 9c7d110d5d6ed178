import APITransport
import Foundation
import IllajwalaTesting
import Testing

/// The database goes away under a running `illajwala-api` and comes back (API.md "Operations"): readiness tells
/// the truth within seconds, API calls answer 503 SERVICE_UNAVAILABLE rather than 500, and the same process
/// recovers on its own.
@Suite(
    "illajwala-api: a PostgreSQL outage and recovery",
    .enabled(if: ServiceProcess.isBuilt, "needs the built illajwala-api beside the test bundle"),
    .enabled(if: PrivatePostgresServer.unavailableReason == nil, "\(PrivatePostgresServer.unavailableReason ?? "")"))
struct DatabaseOutageTests {
    @Test("stop PostgreSQL: ready 503 within seconds, API 503 SERVICE_UNAVAILABLE; start it: ready 200 and logins work, no restart")
    func outageAndRecovery() async throws {
        let postgres = try PrivatePostgresServer.start()
        defer { postgres.remove() }
        let environment = ["DATABASE_URL": postgres.url, "DATABASE_POOL_SIZE": "4", "DATABASE_ACQUIRE_TIMEOUT_MS": "2000"]
        try await ServiceProcess.withSeededService(environment: environment) { service in
            let client = APIClient(baseURL: service.baseURL, transport: HTTPTransport(timeout: .seconds(15)))
            let credentials = ["name": "Outage Patient", "email": "outage@example.test", "phone": "+919811100001", "password": "Str0ng-pass-phrase"]
            #expect(try await client.send("POST", "/api/auth/register", json: credentials).status == 201)
            let login = ["email": "outage@example.test", "password": "Str0ng-pass-phrase", "role": "patient"]
            #expect(try await client.send("POST", "/api/auth/login", json: login).status == 200)

            try postgres.stopServer()
            let stopped = ContinuousClock.now
            var ready = try await client.send("GET", "/health/ready")
            while ready.status != 503, ContinuousClock.now - stopped < .seconds(10) {
                try await Task.sleep(for: .milliseconds(100))
                ready = try await client.send("GET", "/health/ready")
            }
            let detected = ContinuousClock.now - stopped
            #expect(ready.status == 503, "readiness fails while the database is down")
            #expect(detected < .seconds(5), "within seconds (took \(detected))")
            #expect(ready.text.contains(#""database":{"#) && ready.text.contains(#""status":"fail""#), "\(ready.text)")
            #expect(try await client.send("GET", "/health/live").status == 200, "liveness does not depend on the database")

            let refused = try await client.send("POST", "/api/auth/login", json: login)
            #expect(refused.status == 503, "\(refused.status) \(refused.text)")
            #expect(refused.apiError?.error.code == "SERVICE_UNAVAILABLE")
            #expect(refused.header("X-Request-Id") != nil)
            let registration = try await client.send(
                "POST", "/api/auth/register",
                json: [
                    "name": "Second Patient", "email": "second@example.test", "phone": "+919811100002", "password": "Str0ng-pass-phrase",
                ])
            #expect(registration.status == 503 && registration.apiError?.error.code == "SERVICE_UNAVAILABLE", "\(registration.text)")

            try postgres.startServer()
            let restarted = ContinuousClock.now
            ready = try await client.send("GET", "/health/ready")
            while ready.status != 200, ContinuousClock.now - restarted < .seconds(20) {
                try await Task.sleep(for: .milliseconds(200))
                ready = try await client.send("GET", "/health/ready")
            }
            #expect(ready.status == 200, "readiness recovers without restarting the service (\(ContinuousClock.now - restarted))")
            #expect(try await client.send("POST", "/api/auth/login", json: login).status == 200, "the data is back and served")
            #expect(service.logText.contains("status=503"), "the 503 answers are in the request log")

            service.signal(SIGTERM)
            #expect(try await service.waitForExit(within: .seconds(20)) == 0)
        }
    }
}

/// A database that stops answering without refusing anything (frozen): the probes must still answer in time and a
/// shutdown must still end, even with a request stuck on the database.
@Suite(
    "illajwala-api: a PostgreSQL server that hangs",
    .enabled(if: ServiceProcess.isBuilt, "needs the built illajwala-api beside the test bundle"),
    .enabled(if: PrivatePostgresServer.unavailableReason == nil, "\(PrivatePostgresServer.unavailableReason ?? "")"))
struct FrozenDatabaseTests {
    @Test("frozen PostgreSQL: ready 503 and /metrics database_up 0 within seconds; SIGTERM with a request stuck ends by the deadline")
    func frozenDatabase() async throws {
        let postgres = try PrivatePostgresServer.start()
        defer { postgres.remove() }
        let environment = [
            "DATABASE_URL": postgres.url, "DATABASE_POOL_SIZE": "2", "DATABASE_ACQUIRE_TIMEOUT_MS": "2000",
            "SHUTDOWN_TIMEOUT_SECONDS": "2",
            // The clinic list must reach the database on every call: cached answers would not get stuck.
            "READ_CACHE_TTL_MS": "0",
        ]
        try await ServiceProcess.withSeededService(environment: environment) { service in
            let client = APIClient(baseURL: service.baseURL, transport: HTTPTransport(timeout: .seconds(15)))
            let admin = try await client.authenticated(
                email: FixtureCredentials.adminEmail, password: FixtureCredentials.adminPassword, role: "admin")
            // Both pooled connections open and idle, then frozen with a request on each.
            let warm = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<6 { group.addTask { try await admin.send("GET", "/api/clinics").status } }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(warm.allSatisfy { $0 == 200 })
            try postgres.freeze()
            defer { try? postgres.thaw() }
            let stuck = (0..<2).map { _ in Task { try? await admin.send("GET", "/api/clinics") } }
            try await Task.sleep(for: .milliseconds(300))

            let frozen = ContinuousClock.now
            let ready = try await client.send("GET", "/health/ready")
            #expect(ready.status == 503)
            #expect(ContinuousClock.now - frozen < .seconds(3), "the 1 s probe is not held by the hung database")
            let metrics = try await client.send("GET", "/metrics")
            #expect(metrics.status == 200 && metrics.text.contains("\ndatabase_up 0"), "a scrape still answers, reporting the database down")
            #expect(ContinuousClock.now - frozen < .seconds(6))

            // SIGTERM with requests stuck on the frozen database: the shutdown ends by its deadline (timeout 2 s + 5 s).
            let signalled = ContinuousClock.now
            service.signal(SIGTERM)
            let status = try await service.waitForExit(within: .seconds(20))
            #expect(status == 1, "forced exit (status 1) after the deadline, not a hang")
            #expect(ContinuousClock.now - signalled < .seconds(12))
            #expect(service.logText.contains("lifecycle=forced-exit"), "\(service.logText)")
            stuck.forEach { $0.cancel() }
        }
    }
}
