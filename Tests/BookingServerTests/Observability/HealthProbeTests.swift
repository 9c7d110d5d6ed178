import BookingServer
import Foundation
import Hummingbird
import HummingbirdTesting
import IllajwalaTesting
import Testing

/// `/health`, `/health/live`, `/health/ready` (API.md "Operations") and the life phases behind readiness.
@Suite("Health probes: application/health+json, readiness fails while starting and draining")
struct HealthProbeTests {
    struct Report: Decodable {
        struct Check: Decodable {
            var status: String
            var output: String?
        }
        var status: String
        var uptime: Double
        var checks: [String: Check]
    }

    @Test("a serving instance: live and ready pass with database and lifecycle checks, as application/health+json")
    func serving() async throws {
        try await LiveServer.withServer { server in
            let client = APIClient(baseURL: server.baseURL)
            for path in ["/health", "/health/ready"] {
                let response = try await client.send("GET", path)
                #expect(response.status == 200)
                #expect(response.header("content-type") == "application/health+json")
                let report = try JSONDecoder().decode(Report.self, from: response.body)
                #expect(report.status == "pass")
                #expect(report.checks["database"]?.status == "pass")
                #expect(report.checks["lifecycle"]?.status == "pass" && report.checks["lifecycle"]?.output == "serving")
            }
            let live = try await client.send("GET", "/health/live")
            #expect(live.status == 200 && live.header("content-type") == "application/health+json")
        }
    }

    @Test("starting and draining: ready and /health answer 503 fail with the phase; live stays 200", arguments: [ServiceReadiness.Phase.starting, .draining])
    func notServing(_ phase: ServiceReadiness.Phase) async throws {
        let database = try await TestDatabase.make(.sqlite)
        let app = Application(router: BookingApplication.router(services: database.services, readiness: ServiceReadiness(phase)))
        do {
            try await app.test(.router) { http in
                for path in ["/health", "/health/ready"] {
                    try await http.execute(uri: path, method: .get) { response in
                        #expect(response.status == .serviceUnavailable)
                        #expect(response.headers[.contentType] == "application/health+json")
                        let report = try JSONDecoder().decode(Report.self, from: Data(buffer: response.body))
                        #expect(report.status == "fail")
                        #expect(report.checks["lifecycle"]?.status == "fail" && report.checks["lifecycle"]?.output == phase.description)
                        #expect(report.checks["database"]?.status == "pass", "the database is fine; the phase alone fails readiness")
                    }
                }
                try await http.execute(uri: "/health/live", method: .get) { response in #expect(response.status == .ok) }
            }
        } catch {
            await database.drop()
            throw error
        }
        await database.drop()
    }

    /// Readiness must fail only when the database is unavailable, never because the service is busy: a load balancer
    /// would otherwise pull every instance at peak. Connections held by slow work delay the probe's own query past
    /// its budget, yet statements keep completing, so the database answers.
    @Test("a busy database is ready: a probe queued behind held connections passes because statements keep completing", arguments: DatabaseKind.available)
    func busyIsNotDown(_ kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind, environment: ["DATABASE_POOL_SIZE": "2"]) { test in
            let database = test.database
            let holders = Task {
                await withTaskGroup(of: Void.self) { group in
                    // Each holder keeps its connection 100 ms and runs statements meanwhile; 4 per connection keep
                    // the pool (or SQLite's single connection) busy for ≥ 200 ms beyond the probe's 100 ms budget.
                    for _ in 0..<(database.poolSize * 4 + 4) {
                        group.addTask {
                            _ = try? await database.withConnection { sql in
                                for _ in 0..<5 {
                                    _ = try await sql.raw("SELECT 1 AS ok").all()
                                    try await Task.sleep(for: .milliseconds(20))
                                }
                            }
                        }
                    }
                }
            }
            try await Task.sleep(for: .milliseconds(30))
            let started = ContinuousClock.now
            let answered = await database.ping(timeout: .milliseconds(100))
            let waited = ContinuousClock.now - started
            await holders.value
            #expect(answered, "statements completed while the probe waited: the database is up")
            #expect(waited < .seconds(1), "the probe keeps its budget (\(waited))")
        }
    }

    @Test("the phase only moves forward: a late 'serving' cannot reopen a draining instance")
    func phaseOrder() {
        let readiness = ServiceReadiness()
        #expect(readiness.phase == .starting)
        readiness.advance(to: .serving)
        readiness.advance(to: .draining)
        readiness.advance(to: .serving)
        #expect(readiness.phase == .draining)
    }

    @Test("graceful stop: readiness answers 503 draining for SHUTDOWN_DRAIN_SECONDS while requests are still served, then the server stops")
    func drainDelay() async throws {
        let server = try await LiveServer.start(environment: ["SHUTDOWN_DRAIN_SECONDS": "2"])
        let client = APIClient(baseURL: server.baseURL)
        #expect(try await client.send("GET", "/health/ready").status == 200)
        let stopped = Task { await server.stop() }
        var report: Report?
        for _ in 0..<40 where report == nil {
            let response = try await client.send("GET", "/health/ready")
            if response.status == 503 { report = try JSONDecoder().decode(Report.self, from: response.body) }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(report?.checks["lifecycle"]?.output == "draining", "readiness fails once the stop begins")
        #expect(try await client.send("GET", "/health/live").status == 200, "still serving while draining")
        #expect(try await client.send("GET", "/api/doctors").status == 401, "API requests are still answered while draining")
        await stopped.value
    }

    @Test("a body that stalls longer than HTTP_IDLE_TIMEOUT_SECONDS: the server closes the connection; others are served")
    func slowBodyIsCut() async throws {
        let database = try await TestDatabase.make(.sqlite, environment: ["HTTP_IDLE_TIMEOUT_SECONDS": "1"])
        let capture = LogCapture()
        let server = try await LiveServer.start(on: database, logger: capture.logger(level: .info))
        var failure: (any Error)?
        do {
            let connection = try RawHTTPConnection(port: try #require(server.baseURL.port))
            try connection.write(
                "POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 80\r\n\r\n{\"email\":")
            let started = ContinuousClock.now
            let answer = try await connection.readResponse(timeout: .seconds(8))
            let waited = ContinuousClock.now - started
            #expect(!answer.contains(" 200 ") && !answer.contains(" 401 "), "the stalled request is never processed: \(answer)")
            #expect(waited < .seconds(6), "closed after about 1 s of silence, not at the client's pace (\(waited))")
            #expect(try await APIClient(baseURL: server.baseURL).send("GET", "/health/live").status == 200)
            // The cut request is logged as what it was: 408 REQUEST_TIMEOUT, not 413.
            var line: LogCapture.Record?
            for _ in 0..<40 where line == nil {
                line = capture.records.first { $0.message == "request" && $0.metadata["route"] == "/api/auth/login" }
                if line == nil { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(line?.metadata["status"] == "408" && line?.metadata["code"] == "REQUEST_TIMEOUT", "\(capture.text)")
        } catch { failure = error }
        await server.stop()
        await database.drop()
        if let failure { throw failure }
    }
}
