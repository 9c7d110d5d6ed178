import BookingServer
import Foundation
import IllajwalaTesting
import Logging
import Synchronization
import Testing

@Suite("Logs: JSON lines, one request line per request with route template, status and duration, request and trace ids")
struct LoggingTests {
    final class Lines: Sendable {
        private let storage = Mutex<[String]>([])
        func append(_ line: String) { storage.withLock { $0.append(line) } }
        var all: [String] { storage.withLock { $0 } }
    }

    @Test("JSONLogHandler: one object per line with timestamp, level, message, logger and metadata as members")
    func jsonLines() throws {
        let lines = Lines()
        var logger = Logger(label: "illajwala-api") { label in JSONLogHandler(label: label, write: { lines.append($0) }) }
        logger.logLevel = .info
        logger[metadataKey: "request_id"] = "req-1"
        logger.debug("not written below the level")
        logger.notice("request", metadata: ["status": .stringConvertible(404), "duration_ms": "12.500", "route": "/api/x/{id}", "ids": ["a", "b"]])
        #expect(lines.all.count == 1)
        let line = try #require(lines.all.first)
        #expect(!line.contains("\n"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["level"] as? String == "notice")
        #expect(object["message"] as? String == "request")
        #expect(object["logger"] as? String == "illajwala-api")
        #expect(object["request_id"] as? String == "req-1")
        #expect(object["status"] as? Int == 404, "numbers stay numbers")
        #expect(object["duration_ms"] as? Double == 12.5)
        #expect(object["route"] as? String == "/api/x/{id}")
        #expect(object["ids"] as? [String] == ["a", "b"])
        let timestamp = try #require(object["timestamp"] as? String)
        #expect(timestamp.wholeMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/) != nil, "\(timestamp)")
        #expect(line.hasPrefix(#"{"duration_ms":"#), "keys are sorted")
    }

    @Test("every request logs one line: route template, status, duration, tenant, error code; levels by status; ids on every line")
    func requestLines() async throws {
        let database = try await TestDatabase.make(.sqlite, scenario: .standard, environment: ["RATE_LIMIT_API_PER_MINUTE": "3"])
        let capture = LogCapture()
        let server = try await LiveServer.start(on: database, logger: capture.logger(level: .info))
        var failure: (any Error)?
        do {
            let client = APIClient(baseURL: server.baseURL)
            let admin = try await client.authenticated(
                email: FixtureCredentials.adminEmail, password: FixtureCredentials.adminPassword, role: "admin")
            let clinics = try await admin.send("GET", "/api/clinics", requestID: "probe-ok")
            let clinicID = try #require(try clinics.data(as: [InjectionCorpusTests.Ids].self).first).id
            _ = try await admin.send("GET", "/api/clinics/\(clinicID)", requestID: "probe-template")
            _ = try await client.send("GET", "/api/nowhere/\(UUID())", requestID: "probe-404")
            _ = try await admin.send("GET", "/api/clinics", requestID: "probe-429")
            func line(_ id: String) -> LogCapture.Record? {
                capture.records.first { $0.message == "request" && $0.metadata["request_id"] == id }
            }
            let ok = try #require(line("probe-ok"))
            #expect(ok.level == .info)
            #expect(ok.metadata["method"] == "GET" && ok.metadata["route"] == "/api/clinics" && ok.metadata["status"] == "200")
            #expect(ok.metadata["tenant"] == "default")
            #expect(Double(ok.metadata["duration_ms"] ?? "") != nil)
            #expect(ok.metadata["trace_id"]?.count == 32)
            let templated = try #require(line("probe-template"))
            #expect(templated.metadata["route"] == "/api/clinics/{id}", "the template, never the id")
            #expect(!capture.text.contains(clinicID.uuidString.lowercased()), "no raw path in the logs")
            let missing = try #require(line("probe-404"))
            #expect(missing.level == .notice && missing.metadata["route"] == "NotFound" && missing.metadata["status"] == "404")
            #expect(missing.metadata["code"] == "NOT_FOUND", "the envelope's code says what failed")
            let limited = try #require(line("probe-429"))
            #expect(limited.level == .warning && limited.metadata["status"] == "429")
            #expect(limited.metadata["code"] == "RATE_LIMIT_EXCEEDED")
            #expect(ok.metadata["code"] == nil, "no code on a success")
            #expect(capture.records.filter { $0.message == "request" }.count >= 5, "one line per request, the logins included")
            for record in capture.records where record.message == "request" {
                #expect(record.metadata["request_id"] != nil && record.metadata["trace_id"] != nil, "\(record)")
            }
        } catch { failure = error }
        await server.stop()
        await database.drop()
        if let failure { throw failure }
    }

    @Test("traceparent: a valid one is joined (same trace id, our span) and logged; a malformed one starts a new trace")
    func traceContext() async throws {
        let capture = LogCapture()
        let database = try await TestDatabase.make(.sqlite)
        let server = try await LiveServer.start(on: database, logger: capture.logger(level: .info))
        var failure: (any Error)?
        do {
            let client = APIClient(baseURL: server.baseURL)
            let incoming = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
            let joined = try await client.send("GET", "/health/live", headers: [("traceparent", incoming)], requestID: "trace-joined")
            let answer = try #require(joined.header("traceparent"))
            let parts = answer.split(separator: "-")
            #expect(parts.count == 4 && parts[0] == "00" && parts[1] == "4bf92f3577b34da6a3ce929d0e0e4736" && parts[3] == "01")
            #expect(parts[2] != "00f067aa0ba902b7" && parts[2].count == 16, "a span of our own")
            let logged = capture.records.first { $0.metadata["request_id"] == "trace-joined" }
            #expect(logged?.metadata["trace_id"] == "4bf92f3577b34da6a3ce929d0e0e4736")
            for bad in [
                "garbage", "00-00000000000000000000000000000000-00f067aa0ba902b7-01", "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
                "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",
            ] {
                let fresh = try await client.send("GET", "/health/live", headers: [("traceparent", bad)])
                let trace = try #require(fresh.header("traceparent")?.split(separator: "-"))
                #expect(trace.count == 4 && trace[1].count == 32 && trace[1] != "4bf92f3577b34da6a3ce929d0e0e4736", "\(bad)")
            }
        } catch { failure = error }
        await server.stop()
        await database.drop()
        if let failure { throw failure }
    }

    @Test("LOG_FORMAT: json in production, text otherwise, validated")
    func format() throws {
        #expect(try ServerConfiguration(environment: ["ILLAJWALA_ENV": "test"]).logging.format == .text)
        #expect(try ServerConfiguration(environment: ["ILLAJWALA_ENV": "test", "LOG_FORMAT": "json"]).logging.format == .json)
        #expect(throws: ConfigurationError.self) { try ServerConfiguration(environment: ["ILLAJWALA_ENV": "test", "LOG_FORMAT": "xml"]) }
    }
}
