import APITransport
import BookingCore
import BookingServer
import Foundation
import IllajwalaTesting
import Testing

@Suite("GET /metrics: Prometheus exposition with bounded label values")
struct MetricsTests {
    /// The sample lines (`name{labels} value`) of an exposition.
    static func samples(_ text: String) -> [Substring] {
        text.split(separator: "\n").filter { !$0.hasPrefix("#") }
    }

    static func value(_ text: String, _ series: String) -> Double? {
        samples(text).first { $0.hasPrefix(series + " ") }.flatMap { Double($0.split(separator: " ").last!) }
    }

    @Test("text format: every sample is well formed, every metric has HELP and TYPE; no authentication, no rate limit")
    func format() async throws {
        try await LiveServer.withServer(environment: ["RATE_LIMIT_API_PER_MINUTE": "1"]) { server in
            let client = APIClient(baseURL: server.baseURL)
            var last: APIResponse?
            for _ in 0..<3 { last = try await client.send("GET", "/metrics") }
            let response = try #require(last)
            #expect(response.status == 200, "not rate limited, no token needed")
            #expect(response.header("content-type") == "text/plain; version=0.0.4; charset=utf-8")
            #expect(response.header("RateLimit-Limit") == nil)
            let text = response.text
            let sample = /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="[^"\\]*",?)*\})? [-+]?([0-9.]+([eE][-+]?[0-9]+)?|NaN|\+Inf|-Inf)$/
            for line in Self.samples(text) {
                #expect(line.wholeMatch(of: sample) != nil, "malformed sample: \(line)")
            }
            let names = Set(
                Self.samples(text).map { line in
                    String(line.prefix { $0 != "{" && $0 != " " }).replacing(/_(bucket|sum|count)$/, with: "")
                })
            for name in names {
                #expect(text.contains("# HELP \(name) "), "\(name) has HELP")
                #expect(text.contains("# TYPE \(name) "), "\(name) has TYPE")
            }
            for expected in [
                "http_requests_total", "http_request_duration_seconds", "http_requests_in_flight", "process_cpu_seconds_total",
                "process_resident_memory_bytes", "process_open_fds", "process_max_fds", "process_start_time_seconds",
                "appointments_booked_total", "appointments_cancelled_total", "waitlist_joins_total", "waitlist_promotions_total",
                "payment_verifications_total", "payment_webhooks_total", "payment_failures_total", "rate_limit_rejections_total",
                "login_failures_total", "database_up", "db_errors_total", "db_pool_connections",
            ] {
                #expect(names.contains(expected), "\(expected) is exposed")
            }
            let start = try #require(Self.value(text, "process_start_time_seconds"))
            #expect(abs(start - Date().timeIntervalSince1970) < 3600, "the process started within the hour")
            #expect(try #require(Self.value(text, "process_resident_memory_bytes")) > 1_000_000)
            #expect(text.contains(#"le="2.0""#), "a bucket at the 2 s alert threshold")
            #expect(Self.value(text, "database_up") == 1)
        }
    }

    @Test(
        "promtool check metrics accepts the exposition (naming and format lint)",
        .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/promtool"), "promtool is not installed (apt-get install prometheus; .ci/run does)"))
    func promtoolLint() async throws {
        try await LiveServer.withServer { server in
            let client = APIClient(baseURL: server.baseURL)
            _ = try await client.send("GET", "/health/live")
            _ = try await client.send("GET", "/api/nowhere")
            let text = try await client.send("GET", "/metrics").text
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/promtool")
            process.arguments = ["check", "metrics"]
            let input = Pipe()
            let output = Pipe()
            process.standardInput = input
            process.standardOutput = output
            process.standardError = output
            try process.run()
            input.fileHandleForWriting.write(Data(text.utf8))
            try input.fileHandleForWriting.close()
            let report = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "promtool: \(report)")
        }
    }

    @Test("1 000 distinct unknown paths do not add series: they share the route label NotFound")
    func cardinality() async throws {
        try await LiveServer.withServer(environment: ["RATE_LIMIT_API_PER_MINUTE": "100000"]) { server in
            let client = APIClient(baseURL: server.baseURL)
            _ = try await client.send("GET", "/api/unknown-0")
            _ = try await client.send("GET", "/unknown-0")
            _ = try await client.send("GET", "/metrics")  // the exposition's own series exist from here on
            let before = Self.samples(try await client.send("GET", "/metrics").text).count
            for index in 1...1_000 {
                _ = try await client.send("GET", index.isMultiple(of: 2) ? "/api/unknown-\(index)" : "/unknown-\(index)/\(UUID())")
            }
            let text = try await client.send("GET", "/metrics").text
            #expect(Self.samples(text).count == before, "the number of series stays the same")
            #expect(Self.value(text, #"http_requests_total{method="GET",route="NotFound",status="404"}"#) == 1_002)
            #expect(!text.contains("unknown-"), "no raw path is a label value")
        }
    }

    @Test("requests, route templates and business counters count what happened")
    func counting() async throws {
        try await LiveServer.withServer(scenario: .standard, environment: ["RATE_LIMIT_API_PER_MINUTE": "40"]) { server in
            let client = APIClient(baseURL: server.baseURL)
            let patient = try await client.newPatient()
            let doctor = try await patient.doctor(email: FixtureCredentials.freeDoctorEmail)
            let slot = try #require(try await patient.freeSlots(doctor.id).first)
            let booked = try await patient.send(
                "POST", "/api/appointments",
                json: Body([
                    "doctorId": .string(doctor.id.uuidString), "clinicId": .string(slot.clinicId.uuidString),
                    "scheduledAt": .string(slot.start), "mode": .string("phone"),
                ]))
            #expect(booked.status == 201)
            let id = try booked.data(as: Appointment.self).id
            #expect(try await patient.send("DELETE", "/api/appointments/\(id)").status == 200)
            _ = try await client.send(
                "POST", "/api/auth/login",
                json: Body([
                    "email": .string(FixtureCredentials.patientEmail), "password": .string("Wrong-pass-phrase"), "role": .string("patient"),
                ]))
            var refused = 0
            while refused == 0 {
                if try await patient.send("GET", "/api/clinics").status == 429 { refused += 1 }
            }
            let text = try await client.send("GET", "/metrics").text
            #expect(Self.value(text, "appointments_booked_total") == 1)
            #expect(Self.value(text, "appointments_cancelled_total") == 1)
            #expect(Self.value(text, "login_failures_total") == 1)
            #expect(Self.value(text, #"rate_limit_rejections_total{rule="api"}"#) == 1)
            #expect(Self.value(text, #"http_requests_total{method="POST",route="/api/appointments",status="201"}"#) == 1)
            #expect(Self.value(text, #"http_requests_total{method="DELETE",route="/api/appointments/{id}",status="200"}"#) == 1)
            #expect(Self.value(text, #"http_requests_total{method="GET",route="/api/clinics",status="429"}"#) == 1)
            #expect(!text.contains(id.uuidString.lowercased()), "ids never become label values")
            // Database: every statement timed, the pool at rest, a unique violation counted by kind.
            #expect((Self.value(text, #"db_query_duration_seconds_count{outcome="ok"}"#) ?? 0) > 10)
            #expect(Self.value(text, #"db_pool_connections{state="in_use"}"#) == 0)
            #expect(Self.value(text, #"db_pool_connections{state="idle"}"#) == 1, "SQLite: one connection")
            #expect(Self.value(text, #"db_errors_total{kind="unique_violation"}"#) == 0)
            // A second tenant with the same id is refused by the primary key: one statement failed, of that kind.
            try await server.services.accounts.createTenant(.init(rawValue: "metrics-probe")!, name: "Probe")
            await #expect(throws: BookingError.conflict("tenant metrics-probe already exists")) {
                try await server.services.accounts.createTenant(.init(rawValue: "metrics-probe")!, name: "Probe")
            }
            let after = try await client.send("GET", "/metrics").text
            #expect(Self.value(after, #"db_errors_total{kind="unique_violation"}"#) == 1)
            #expect(Self.value(after, #"db_query_duration_seconds_count{outcome="error"}"#) == 1)
            #expect(
                (Self.value(after, #"db_query_duration_seconds_count{outcome="ok"}"#) ?? 0)
                    > (Self.value(text, #"db_query_duration_seconds_count{outcome="ok"}"#) ?? 0))
        }
    }
}
