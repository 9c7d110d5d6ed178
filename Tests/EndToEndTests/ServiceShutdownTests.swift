import Foundation
import IllajwalaTesting
import Testing

/// `illajwala-api serve` and SIGTERM (API.md "Operations"): readiness turns 503 first, the request in flight
/// finishes, the listener closes, the process exits 0.
@Suite("illajwala-api: graceful shutdown on SIGTERM", .enabled(if: ServiceProcess.isBuilt, "needs the built illajwala-api beside the test bundle"))
struct ServiceShutdownTests {
    @Test("SIGTERM during a slow request: readiness 503 while draining, the request completes, exit 0")
    func sigtermDuringSlowRequest() async throws {
        try await ServiceProcess.withSeededService(environment: ["SHUTDOWN_DRAIN_SECONDS": "2", "SHUTDOWN_TIMEOUT_SECONDS": "20"]) { service in
            let client = APIClient(baseURL: service.baseURL)
            #expect(try await client.send("GET", "/health/ready").status == 200)

            // A registration whose body arrives in two parts, the second only after the drain delay is over.
            let body = #"{"name":"Slow Client","email":"slow-client@example.test","phone":"+919811100000","password":"Str0ng-pass-phrase"}"#
            let split = body.index(body.startIndex, offsetBy: 40)
            let slow = try RawHTTPConnection(port: service.port)
            try slow.write(
                "POST /api/auth/register HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n"
                    + body[..<split])
            try await Task.sleep(for: .milliseconds(300))
            let signalled = ContinuousClock.now
            service.signal(SIGTERM)

            try await Task.sleep(for: .milliseconds(500))
            let draining = try await client.send("GET", "/health/ready")
            #expect(draining.status == 503, "readiness fails first")
            #expect(draining.text.contains(#""output":"draining""#), "\(draining.text)")
            #expect(try await client.send("GET", "/health/live").status == 200, "still live while draining")

            // After the drain delay the server stops accepting while the slow request is still being read. (Whether a new
            // connection is refused is not asserted: once the port is free, another test's server may be given it.)
            try await Task.sleep(until: signalled + .milliseconds(3_500))
            #expect(service.process.isRunning, "the process waits for the request in flight")

            try slow.write(String(body[split...]))
            let answer = try await slow.readResponse(timeout: .seconds(10))
            #expect(answer.hasPrefix("HTTP/1.1 201"), "the request in flight completes: \(answer.prefix(300))")
            #expect(answer.contains("slow-client@example.test"))

            let status = try await service.waitForExit(within: .seconds(15))
            #expect(status == 0, "exit status after a graceful stop")
            #expect(service.logText.contains("draining: readiness answers 503"), "\(service.logText)")
            #expect(service.logText.contains("lifecycle=stopped"), "\(service.logText)")
        }
    }

    @Test("SIGTERM with nothing in flight: exit 0 right after the drain delay")
    func sigtermIdle() async throws {
        try await ServiceProcess.withSeededService(environment: ["SHUTDOWN_DRAIN_SECONDS": "1"]) { service in
            let started = ContinuousClock.now
            service.signal(SIGTERM)
            let status = try await service.waitForExit(within: .seconds(15))
            #expect(status == 0)
            #expect(ContinuousClock.now - started >= .seconds(1), "readiness failed for the drain delay first")
        }
    }
}
