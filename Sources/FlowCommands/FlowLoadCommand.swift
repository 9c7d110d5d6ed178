import APITransport
import FlowCore
import FlowRuntime
import Foundation
import LoadTesting
import Synchronization
import TextFileIO

#if canImport(Glibc)
import Glibc
#endif

/// The `illajwala-flows load` command: the flows as a load test (docs/load-testing.md).
///
/// Exit statuses: 0 every threshold held; 1 a threshold broke, a flow's once-per-test setup failed or the reports
/// could not be written; 2 usage errors (bad scenario, unknown flow, a non-loopback target without
/// `--allow-remote`); 3 the target is not ready; 130 interrupted (reports written from what ran).
public struct FlowLoadCommand: Sendable {
    /// Settings given on the command line; each one given overrides the scenario file's.
    public struct Overrides: Sendable {
        /// `--flow SELECTOR[=WEIGHT]` (repeatable): replaces the scenario's mix.
        public var flows: [String] = []
        /// `--rate 20/s`: a constant open-model rate (needs a duration).
        public var rate: String?
        /// `--duration 30s`.
        public var duration: String?
        /// `--users N`: the closed model.
        public var users: Int?
        /// `--think-time 500ms` (closed model).
        public var thinkTime: String?
        /// `--threshold` (repeatable): added to the scenario's.
        public var thresholds: [String] = []
        public var maxRequests: Int?
        public var maxInFlight: Int?
        public var setup: String?
        public var seed: UInt64?
        public init() {}
    }

    /// Which HTTP client generates the load.
    public enum TransportChoice: String, Sendable, CaseIterable {
        /// AsyncHTTPClient, one pooled client (the default: see ``PooledHTTPTransport``).
        case pooled
        /// Foundation's URLSession, as the functional runner uses (for comparison).
        case urlsession
    }

    public var paths: [String]
    public var target: String
    public var baseURLOverride: String?
    public var reportDirectory: String
    public var targetsFile: String?
    /// A scenario file (YAML, ``LoadScenarioParser``); without one the flags must name the flows and the load.
    public var scenarioFile: String?
    public var overrides: Overrides
    /// `--allow-remote`: a target that is not on loopback may be loaded (never by accident: staging is shared).
    public var allowRemote = false
    public var transport: TransportChoice = .pooled
    /// Connections the pooled transport keeps to the target.
    public var connections = 64
    public var openAPIPath = "openapi.yaml"
    public var variables: [String: JSONValue] = [:]
    /// Redraw one progress line (a terminal); otherwise a progress line every 5 seconds.
    public var liveProgress = false
    public var handleSignals = false
    public var environment: [String: String]
    public var embeddedService: (any EmbeddedServiceProvider)?

    public init(
        paths: [String] = ["Flows/"], target: String = "local", reportDirectory: String = "reports/", scenarioFile: String? = nil,
        overrides: Overrides = Overrides(), environment: [String: String] = ProcessInfo.processInfo.environment,
        embeddedService: (any EmbeddedServiceProvider)? = nil
    ) {
        self.paths = paths.isEmpty ? ["Flows/"] : paths
        self.target = target
        self.reportDirectory = reportDirectory
        self.scenarioFile = scenarioFile
        self.overrides = overrides
        self.environment = environment
        self.embeddedService = embeddedService
    }

    /// Runs the load test.
    /// - Parameters:
    ///   - standardOutput: the plan, progress lines and the result lines.
    ///   - standardError: problems, one per call.
    public func execute(standardOutput: @escaping @Sendable (String) -> Void, standardError: (String) -> Void) async -> FlowRunCommand.ExitStatus {
        let scenario: LoadScenario
        switch makeScenario() {
        case .success(let made): scenario = made
        case .failure(let problem):
            standardError(problem.description)
            return .usage
        }
        var options = FlowRunCommand.Options(openAPIPath: openAPIPath)
        options.variables = variables
        var runCommand = FlowRunCommand(
            paths: paths, target: target, reportDirectory: reportDirectory, targetsFile: targetsFile, options: options, environment: environment,
            embeddedService: embeddedService)
        runCommand.baseURLOverride = baseURLOverride
        let plan: FlowRunCommand.RunPlan
        switch runCommand.prepare() {
        case .success(let prepared): plan = prepared
        case .failure(let stop):
            for line in stop.lines { standardError(line) }
            return stop.status
        }
        let planned: [PlannedFlow]
        switch PlannedFlow.resolve(scenario, in: plan.flows) {
        case .success(let resolved): planned = resolved
        case .failure(let unknown):
            standardError((overrides.flows.isEmpty ? scenarioFile.map { "\($0): " } ?? "" : "--flow: ") + unknown.description)
            return .usage
        }
        if let url = plan.remoteURL, !allowRemote, !Self.isLoopback(url) {
            standardError(
                "target '\(plan.target.name)' is \(url.absoluteString), not on this machine: a load test against a shared environment needs --allow-remote; nothing was sent"
            )
            return .usage
        }
        let directory = URL(fileURLWithPath: reportDirectory, isDirectory: true)
        let session: FlowRunCommand.TargetSession
        switch await runCommand.open(plan, reportFolder: directory) {
        case .success(let opened): session = opened
        case .failure(let stop):
            for line in stop.lines { standardError(line) }
            return stop.status
        }
        let outcome = await run(scenario, planned: planned, plan: plan, session: session, standardOutput: standardOutput)
        await session.close()
        let results: LoadResults
        switch outcome {
        case .failure(let failure):
            standardError(failure.description)
            return .failed
        case .success(let finished): results = finished
        }
        for line in Self.resultLines(results) { standardOutput(line) }
        var status: FlowRunCommand.ExitStatus = results.passed ? .passed : .failed
        do {
            let written = try LoadReportFiles.write(results, to: directory)
            standardOutput("reports: \(written.map(\.lastPathComponent).joined(separator: ", ")) in \(reportDirectory)")
        } catch {
            standardError("cannot write reports to \(reportDirectory): \(error.localizedDescription)")
            status = .failed
        }
        if interrupted.value { status = .interrupted }
        return status
    }

    private let interrupted = InterruptedFlag()

    /// Runs the engine with progress output and signal handling.
    private func run(
        _ scenario: LoadScenario, planned: [PlannedFlow], plan: FlowRunCommand.RunPlan, session: FlowRunCommand.TargetSession,
        standardOutput: @escaping @Sendable (String) -> Void
    ) async -> Result<LoadResults, LoadEngine.SetupFailure> {
        let pooled =
            transport == .pooled
            ? PooledHTTPTransport(connectionsPerHost: connections, eventLoops: Int(environment["ILLAJWALA_LOAD_EVENT_LOOPS"] ?? "") ?? 1) : nil
        let client: any FlowHTTPClient = pooled ?? HTTPTransport()
        let target = LoadEngine.Target(
            name: plan.target.name, baseURL: session.baseURL, variables: plan.targetVars.merging(session.variables) { _, session in session },
            actors: plan.target.actors, secrets: plan.target.secrets + (session.service?.secrets ?? []))
        let engine = LoadEngine(scenario: scenario, flows: planned, target: target, transport: client, operations: plan.apiCoverage.operations ?? [])
        standardOutput(
            "load test of \(plan.target.name) (\(session.baseURL.absoluteString)): \(scenario.model.summary); \(scenario.flows.count) flow file\(scenario.flows.count == 1 ? "" : "s")"
                + (planned.count == scenario.flows.count ? ", " : " (\(planned.count) flows with their matrix cases), ")
                + "at most \(scenario.maxRequests) requests and \(scenario.maxInFlight) in flight; transport \(transport.rawValue)")
        let live = liveProgress
        let task = Task { () async -> Result<LoadResults, LoadEngine.SetupFailure> in
            do throws(LoadEngine.SetupFailure) {
                return .success(try await engine.run(progress: report))
            } catch {
                return .failure(error)
            }
        }
        @Sendable func report(_ progress: LoadEngine.Progress) {
            let line = Self.progressLine(progress)
            if live {
                FileHandle.standardOutput.write(Data(("\r\u{1B}[K" + line).utf8))
            } else if progress.elapsed.components.seconds % 5 == 0 {
                standardOutput(line)
            }
        }
        var signals: InterruptSignals?
        if handleSignals {
            let flag = interrupted
            signals = await InterruptSignals(onInterrupt: { _ in
                flag.raise()
                task.cancel()
            })
        }
        let result = await task.value
        signals?.restore()
        if live { FileHandle.standardOutput.write(Data("\r\u{1B}[K".utf8)) }
        await pooled?.shutdown()
        return result
    }

    /// `  12s  19.8 req/s  in flight 3  requests 1234  p95 12.3 ms  errors 0  failed journeys 0`.
    static func progressLine(_ progress: LoadEngine.Progress) -> String {
        "  \(progress.elapsed.components.seconds)s  \(progress.requestsLastSecond) req/s  in flight \(progress.inFlight)  "
            + "journeys \(progress.iterationsStarted)  requests \(progress.requests)  p95 \(String(format: "%.1f", progress.p95Milliseconds)) ms  "
            + "errors \(progress.errors)  failed journeys \(progress.journeysFailed)"
    }

    /// The result lines: totals, request latency, then each threshold.
    static func resultLines(_ results: LoadResults) -> [String] {
        let l = results.requests.latency
        let journeys = results.iterations.completed == 1 ? "journey" : "journeys"
        var lines = [
            String(
                format: "%d %@ (%d passed, %d failed, %d cut off, %d not started) in %.1f s, %.1f/s; %d requests, %.1f/s, %d errors",
                results.iterations.completed, journeys, results.iterations.passed, results.iterations.failed, results.iterations.interrupted,
                results.iterations.dropped, results.durationSeconds, results.iterations.rate, results.requests.count, results.requests.rate,
                results.requests.errors),
            String(format: "request latency ms: p50 %.2f  p90 %.2f  p95 %.2f  p99 %.2f  p99.9 %.2f  max %.2f", l.p50, l.p90, l.p95, l.p99, l.p999, l.max),
        ]
        if results.interrupted { lines.append("interrupted: the figures cover what ran before the signal") }
        if results.requestCapReached {
            lines.append("the request cap (\(results.maxRequests)) stopped new journeys: \(results.iterations.dropped) not started")
        }
        if let first = results.firstFailure { lines.append("first failure: \(first)") }
        for outcome in results.thresholds { lines.append("threshold \(outcome.passed ? "ok    " : "BROKEN") \(outcome.message)") }
        if results.thresholds.isEmpty { lines.append("no thresholds set: the load test reports and does not gate") }
        return lines
    }

    /// Whether `url` is on this machine: an IPv4 literal in 127.0.0.0/8, the IPv6 literal ::1, or `localhost`. A host
    /// *name* that merely starts with `127.` (`127.attacker.example`) is not: only parsed addresses count.
    static func isLoopback(_ url: URL) -> Bool {
        guard var host = url.host?.lowercased() else { return false }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host == "localhost" { return true }
        var v4 = in_addr()
        if inet_pton(AF_INET, host, &v4) == 1 { return UInt32(bigEndian: v4.s_addr) >> 24 == 127 }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, host, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { bytes in bytes.prefix(15).allSatisfy { $0 == 0 } && bytes[15] == 1 }
        }
        return false
    }

    /// A problem with the scenario or the flags.
    struct UsageProblem: Error, CustomStringConvertible {
        var description: String
    }

    /// The scenario file with the flags applied, checked.
    func makeScenario() -> Result<LoadScenario, UsageProblem> {
        var scenario: LoadScenario?
        if let scenarioFile {
            do {
                let text = try TextFile.read(scenarioFile)
                scenario = try LoadScenarioParser.parse(text, file: scenarioFile)
            } catch let error as TextFile.ReadError {
                return .failure(UsageProblem(description: error.diagnostic.description))
            } catch {
                return .failure(UsageProblem(description: String(describing: error)))
            }
        }
        var result = scenario ?? LoadScenario(flows: [], model: .open(startRate: 0, stages: []))
        do throws(UsageProblem) {
            if overrides.users != nil, overrides.rate != nil {
                throw UsageProblem(description: "--users (closed model) and --rate (open model) cannot be combined: give one")
            }
            if overrides.thinkTime != nil, overrides.users == nil, !(scenario.map { if case .closed = $0.model { true } else { false } } ?? false) {
                throw UsageProblem(description: "--think-time applies to the closed model: give --users too")
            }
            if !overrides.flows.isEmpty { result.flows = try overrides.flows.map(Self.flowChoice) }
            let duration = try overrides.duration.map { text throws(UsageProblem) in
                guard let value = LoadScenarioParser.parseDuration(text) else {
                    throw UsageProblem(description: "--duration '\(text)' is not a duration: write e.g. 30s, 2m or 500ms")
                }
                return value
            }
            if let users = overrides.users {
                let think =
                    try overrides.thinkTime.map { text throws(UsageProblem) in
                        guard let value = LoadScenarioParser.parseDuration(text) else {
                            throw UsageProblem(description: "--think-time '\(text)' is not a duration")
                        }
                        return value
                    } ?? .zero
                guard let duration = duration ?? (scenario.map { $0.model.duration }) else {
                    throw UsageProblem(description: "--users needs --duration (how long the users keep going)")
                }
                result.model = .closed(users: users, thinkTime: think, duration: duration)
            } else if let rateText = overrides.rate {
                guard let rate = LoadScenarioParser.parseRate(rateText) else {
                    throw UsageProblem(description: "--rate '\(rateText)' is not a rate: write e.g. 20/s")
                }
                guard let duration = duration ?? (scenario.map { $0.model.duration }) else {
                    throw UsageProblem(description: "--rate needs --duration (every load test is bounded in time)")
                }
                result.model = .open(startRate: rate, stages: [ArrivalStage(rate: rate, duration: duration)])
            } else if let duration {
                switch result.model {
                case .open(let start, let stages) where stages.count == 1:
                    result.model = .open(startRate: start, stages: [ArrivalStage(rate: stages[0].rate, duration: duration)])
                case .closed(let users, let think, _):
                    result.model = .closed(users: users, thinkTime: think, duration: duration)
                default:
                    throw UsageProblem(description: "--duration needs --rate or --users, or a scenario with one constant rate")
                }
            }
            if scenario == nil, overrides.rate == nil, overrides.users == nil {
                throw UsageProblem(
                    description: "say how load arrives: --scenario FILE, or --rate 20/s --duration 30s (open model), or --users 8 --duration 30s")
            }
            for text in overrides.thresholds {
                do { result.thresholds.append(try Threshold(parsing: text)) } catch { throw UsageProblem(description: "--threshold: \(error.description)") }
            }
            if let value = overrides.maxRequests { result.maxRequests = value }
            if let value = overrides.maxInFlight { result.maxInFlight = value }
            if let value = overrides.seed { result.seed = value }
            if let text = overrides.setup {
                guard let mode = SetupMode(rawValue: text) else {
                    throw UsageProblem(description: "--setup must be one of \(SetupMode.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                result.setup = mode
            }
            if let problem = result.problems.first {
                let flagsGiven =
                    !overrides.flows.isEmpty || overrides.rate != nil || overrides.duration != nil || overrides.users != nil
                    || overrides.maxRequests != nil || overrides.maxInFlight != nil
                let source =
                    switch (scenarioFile, flagsGiven) {
                    case (let file?, false): "\(file): "
                    case (let file?, true): "the scenario (\(file) with the command-line flags): "
                    case (nil, _): "the command-line flags: "
                    }
                let hint = result.flows.isEmpty ? " (give --flow FILE or a scenario file with flows:)" : ""
                throw UsageProblem(description: source + problem + hint)
            }
            return .success(result)
        } catch {
            return .failure(error)
        }
    }

    /// `patient/find-doctors-and-clinics.yaml=3` or a name, weight 1 by default.
    static func flowChoice(_ text: String) throws(UsageProblem) -> FlowChoice {
        guard let equals = text.lastIndex(of: "=") else { return FlowChoice(selector: text) }
        let weightText = text[text.index(after: equals)...]
        guard let weight = Int(weightText) else {
            throw UsageProblem(description: "--flow \(text): the weight after '=' must be a whole number 1 to 1000, not '\(weightText)'")
        }
        return FlowChoice(selector: String(text[..<equals]), weight: weight)
    }
}

/// Set once when the run was interrupted.
final class InterruptedFlag: Sendable {
    private let raised = Mutex(false)
    func raise() { raised.withLock { $0 = true } }
    var value: Bool { raised.withLock { $0 } }
}
