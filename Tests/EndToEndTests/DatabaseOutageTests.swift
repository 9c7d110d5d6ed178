import Foundation
import IllajwalaTesting
import Testing

/// The database goes away under a running `illajwala-api` and comes back (API.md "Operations"): readiness tells
/// the truth within seconds, API calls answer 503 SERVICE_UNAVAILABLE rather than 500, and the same process
/// recovers on its own.
@Suite(
    "illajwala-api: a PostgreSQL outage and recovery",
    .enabled(if: ServiceProcess.isBuilt, "needs the built illajwala-api beside the test bundle"),
    .enabled(if: DisposablePostgresServer.unavailableReason == nil, "\(DisposablePostgresServer.unavailableReason ?? "")"))
struct DatabaseOutageTests {
    @Test("stop PostgreSQL: ready 503 within seconds, API 503 SERVICE_UNAVAILABLE; start it: ready 200 and logins work, no restart")
    func outageAndRecovery() async throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("outage-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let postgres = try DisposablePostgresServer.start()
        defer { postgres.remove() }
        let environment = ["DATABASE_URL": postgres.url, "DATABASE_POOL_SIZE": "4", "DATABASE_ACQUIRE_TIMEOUT_MS": "2000"]
        try ServiceProcess.runToCompletion(["migrate", "up"], environment: environment, work: work)
        try ServiceProcess.runToCompletion(["seed", "--fixtures", PackagePaths.fixtures.path], environment: environment, work: work)
        let service = try await ServiceProcess.serve(environment: environment, work: work)
        defer { if service.process.isRunning { service.signal(SIGKILL) } }   // and LiveChildren at exit
        let client = APIClient(baseURL: service.baseURL, transport: HTTPTransport(timeout: 15))
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
        let registration = try await client.send("POST", "/api/auth/register", json: [
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
