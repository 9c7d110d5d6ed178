import APITransport
import BookingServer
import Foundation
import IllajwalaTesting
import Logging
import ServiceLifecycle
import Testing

/// The Sentry adapter end to end against ``SentryDouble`` (a real HTTP server on 127.0.0.1 that checks Sentry's
/// protocol): a live service's 5xx arrives once with release, environment, request id, trace id and fingerprint and
/// without the personal data its cause quoted; repeats are grouped; a hanging Sentry slows no request and no shutdown;
/// a 429 stops sending for its Retry-After; a full queue drops and counts; a shutdown flushes the queue.
@Suite("Sentry reporter: delivery to a loopback Sentry double")
struct SentryReporterTests {
    static let traceID = "0af7651916cd43dd8448eb211c80319c"

    /// `error_reports_total{outcome=…}` of `metrics`.
    static func count(_ metrics: ServiceMetrics, _ outcome: String) -> Int {
        let prefix = #"error_reports_total{outcome="\#(outcome)"} "#
        let line = metrics.exposition().split(separator: "\n").first { $0.hasPrefix(prefix) }
        return line.flatMap { Double($0.dropFirst(prefix.count)) }.map { Int($0) } ?? 0
    }

    /// Polls `condition` every 20 ms for at most `limit`; returns its last value.
    static func eventually(within limit: Duration = .seconds(20), _ condition: () -> Bool) async -> Bool {
        let start = ContinuousClock.now
        while !condition() {
            if ContinuousClock.now - start > limit { return false }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return true
    }

    /// Makes every registration fail inside the database with a message quoting the new user's e-mail, phone and
    /// name — the worst internal error the service can meet (a 500 whose cause carries personal data).
    static func refuseRegistrations(_ server: LiveServer) async throws {
        try await server.testDatabase.database.withConnection { sql in
            try await sql.raw(
                """
                CREATE TRIGGER refuse_registrations BEFORE INSERT ON users
                BEGIN SELECT RAISE(ABORT, 'refused ' || NEW.email || ' ' || NEW.phone || ' ' || NEW.name); END
                """
            ).run()
        }
    }

    static let patient = ["name": "Asha Rao", "email": "asha.rao@example.in", "phone": "+919811100042", "password": "Str0ng-pass-phrase"]

    static func report(route: String) -> ErrorReport {
        ErrorReport(
            requestID: "direct-\(route)", traceID: traceID, method: "GET", route: route, status: 500, tenant: nil, code: "INTERNAL_ERROR",
            durationMilliseconds: 1, error: "boom", errorType: "TestError")
    }

    /// Runs `reporter` in a service group while `body` runs, then shuts it down gracefully (its queue flushed).
    static func withRunning(_ reporter: SentryErrorReporter, _ body: () async throws -> Void) async throws {
        let group = ServiceGroup(configuration: .init(services: [reporter], gracefulShutdownSignals: [], logger: Logger(label: "sentry-test")))
        let task = Task { try await group.run() }
        do {
            try await body()
        } catch {
            await group.triggerGracefulShutdown()
            _ = await task.result
            throw error
        }
        await group.triggerGracefulShutdown()
        try await task.value
    }

    @Test("a live service's 500 reaches Sentry once, with release, environment, ids and fingerprint, without personal data; repeats are grouped")
    func liveServiceReportsToSentry() async throws {
        let double = try await SentryDouble.start()
        double.forbidden = ["asha", "Asha", "Rao", "example.in", "9811100042"]
        do {
            try await LiveServer.withServer(
                database: .sqlite, scenario: .standard, environment: ["SENTRY_DSN": double.dsn, "SENTRY_ENVIRONMENT": "e2e"]
            ) { server in
                let sentry = try #require(server.services.sentry, "SENTRY_DSN turns the adapter on")
                #expect(server.services.errorReporter is CombinedErrorReporter, "the log reporter still runs beside it")
                try await Self.refuseRegistrations(server)
                let client = APIClient(baseURL: server.baseURL)
                for attempt in 1...3 {
                    let response = try await client.send(
                        "POST", "/api/auth/register", json: Self.patient,
                        headers: [(name: "traceparent", value: "00-\(Self.traceID)-00f067aa0ba902b7-01")], requestID: "sentry-e2e-\(attempt)")
                    #expect(response.status == 500, "\(response.text)")
                }
                #expect(await double.waitForRequests(1), "the first 500 reaches Sentry")
                #expect(await Self.eventually { Self.count(server.services.metrics, "sent") == 1 })
                #expect(Self.count(server.services.metrics, "suppressed") == 2, "the two repeats are counted, not sent")
                #expect(double.received.count == 1)
                #expect(double.problems.isEmpty, "\(double.problems)")

                let event = try #require(try double.events().first)
                let version = try String(contentsOf: PackagePaths.root.appendingPathComponent("VERSION"), encoding: .utf8)
                    .trimmingCharacters(in: .whitespacesAndNewlines)
                #expect(event["release"] as? String == "illajwala-api@\(version)" && sentry.release == "illajwala-api@\(version)")
                #expect(event["environment"] as? String == "e2e")
                let tags = try #require(event["tags"] as? [String: String])
                #expect(tags["request_id"] == "sentry-e2e-1" && tags["http.route"] == "/api/auth/register" && tags["http.status_code"] == "500")
                #expect(tags["tenant"] == nil, "no token, no tenant")
                let trace = (event["contexts"] as? [String: Any])?["trace"] as? [String: Any]
                #expect(trace?["trace_id"] as? String == Self.traceID, "the caller's traceparent")
                let exception = try #require(((event["exception"] as? [String: Any])?["values"] as? [[String: Any]])?.first)
                let type = try #require(exception["type"] as? String)
                #expect(type.hasPrefix("DatabaseError"), "\(type)")
                let value = exception["value"] as? String ?? ""
                #expect(value.contains("refused <email> <n>"), "the cause, scrubbed: \(value)")
                #expect(event["fingerprint"] as? [String] == [type, "POST /api/auth/register"])
            }
        } catch {
            await double.stop()
            throw error
        }
        await double.stop()
    }

    @Test("a Sentry that never answers slows no request, and the shutdown's flush is bounded")
    func hangingSentryDoesNotSlowRequests() async throws {
        let double = try await SentryDouble.start()
        double.setDefault(.hang(.seconds(120)))
        do {
            let server = try await LiveServer.start(
                database: .sqlite, scenario: .standard, environment: bulkRateLimits.merging(["SENTRY_DSN": double.dsn]) { $1 })
            do {
                try await Self.refuseRegistrations(server)
                let client = APIClient(baseURL: server.baseURL)
                let started = ContinuousClock.now
                for attempt in 1...20 {
                    var patient = Self.patient
                    patient["email"] = "hanging-\(attempt)@example.in"
                    #expect(try await client.send("POST", "/api/auth/register", json: patient).status == 500)
                }
                let elapsed = ContinuousClock.now - started
                // Generous: were reporting in the request's path, one hanging POST alone would take the 5 s deadline.
                #expect(elapsed < .seconds(15), "20 failing requests took \(elapsed)")
                #expect(await double.waitForRequests(1), "the sender is stuck on the first envelope")
                #expect(Self.count(server.services.metrics, "suppressed") == 19)
            } catch {
                await server.stop()
                throw error
            }
            let stopping = ContinuousClock.now
            await server.stop()
            let stopped = ContinuousClock.now - stopping
            #expect(stopped < .seconds(20), "the flush is bounded (2 s), not the hanging Sentry's 120 s: \(stopped)")
        } catch {
            await double.stop()
            throw error
        }
        await double.stop()
    }

    @Test("a 429 with Retry-After stops sending: what comes meanwhile is counted rate_limited, not sent")
    func rateLimitBacksOff() async throws {
        let double = try await SentryDouble.start()
        double.script([.rateLimit(retryAfter: "60", sentryRateLimits: nil)])
        let metrics = ServiceMetrics()
        let reporter = SentryErrorReporter(dsn: try SentryDSN(double.dsn), environment: "test", serverName: nil, metrics: metrics)
        do {
            try await Self.withRunning(reporter) {
                reporter.report(Self.report(route: "/first"), logger: Logger(label: "test"))
                #expect(await double.waitForRequests(1))
                #expect(await Self.eventually { Self.count(metrics, "rate_limited") == 1 })
                reporter.report(Self.report(route: "/second"), logger: Logger(label: "test"))
                reporter.report(Self.report(route: "/third"), logger: Logger(label: "test"))
                #expect(await Self.eventually { Self.count(metrics, "rate_limited") == 3 })
                #expect(double.received.count == 1, "nothing more was sent during the 60 s")
                #expect(Self.count(metrics, "sent") == 0)
            }
        } catch {
            await double.stop()
            throw error
        }
        #expect(double.problems.isEmpty, "\(double.problems)")
        await double.stop()
    }

    @Test("a full queue drops and counts; what was queued is sent once the sender runs")
    func fullQueueDropsAndCounts() async throws {
        let double = try await SentryDouble.start()
        let metrics = ServiceMetrics()
        let reporter = SentryErrorReporter(
            dsn: try SentryDSN(double.dsn), environment: "test", serverName: nil, metrics: metrics,
            options: .init(queueCapacity: 2))
        for index in 1...5 { reporter.report(Self.report(route: "/route-\(index)"), logger: Logger(label: "test")) }
        #expect(Self.count(metrics, "dropped") == 3, "the queue holds 2; the other 3 are dropped at once")
        do {
            try await Self.withRunning(reporter) {
                #expect(await double.waitForRequests(2))
                #expect(await Self.eventually { Self.count(metrics, "sent") == 2 })
            }
        } catch {
            await double.stop()
            throw error
        }
        #expect(double.received.count == 2 && Self.count(metrics, "dropped") == 3)
        let routes = try double.events().compactMap { ($0["tags"] as? [String: String])?["http.route"] }
        #expect(routes == ["/route-1", "/route-2"], "the oldest are kept")
        #expect(double.problems.isEmpty, "\(double.problems)")
        await double.stop()
    }

    @Test("a graceful shutdown sends what is still queued")
    func shutdownFlushesTheQueue() async throws {
        let double = try await SentryDouble.start()
        let metrics = ServiceMetrics()
        // A flush bound far above what three loopback POSTs take, so a busy machine cannot make it fail.
        let reporter = SentryErrorReporter(
            dsn: try SentryDSN(double.dsn), environment: "test", serverName: nil, metrics: metrics, options: .init(shutdownFlushTimeout: .seconds(30)))
        for index in 1...3 { reporter.report(Self.report(route: "/flush-\(index)"), logger: Logger(label: "test")) }
        do {
            try await Self.withRunning(reporter) {}
        } catch {
            await double.stop()
            throw error
        }
        #expect(double.received.count == 3 && Self.count(metrics, "sent") == 3 && Self.count(metrics, "dropped") == 0)
        await double.stop()
    }
}
