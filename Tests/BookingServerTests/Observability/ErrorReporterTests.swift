import BookingServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import IllajwalaTesting
import Logging
import Synchronization
import Testing

/// The error-reporting hook (docs/observability.md, "Error tracking"): every 5xx reaches the configured ``ErrorReporter`` once,
/// with ids, route template and the internal cause; 4xx never does; the log reporter stays the default.
@Suite("Error reporting: 5xx answers reach the ErrorReporter hook; the log reporter is the default")
struct ErrorReporterTests {
    /// Keeps what it is handed, as an APM adapter would queue it.
    final class Recorder: ErrorReporter {
        let reports = Mutex<[ErrorReport]>([])
        func report(_ report: ErrorReport, logger: Logger) { reports.withLock { $0.append(report) } }
    }

    @Test("a 500 is reported once with request id, route template, status, tenant and cause; 4xx are not; the log line stays")
    func reportsServerErrors() async throws {
        let database = try await TestDatabase.make(.sqlite, scenario: .standard)
        let recorder = Recorder()
        let capture = LogCapture()
        var services = database.services
        #expect(services.errorReporter is LogErrorReporter, "the log reporter is the default")
        services.errorReporter = CombinedErrorReporter([LogErrorReporter(), recorder])
        let app = Application(router: BookingApplication.router(services: services), logger: capture.logger(level: .info))
        do {
            try await app.test(.router) { http in
                let login = ByteBuffer(
                    string: #"{"email":"\#(FixtureCredentials.adminEmail)","password":"\#(FixtureCredentials.adminPassword)","role":"admin"}"#)
                let token = try await http.execute(uri: "/api/auth/login", method: .post, headers: [.contentType: "application/json"], body: login) {
                    response in
                    let payload = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                    return (payload?["data"] as? [String: Any])?["accessToken"] as? String ?? ""
                }
                let headers: HTTPFields = [.authorization: "Bearer \(token)", HTTPField.Name("X-Request-Id")!: "reporter-probe-1"]
                try await http.execute(uri: "/api/clinics/not-a-uuid", method: .get, headers: headers) { response in
                    #expect(response.status == .badRequest)
                }
                #expect(recorder.reports.withLock { $0.isEmpty }, "4xx are the client's problem, not reported")

                try await database.database.withConnection { sql in try await sql.raw("ALTER TABLE clinics RENAME TO clinics_gone").run() }
                try await http.execute(uri: "/api/clinics", method: .get, headers: headers) { response in
                    #expect(response.status == .internalServerError)
                }
            }
            let reports = recorder.reports.withLock { $0 }
            #expect(reports.count == 1)
            let report = try #require(reports.first)
            #expect(report.requestID == "reporter-probe-1")
            #expect(report.traceID?.count == 32)
            #expect(report.method == "GET" && report.route == "/api/clinics" && report.status == 500)
            #expect(report.tenant == "default")
            #expect(report.durationMilliseconds > 0)
            #expect(report.error.contains("clinics"), "the internal cause, for the on-call engineer: \(report.error)")
            #expect(report.errorType == "DatabaseError.failed", "the cause's type and case, what an APM groups by")
            let errorLines = capture.records.filter { $0.level >= .error }
            #expect(errorLines.count == 1, "the log reporter still writes the one error line: \(capture.text)")
            #expect(errorLines.first?.metadata["request_id"] == "reporter-probe-1")
            #expect(errorLines.first?.metadata["error"] != nil)
        } catch {
            await database.drop()
            throw error
        }
        await database.drop()
    }

    @Test("a readiness 503 (draining) is the probe doing its job: logged at warning, not reported")
    func probeUnavailableIsNotAnError() async throws {
        let database = try await TestDatabase.make(.sqlite)
        let recorder = Recorder()
        let capture = LogCapture()
        var services = database.services
        services.errorReporter = recorder
        let app = Application(
            router: BookingApplication.router(services: services, readiness: ServiceReadiness(.draining)), logger: capture.logger(level: .info))
        do {
            try await app.test(.router) { http in
                try await http.execute(uri: "/health/ready", method: .get) { response in #expect(response.status == .serviceUnavailable) }
            }
            #expect(recorder.reports.withLock { $0.isEmpty })
            let line = try #require(capture.records.first { $0.message == "request" })
            #expect(line.level == .warning && line.metadata["status"] == "503" && line.metadata["route"] == "/health/ready")
        } catch {
            await database.drop()
            throw error
        }
        await database.drop()
    }
}
