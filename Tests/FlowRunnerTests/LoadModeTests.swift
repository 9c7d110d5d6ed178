import APITransport
import FlowCore
import Foundation
import Testing

@testable import FlowCommands
@testable import FlowRuntime
@testable import LoadTesting

/// `illajwala-flows load`: thresholds, arrival schedules, scenario files, coordinated omission, shared actor
/// sessions, the bounds — against a real loopback server with known timing (``LoadTargetServer``).
@Suite("Load mode")
struct LoadModeTests {
    // MARK: Thresholds

    @Test(
        "thresholds: percentiles, max and mean in ms/s/us, error and check rates, operation and flow scopes",
        arguments: [
            ("p95<500ms", Threshold.Scope.all, Threshold.Metric.percentile(95), Threshold.Comparison.less, 0.5),
            ("p99.9 <= 1.5s", .all, .percentile(99.9), .lessOrEqual, 1.5),
            ("POST /api/appointments: p99<300ms", .operation(method: "POST", path: "/api/appointments"), .percentile(99), .less, 0.3),
            ("get /api/doctors/{id}: max<800us", .operation(method: "GET", path: "/api/doctors/{id}"), .max, .less, 0.0008),
            ("errors<0.1%", .all, .errors, .less, 0.001),
            ("checks>=0.999", .all, .checks, .greaterOrEqual, 0.999),
            ("flow Patient books: mean<2s", .flow("Patient books"), .mean, .less, 2.0),
            ("Patient books: errors<1%", .flow("Patient books"), .errors, .less, 0.01),
        ])
    func thresholdGrammar(text: String, scope: Threshold.Scope, metric: Threshold.Metric, comparison: Threshold.Comparison, limit: Double) throws {
        let threshold = try Threshold(parsing: text)
        #expect(threshold.scope == scope)
        #expect(threshold.metric == metric)
        #expect(threshold.comparison == comparison)
        #expect(abs(threshold.limit - limit) < 1e-12)
    }

    @Test(
        "a bad threshold is refused naming what is wrong",
        arguments: [
            ("p95=500ms", "expected METRIC<VALUE"), ("p101<1s", "unknown metric"), ("latency<1s", "unknown metric"),
            ("p95<fast", "not a duration"), ("errors<5", "not a rate"), ("errors<150%", "not a rate"),
            ("GET /x: checks>99%", "drop the scope"), (": p95<1s", "scope before ':' is empty"),
        ])
    func badThresholds(text: String, problem: String) {
        #expect {
            try Threshold(parsing: text)
        } throws: { error in
            "\(error)".contains(problem) && "\(error)".contains(text.trimmingCharacters(in: .whitespaces))
        }
    }

    // MARK: Arrival schedules

    @Test("a constant rate starts arrivals evenly: 10/s for 2 s gives 20 at 0, 0.1 … 1.9 s")
    func constantRate() {
        let offsets = Array(ArrivalSchedule(startRate: 10, stages: [ArrivalStage(rate: 10, duration: .seconds(2))]))
        #expect(offsets.count == 20)
        for (index, offset) in offsets.enumerated() { #expect(abs(offset - Double(index) * 0.1) < 1e-9) }
    }

    @Test("ramping stages follow the integral of the rate: 0→20/s over 2 s gives 20 arrivals, denser at the end, then 20/s")
    func rampingRate() {
        let offsets = Array(
            ArrivalSchedule(startRate: 0, stages: [ArrivalStage(rate: 20, duration: .seconds(2)), ArrivalStage(rate: 20, duration: .seconds(1))]))
        let ramp = offsets.filter { $0 < 2 }
        #expect(ramp.count == 20)  // ∫0..2 10t dt = 20
        #expect(offsets.count - ramp.count == 20)
        #expect(zip(ramp.dropFirst(), ramp.dropFirst(2)).allSatisfy { $1 - $0 > 0 })
        #expect(ramp[2] - ramp[1] > ramp[19] - ramp[18], "gaps shrink as the rate rises")
        // Arrival k of the ramp is at t with 5t² = k.
        #expect(abs(ramp[5] - (5.0 / 5).squareRoot()) < 1e-9)
        #expect(zip(offsets, offsets.dropFirst()).allSatisfy { $0 <= $1 })
    }

    // MARK: Scenario files

    @Test("a scenario file: flows with weights and setup modes, stages, thresholds, bounds and seed")
    func scenarioFile() throws {
        let scenario = try LoadScenarioParser.parse(
            """
            flows:
              - patient/find-doctors-and-clinics.yaml
              - {flow: patient/book-paid-consultation.yaml, weight: 2, setup: per-iteration}
            arrival:
              startRate: 2/s
              stages: [{rate: 10/s, duration: 10s}, {rate: 600/m, duration: 1m30s}]
            maxRequests: 5000
            maxInFlight: 32
            thresholds: ["p95<500ms", "errors<0.1%"]
            seed: 7
            """, file: "mix.yaml")
        #expect(
            scenario.flows == [
                FlowChoice(selector: "patient/find-doctors-and-clinics.yaml"),
                FlowChoice(selector: "patient/book-paid-consultation.yaml", weight: 2, setup: .perIteration),
            ])
        #expect(
            scenario.model == .open(startRate: 2, stages: [ArrivalStage(rate: 10, duration: .seconds(10)), ArrivalStage(rate: 10, duration: .seconds(90))]))
        #expect(scenario.model.duration == .seconds(100))
        #expect(scenario.maxRequests == 5000 && scenario.maxInFlight == 32 && scenario.seed == 7 && scenario.thresholds.count == 2)
    }

    @Test(
        "scenario mistakes are named with their line",
        arguments: [
            ("flows: [a.yaml]\narrival: {rate: 5/s, duration: 10s}\ntreshold: []\n", "mix.yaml:3: unknown key 'treshold'"),
            ("flows: [a.yaml]\narrival: {rate: fast, duration: 10s}\n", "mix.yaml:2: 'fast' is not a rate"),
            ("flows: [a.yaml]\nusers: {count: 4, duration: 2h}\n", "at most 1 hour"),
            ("flows: [a.yaml]\narrival: {rate: 5/s, duration: 10s}\nusers: {count: 2, duration: 5s}\n", "not both"),
            ("flows: []\narrival: {rate: 5/s, duration: 10s}\n", "mix.yaml:1: flows: a list of at least one flow"),
            ("flows: [a.yaml]\narrival: {rate: 5/s, duration: 10s}\nthresholds: [\"p95=1s\"]\n", "mix.yaml:3: threshold 'p95=1s'"),
            ("flows:\n  - {flow: a.yaml, weight: 0}\narrival: {rate: 5/s, duration: 10s}\n", "mix.yaml:2: weight must be a whole number 1 to 1000"),
            ("flows: [a.yaml]\narrival: {rate: 5/s, duration: 10s}\nmaxInFlight: 0\n", "mix.yaml:3: maxInFlight must be"),
            ("flows: [a.yaml]\narrival: {rate: 20000/s, duration: 10s}\n", "rate must be 0 to 10000"),
        ])
    func scenarioMistakes(text: String, expected: String) {
        #expect {
            try LoadScenarioParser.parse(text, file: "mix.yaml")
        } throws: { error in
            "\(error)".contains(expected)
        }
    }

    // MARK: Against a server

    static func flow(_ name: String, path: String, actor: String? = nil) throws -> Flow {
        try FlowText.parse(
            """
            name: \(name)
            steps:
              - name: call \(path)
            \(actor.map { "    as: \($0)\n" } ?? "")    request: {url: \(path)}
                expect: {status: 200}
            """)
    }

    static func results(
        _ server: LoadTargetServer, flows: [Flow], model: LoadModel, maxInFlight: Int = 256, thresholds: [String] = [], actors: [ActorSpec] = []
    ) async throws -> LoadResults {
        let scenario = LoadScenario(
            flows: flows.map { FlowChoice(selector: $0.name) }, model: model, maxInFlight: maxInFlight, thresholds: try thresholds.map(Threshold.init(parsing:))
        )
        let planned = flows.map { PlannedFlow(flow: $0, weight: 1.0, setup: .perTest) }
        let transport = PooledHTTPTransport(connectionsPerHost: 64)
        let engine = LoadEngine(
            scenario: scenario, flows: planned,
            target: .init(name: "test", baseURL: server.baseURL, variables: [:], actors: actors, secrets: []), transport: transport, operations: [])
        let results = try await engine.run()
        await transport.shutdown()
        return results
    }

    @Test("a server that stalls for 1 s: every arrival during the stall is measured with its wait (no coordinated omission)", arguments: [256, 2])
    func coordinatedOmissionIsAvoided(maxInFlight: Int) async throws {
        // The server freezes for 1 s when the 15th request arrives (about 0.7 s into the load).
        let server = try await LoadTargetServer.start(stallAtRequest: 15, for: .seconds(1))
        defer { server.stop() }
        let results = try await Self.results(
            server, flows: [try Self.flow("fast", path: "/fast")], model: .open(startRate: 20, stages: [ArrivalStage(rate: 20, duration: .seconds(3))]),
            maxInFlight: maxInFlight)
        let latency = results.requests.latency
        // 60 arrivals in 3 s; about 20 of them fall in the 1-second stall and wait up to 1 s each. A generator that
        // waited for each response (a closed loop) would have sent one request during the stall and reported p90 ≈ 1 ms.
        #expect(results.iterations.completed == 60, "every arrival ran, stall or not")
        #expect(latency.p90 >= 250, "p90 \(latency.p90) ms: the requests that waited out the stall count")
        #expect(latency.max >= 800 && latency.max < 3000, "max \(latency.max) ms ≈ the stall")
        let slowSeconds = results.timeline.filter { $0.p95 >= 200 }
        #expect(!slowSeconds.isEmpty, "the stall shows in the timeline")
        #expect(results.iterations.dropped == 0)
    }

    @Test("a deliberately slow route breaks its threshold (exit 1, a failed JUnit case) while the fast route's holds")
    func slowRouteBreaksThreshold() async throws {
        let server = try await LoadTargetServer.start()
        defer { server.stop() }
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        try folder.write("Flows/fast.yaml", "name: fast journey\nsteps:\n  - name: fast\n    request: {url: /fast}\n    expect: {status: 200}\n")
        try folder.write("Flows/slow.yaml", "name: slow journey\nsteps:\n  - name: slow\n    request: {url: /slow}\n    expect: {status: 200}\n")
        var overrides = FlowLoadCommand.Overrides()
        overrides.flows = ["fast.yaml", "slow.yaml"]
        overrides.rate = "20/s"
        overrides.duration = "2s"
        overrides.thresholds = ["GET /fast: p95<100ms", "GET /slow: p95<100ms", "errors<1%"]
        overrides.seed = 1
        var command = FlowLoadCommand(
            paths: [folder.path + "/Flows"], target: server.baseURL.absoluteString, reportDirectory: folder.path + "/reports", overrides: overrides,
            environment: [:])
        command.openAPIPath = folder.path + "/none.yaml"
        let output = OutputCollector()
        let errors = OutputCollector()
        let status = await command.execute(standardOutput: output.add, standardError: errors.add)
        #expect(status == .failed, "\(errors.lines)")
        #expect(output.lines.contains { $0.contains("threshold ok") && $0.contains("GET /fast: p95<100ms") })
        #expect(output.lines.contains { $0.contains("threshold BROKEN") && $0.contains("GET /slow: p95<100ms") })
        let junit = try String(contentsOfFile: folder.path + "/reports/load-junit.xml", encoding: .utf8)
        #expect(junit.contains(#"tests="3" failures="1""#))
        #expect(junit.contains(#"<testcase name="GET /slow: p95&lt;100ms""#) && junit.contains("ThresholdBroken"))
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder.path + "/reports/load.json"))) as? [String: Any]
        #expect(json?["passed"] as? Bool == false)
        let html = try String(contentsOfFile: folder.path + "/reports/load-report.html", encoding: .utf8)
        #expect(html.contains("<svg") && !html.contains("http://www") && !html.contains("<script"))
    }

    @Test("actors log in once for the whole test, however many journeys use them at once")
    func actorsLogInOnce() async throws {
        let server = try await LoadTargetServer.start()
        defer { server.stop() }
        let admin = ActorSpec(
            name: "admin", email: try Template("admin@example.test"), password: try Template("secret-password"),
            role: try Template("admin"), location: SourceLocation(file: "targets.yaml", line: 1, column: 1))
        let results = try await Self.results(
            server, flows: [try Self.flow("as admin", path: "/fast", actor: "admin")],
            model: .open(startRate: 50, stages: [ArrivalStage(rate: 50, duration: .seconds(1))]), actors: [admin])
        #expect(results.iterations.passed == 50, "\(results.firstFailure ?? "")")
        #expect(server.logins == 1, "one login for 50 concurrent journeys, not one each (\(server.logins))")
        #expect(results.actorLogins == 1)
    }

    @Test("the closed model: a fixed number of users, each waiting its think time between journeys")
    func closedModel() async throws {
        let server = try await LoadTargetServer.start()
        defer { server.stop() }
        let results = try await Self.results(
            server, flows: [try Self.flow("slow", path: "/slow")], model: .closed(users: 2, thinkTime: .milliseconds(100), duration: .seconds(1)))
        // Each user: 150 ms per journey + 100 ms think → 4 journeys in 1 s (the last may end after the second).
        #expect((4...10).contains(results.iterations.completed), "\(results.iterations.completed) journeys")
        #expect(results.iterations.failed == 0)
        #expect(results.requests.latency.p50 >= 150)
    }

    @Test("a target that is not on loopback is refused without --allow-remote, before anything is sent")
    func remoteTargetNeedsPermission() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        try folder.write("Flows/fast.yaml", "name: fast journey\nsteps:\n  - name: fast\n    request: {url: /fast}\n    expect: {status: 200}\n")
        var overrides = FlowLoadCommand.Overrides()
        overrides.flows = ["fast.yaml"]
        overrides.rate = "1/s"
        overrides.duration = "1s"
        let command = FlowLoadCommand(
            paths: [folder.path + "/Flows"], target: "http://192.0.2.10:8080", reportDirectory: folder.path + "/reports", overrides: overrides,
            environment: [:])
        let errors = OutputCollector()
        let status = await command.execute(standardOutput: { _ in }, standardError: errors.add)
        #expect(status == .usage)
        #expect(errors.lines.contains { $0.contains("--allow-remote") && $0.contains("nothing was sent") })
    }

    @Test(
        "unbounded or unnamed load is a usage error",
        arguments: [
            ([], "1/s", "1s", "flows: name at least one flow"), (["fast.yaml"], "1/s", nil, "--rate needs --duration"),
            (["fast.yaml"], nil, nil, "say how load arrives"), (["nothing.yaml"], "1/s", "1s", "no flow matches 'nothing.yaml'"),
        ] as [([String], String?, String?, String)])
    func usageErrors(flows: [String], rate: String?, duration: String?, expected: String) async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        try folder.write("Flows/fast.yaml", "name: fast journey\nsteps:\n  - name: fast\n    request: {url: /fast}\n    expect: {status: 200}\n")
        var overrides = FlowLoadCommand.Overrides()
        overrides.flows = flows
        overrides.rate = rate
        overrides.duration = duration
        let command = FlowLoadCommand(
            paths: [folder.path + "/Flows"], target: "http://127.0.0.1:9", reportDirectory: folder.path + "/reports", overrides: overrides, environment: [:])
        let errors = OutputCollector()
        #expect(await command.execute(standardOutput: { _ in }, standardError: errors.add) == .usage)
        #expect(errors.lines.contains { $0.contains(expected) }, "\(errors.lines)")
    }

    // MARK: Flags over the scenario file

    static func scenario(_ overrides: FlowLoadCommand.Overrides, file: String? = nil) -> Result<LoadScenario, FlowLoadCommand.UsageProblem> {
        FlowLoadCommand(target: "http://127.0.0.1:9", scenarioFile: file, overrides: overrides, environment: [:]).makeScenario()
    }

    @Test("flags build a scenario and override the file's: closed model with think time, setup mode, seed, bounds, flow weights")
    func flagsOverTheFile() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let file = try folder.write(
            "mix.yaml", "flows: [a.yaml]\narrival: {rate: 5/s, duration: 10s}\nthresholds: [\"p95<1s\"]\n")
        var overrides = FlowLoadCommand.Overrides()
        overrides.duration = "20s"
        let longer = try Self.scenario(overrides, file: file).get()
        #expect(longer.model == .open(startRate: 5, stages: [ArrivalStage(rate: 5, duration: .seconds(20))]))
        overrides.users = 3
        overrides.thinkTime = "250ms"
        overrides.setup = "per-user"
        overrides.seed = 9
        overrides.maxRequests = 77
        overrides.maxInFlight = 5
        overrides.flows = ["b.yaml=4", "c.yaml"]
        overrides.thresholds = ["errors<1%"]
        let closed = try Self.scenario(overrides, file: file).get()
        #expect(closed.model == .closed(users: 3, thinkTime: .milliseconds(250), duration: .seconds(20)))
        #expect(closed.setup == .perUser && closed.seed == 9 && closed.maxRequests == 77 && closed.maxInFlight == 5)
        #expect(closed.flows == [FlowChoice(selector: "b.yaml", weight: 4), FlowChoice(selector: "c.yaml")])
        #expect(closed.thresholds.map(\.text) == ["p95<1s", "errors<1%"])
    }

    @Test(
        "bad flags and files are usage problems naming the flag or the file",
        arguments: [
            (
                "--duration 'soon'",
                { @Sendable (o: inout FlowLoadCommand.Overrides) in
                    o.rate = "1/s"
                    o.duration = "soon"
                }
            ),
            (
                "--rate 'fast'",
                { @Sendable (o: inout FlowLoadCommand.Overrides) in
                    o.rate = "fast"
                    o.duration = "1s"
                }
            ),
            ("--users needs --duration", { @Sendable (o: inout FlowLoadCommand.Overrides) in o.users = 2 }),
            (
                "--think-time",
                { @Sendable (o: inout FlowLoadCommand.Overrides) in
                    o.users = 2
                    o.duration = "1s"
                    o.thinkTime = "x"
                }
            ),
            (
                "--setup must be one of",
                { @Sendable (o: inout FlowLoadCommand.Overrides) in
                    o.rate = "1/s"
                    o.duration = "1s"
                    o.setup = "always"
                }
            ),
            (
                "--threshold: threshold 'p95'",
                { @Sendable (o: inout FlowLoadCommand.Overrides) in
                    o.rate = "1/s"
                    o.duration = "1s"
                    o.thresholds = ["p95"]
                }
            ),
            (
                "maxRequests: must be 1",
                { @Sendable (o: inout FlowLoadCommand.Overrides) in
                    o.rate = "1/s"
                    o.duration = "1s"
                    o.maxRequests = 0
                }
            ),
            ("--duration needs --rate or --users", { @Sendable (o: inout FlowLoadCommand.Overrides) in o.duration = "1s" }),
            (
                "cannot be combined",
                { @Sendable (o: inout FlowLoadCommand.Overrides) in
                    o.users = 2
                    o.rate = "1/s"
                    o.duration = "1s"
                }
            ),
            (
                "--think-time applies to the closed model",
                { @Sendable (o: inout FlowLoadCommand.Overrides) in
                    o.rate = "1/s"
                    o.duration = "1s"
                    o.thinkTime = "1s"
                }
            ),
            (
                "the weight after '=' must be a whole number",
                { @Sendable (o: inout FlowLoadCommand.Overrides) in
                    o.rate = "1/s"
                    o.duration = "1s"
                    o.flows = ["a.yaml=abc"]
                }
            ),
            (
                "the command-line flags: arrival: rate must be",
                { @Sendable (o: inout FlowLoadCommand.Overrides) in
                    o.rate = "20000/s"
                    o.duration = "1s"
                }
            ),
        ] as [(String, @Sendable (inout FlowLoadCommand.Overrides) -> Void)])
    func badFlags(expected: String, change: @Sendable (inout FlowLoadCommand.Overrides) -> Void) {
        var overrides = FlowLoadCommand.Overrides()
        overrides.flows = ["a.yaml"]
        change(&overrides)
        guard case .failure(let problem) = Self.scenario(overrides) else {
            Issue.record("accepted")
            return
        }
        #expect(problem.description.contains(expected), "\(problem.description)")
    }

    @Test("a scenario file that cannot be read or parsed is named")
    func unreadableScenario() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        guard case .failure(let missing) = Self.scenario(FlowLoadCommand.Overrides(), file: folder.path + "/none.yaml") else {
            Issue.record("accepted")
            return
        }
        #expect(missing.description.contains("none.yaml"))
        let broken = try folder.write("broken.yaml", "flows: [a.yaml\n")
        guard case .failure(let problem) = Self.scenario(FlowLoadCommand.Overrides(), file: broken) else {
            Issue.record("accepted")
            return
        }
        #expect(problem.description.contains("broken.yaml:1: not valid YAML"))
    }

    @Test("results lines: totals, latency and each threshold; the loopback rule")
    func resultLinesAndLoopback() async throws {
        let server = try await LoadTargetServer.start()
        defer { server.stop() }
        let results = try await Self.results(
            server, flows: [try Self.flow("fast", path: "/fast")], model: .open(startRate: 10, stages: [ArrivalStage(rate: 10, duration: .seconds(1))]),
            thresholds: ["GET /nothing: p95<1s", "flow fast: p99<1s", "flow fast: errors<1%", "checks>=99%", "max<5s", "mean<5s"])
        let lines = FlowLoadCommand.resultLines(results)
        #expect(lines[0].hasPrefix("10 journeys (10 passed, 0 failed, 0 cut off, 0 not started)"))
        #expect(lines[0].contains("10.0/s"), "rates per second of load: \(lines[0])")
        #expect(lines.contains { $0.contains("BROKEN") && $0.contains("GET /nothing: p95<1s: no request to GET /nothing") })
        #expect(lines.filter { $0.hasPrefix("threshold ok") }.count == 5, "\(lines)")
        #expect(FlowLoadCommand.isLoopback(URL(string: "http://127.0.0.5:80")!) && FlowLoadCommand.isLoopback(URL(string: "http://[::1]:8080")!))
        #expect(FlowLoadCommand.isLoopback(URL(string: "http://localhost")!) && !FlowLoadCommand.isLoopback(URL(string: "https://staging.illajwala.dev")!))
        for name in ["http://127.attacker.example:1", "http://127.0.0.1.nip.io", "http://0.0.0.0", "http://2130706433", "http://localhost.example.com"] {
            #expect(!FlowLoadCommand.isLoopback(URL(string: name)!), "\(name) is a name or not loopback")
        }
        let progress = FlowLoadCommand.progressLine(
            LoadEngine.Progress(
                elapsed: .seconds(3), iterationsStarted: 30, inFlight: 2, requests: 40, requestsLastSecond: 12, p95Milliseconds: 4.25, errors: 0,
                journeysFailed: 0))
        #expect(progress.contains("3s") && progress.contains("12 req/s") && progress.contains("p95 4.2"))
    }

    @Test("an interrupted test: journeys cut off are neither passed nor failed, the results say interrupted, rates cover what ran")
    func interruption() async throws {
        let server = try await LoadTargetServer.start()
        defer { server.stop() }
        let scenario = LoadScenario(
            flows: [FlowChoice(selector: "slow")], model: .open(startRate: 20, stages: [ArrivalStage(rate: 20, duration: .seconds(10))]),
            thresholds: [try Threshold(parsing: "errors<1%")])
        let transport = PooledHTTPTransport(connectionsPerHost: 64)
        let engine = LoadEngine(
            scenario: scenario, flows: [PlannedFlow(flow: try Self.flow("slow", path: "/slow"), weight: 1, setup: .perTest)],
            target: .init(name: "test", baseURL: server.baseURL, variables: [:], actors: [], secrets: []), transport: transport, operations: [])
        let task = Task { try await engine.run() }
        // Interrupt once some journeys have been answered (however slowly the machine runs), well before the 10 s end.
        let deadline = ContinuousClock.now.advanced(by: .seconds(8))
        while server.requests < 8, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        try await Task.sleep(for: .milliseconds(200))
        task.cancel()
        let results = try await task.value
        await transport.shutdown()
        #expect(results.interrupted)
        #expect(results.iterations.failed == 0, "cut-off journeys are not failures")
        #expect(results.iterations.passed >= 1 && results.iterations.dropped > 100, "\(results.iterations)")
        #expect(results.thresholds.allSatisfy { $0.passed }, "errors<1% holds: nothing failed")
        #expect(results.rateSeconds < 9, "rates over the time until the interruption, not the planned 10 s")
        #expect(LoadSummaryWriter.render(results).hasPrefix("# Load test: INTERRUPTED"))
    }
}
