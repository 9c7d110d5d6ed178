import BookingServer
import Foundation
import Testing

/// The envelope and event the Sentry adapter sends (docs/observability.md, "Error tracking"): read back line by line
/// as Sentry's "Envelopes" page defines it, with the event's fields, its fingerprint, and no personal data.
@Suite("Sentry envelope: header, item and event fields; fingerprint; no personal data")
struct SentryEnvelopeTests {
    static let dsn = try! SentryDSN("https://publickey@sentry.example/tools/42")
    static let traceID = "4bf92f3577b34da6a3ce929d0e0e4736"

    static func report(error: String = "database error: no such table: clinics", errorType: String? = "DatabaseError.failed") -> ErrorReport {
        ErrorReport(
            requestID: "req-1234", traceID: traceID, method: "GET", route: "/api/clinics/{id}", status: 500, tenant: "default",
            code: "INTERNAL_ERROR", durationMilliseconds: 12.3456, error: error, errorType: errorType,
            timestamp: Date(timeIntervalSince1970: 1_800_000_000.25))
    }

    static func event(_ report: ErrorReport = report(), suppressed: Int = 0) -> SentryEvent {
        SentryEvent(
            report: report, suppressedRepeats: suppressed, release: "illajwala-api@9.9.9", environment: "staging", serverName: "api-1",
            sdk: SentrySDK(version: "9.9.9"))
    }

    @Test("header line, item header with the payload's byte length, event payload; one event per envelope")
    func envelopeStructure() throws {
        let event = Self.event()
        let sentAt = Date(timeIntervalSince1970: 1_800_000_001)
        let body = try SentryEnvelope.encode(event, dsn: Self.dsn, sentAt: sentAt)
        #expect(body.last == UInt8(ascii: "\n"))
        let lines = body.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        #expect(lines.count == 4 && lines[3].isEmpty, "three lines, each ended by a newline")

        let header = try #require(try JSONSerialization.jsonObject(with: Data(lines[0])) as? [String: Any])
        #expect(header["event_id"] as? String == event.eventID)
        #expect(header["dsn"] as? String == "https://publickey@sentry.example/tools/42")
        #expect(header["sent_at"] as? String == "2027-01-15T08:00:01.000Z")
        let sdk = try #require(header["sdk"] as? [String: Any])
        #expect(sdk["name"] as? String == "illajwala-api" && sdk["version"] as? String == "9.9.9")

        let item = try #require(try JSONSerialization.jsonObject(with: Data(lines[1])) as? [String: Any])
        #expect(item["type"] as? String == "event" && item["content_type"] as? String == "application/json")
        #expect(item["length"] as? Int == lines[2].count, "length is the payload's size in bytes")

        let parsed = try SentryDouble.parse(body)
        #expect(parsed.items.count == 1 && parsed.items[0].payload == Data(lines[2]))
    }

    @Test("the event: id, timestamp, platform, level, release, environment, transaction, tags, trace, exception, fingerprint")
    func eventFields() throws {
        let event = Self.event(suppressed: 3)
        let body = try SentryEnvelope.encode(event, dsn: Self.dsn)
        let payload = try #require(try SentryDouble.parse(body).items.first?.payload)
        let json = try #require(try JSONSerialization.jsonObject(with: payload) as? [String: Any])
        let eventID = try #require(json["event_id"] as? String)
        #expect(eventID.count == 32 && eventID.allSatisfy { $0.isHexDigit && !$0.isUppercase })
        #expect(json["timestamp"] as? String == "2027-01-15T08:00:00.250Z")
        #expect(json["platform"] as? String == "other" && json["level"] as? String == "error" && json["logger"] as? String == "illajwala-api.http")
        #expect(json["release"] as? String == "illajwala-api@9.9.9" && json["environment"] as? String == "staging")
        #expect(json["server_name"] as? String == "api-1")
        #expect(json["transaction"] as? String == "GET /api/clinics/{id}")
        let tags = try #require(json["tags"] as? [String: String])
        #expect(
            tags == [
                "http.method": "GET", "http.route": "/api/clinics/{id}", "http.status_code": "500", "error.code": "INTERNAL_ERROR",
                "tenant": "default", "request_id": "req-1234",
            ])
        let extra = try #require(json["extra"] as? [String: Double])
        #expect(extra["duration_ms"] == 12.346 && extra["suppressed_repeats"] == 3)
        let trace = try #require((json["contexts"] as? [String: Any])?["trace"] as? [String: Any])
        #expect(trace["trace_id"] as? String == Self.traceID)
        #expect((trace["span_id"] as? String)?.count == 16)
        let exception = try #require(((json["exception"] as? [String: Any])?["values"] as? [[String: Any]])?.first)
        #expect(exception["type"] as? String == "DatabaseError.failed")
        #expect(exception["value"] as? String == "database error: no such table: clinics")
        #expect(json["fingerprint"] as? [String] == ["DatabaseError.failed", "GET /api/clinics/{id}"])
        #expect(json["request"] == nil && json["user"] == nil, "no request or user interface: no URL, query, headers, body, address")
    }

    @Test("one failure on one endpoint is one fingerprint whatever its message; another type or route is another")
    func fingerprints() {
        let first = SentryEvent.fingerprint(of: Self.report(error: "database error: row 1 of user a@b.in"))
        let second = SentryEvent.fingerprint(of: Self.report(error: "database error: row 99 of user c@d.in"))
        #expect(first == second)
        #expect(SentryEvent.fingerprint(of: Self.report(errorType: "PSQLError")) != first)
        var otherRoute = Self.report()
        otherRoute.route = "/api/doctors"
        #expect(SentryEvent.fingerprint(of: otherRoute) != first)
        #expect(SentryEvent.fingerprint(of: Self.report(errorType: nil)) == ["INTERNAL_ERROR", "GET /api/clinics/{id}"], "no thrown error: the code")
    }

    @Test("an error quoting an e-mail address, a phone number, a name and a token leaves none of them in the envelope")
    func noPersonalData() throws {
        let cause =
            #"database error: refused asha.rao@example.in +91 98111 00001 for 'Asha Rao' (token eyJhbGciOiJIUzI1NiJ9abcdefghij) "x""#
        let body = try SentryEnvelope.encode(Self.event(Self.report(error: cause)), dsn: Self.dsn)
        let text = String(decoding: body, as: UTF8.self)
        for personal in ["asha.rao", "example.in", "98111", "00001", "Asha", "Rao", "eyJhbGci"] {
            #expect(!text.contains(personal), "\(personal) left the process: \(text)")
        }
        let event = try #require(try SentryDouble.parse(body).items.first?.payload)
        let json = try #require(try JSONSerialization.jsonObject(with: event) as? [String: Any])
        let value = ((json["exception"] as? [String: Any])?["values"] as? [[String: Any]])?.first?["value"] as? String
        #expect(value == "database error: refused <email> <n> <n> <n> for <redacted> (token <n>) <redacted>")
    }

    @Test(
        "the scrubber keeps the code's words and removes data",
        arguments: [
            ("no such table: clinics", "no such table: clinics"),
            ("duplicate key (email)=(a@b.in)", "duplicate key (<email>)"),
            ("timeout after 5000 ms on 10.0.0.7:5432", "timeout after <n> ms on <n>"),
            ("id 3f2a9c1e-0000-4000-8000-000000000001 not found", "id <n> not found"),
            (#"invalid input "Ravi Kumar" for name"#, "invalid input <redacted> for name"),
            ("abcdefghijklmnopqrstuvwxyzABCDEF token", "<redacted> token"),
            ("line\nbreaks\tand  spaces", "line breaks and spaces"),
            ("refused Asha Rao", "refused <redacted> <redacted>"),
            ("SQLite said naïve Ünïcode", "<redacted> said <redacted> <redacted>"),
            ("relation public.clinics_gone at /api/clinics", "relation public.clinics_gone at /api/clinics"),
        ])
    func scrubber(input: String, expected: String) {
        #expect(ErrorTextScrubber.scrub(input) == expected)
    }

    @Test("the scrubbed text is at most 200 characters")
    func scrubberLength() {
        let long = String(repeating: "word ", count: 100)
        let scrubbed = ErrorTextScrubber.scrub(long)
        #expect(scrubbed.count == ErrorTextScrubber.maximumLength && scrubbed.hasSuffix("…"))
    }

    @Test("the error type names the Swift type and, for enum cases with values, the case")
    func errorTypeNames() {
        enum Sample: Error { case failed(String), plain }
        struct Plain: Error {}
        #expect(ErrorReport.typeName(of: Sample.failed("x@y.in")) == "Sample.failed")
        #expect(ErrorReport.typeName(of: Sample.plain) == "Sample")
        #expect(ErrorReport.typeName(of: Plain()) == "Plain")
        #expect(ErrorReport.typeName(of: CancellationError()) == "CancellationError")
    }
}
