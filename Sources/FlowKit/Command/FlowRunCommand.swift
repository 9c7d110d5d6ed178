import Foundation
import Logging
import IllajwalaTesting

/// The `illajwala-flows run` command: load flows, pick the target, run, write reports.
///
/// Exit statuses: 0 every flow passed (flaky flows too, unless ``Options/noFlaky``); 1 any flow failed or errored
/// (or the embedded server could not start, reports could not be written, or API coverage is below
/// `--min-api-coverage`); 2 flow-file or usage errors (nothing runs); 3 the target is unreachable or
/// `/health/ready` does not answer 200 (checked before anything runs); 130 the run was interrupted
/// (`SIGINT`/`SIGTERM`; reports are still written, flows not run as skipped).
public struct FlowRunCommand: Sendable {
    /// Process exit status of a run.
    public enum ExitStatus: Int32, Sendable {
        case passed = 0
        case failed = 1
        case usage = 2
        case targetUnavailable = 3
        case interrupted = 130
    }

    /// How flows are scheduled.
    public struct Options: Sendable {
        /// Which flows run.
        public var filter: FlowFilter
        /// Flows run at the same time (1–64); each flow's data is its own, so parallel flows cannot collide.
        public var jobs: Int
        /// After the first failed or errored flow, start no other flow (they are reported as skipped).
        public var failFast: Bool
        /// `--var k=v`: values that override the target's variables of the same name (strings).
        public var variables: [String: String]
        /// `--retries N`: run a failed flow again up to N times (0–10); one that then passes is flaky.
        public var retries: Int = 0
        /// `--no-flaky`: a flaky flow makes the run fail (exit 1).
        public var noFlaky = false
        /// `--quiet` / `--verbose`.
        public var verbosity: ConsoleReporter.Verbosity = .normal
        /// Redraw a live progress line (set by the CLI for a terminal outside CI); output then goes straight to
        /// standard output, unsplit.
        public var liveProgress = false
        /// Handle `SIGINT`/`SIGTERM` gracefully (the CLI sets this; tests leave it off).
        public var handleSignals = false
        /// `--openapi PATH`: the OpenAPI document API coverage is measured against (relative to the current directory);
        /// when it does not exist, coverage is skipped with a note.
        public var openAPIPath: String
        /// `--min-api-coverage PERCENT` (0–100): a run whose operation coverage is lower exits 1; `nil` for no gate.
        /// Requires the OpenAPI document (a missing one is a usage error, exit 2).
        public var minimumAPICoverage: Double?

        /// Creates options; the default runs every flow one after the other and measures API coverage against
        /// `openapi.yaml` without a gate.
        public init(
            filter: FlowFilter = FlowFilter(), jobs: Int = 1, failFast: Bool = false, variables: [String: String] = [:],
            openAPIPath: String = "openapi.yaml", minimumAPICoverage: Double? = nil
        ) {
            self.filter = filter
            self.jobs = jobs
            self.failFast = failFast
            self.variables = variables
            self.openAPIPath = openAPIPath
            self.minimumAPICoverage = minimumAPICoverage
        }
    }

    /// Flow files or folders (default `Flows/`).
    public var paths: [String]
    /// Target name from `targets.yaml`, or an http(s) base URL (default `local`).
    public var target: String
    /// Folder for the reports (default `reports/`): see ``ReportDirectory``.
    public var reportDirectory: String
    /// Explicit `targets.yaml`; by default the nearest one at or above the first path.
    public var targetsFile: String?
    /// Selection and scheduling.
    public var options: Options
    /// Where `${NAME}` references of the target are looked up (the process environment by default).
    public var environment: [String: String]
    private let makeClient: @Sendable () -> any FlowHTTPClient
    /// Where an embedded target's service logs (`nil`: stderr at `warning`); tests capture it to audit the logs.
    public var serverLogger: Logger?

    /// Creates the command; `makeClient` creates one HTTP client per flow (tests pass canned clients).
    public init(
        paths: [String] = ["Flows/"], target: String = "local", reportDirectory: String = "reports/", targetsFile: String? = nil,
        options: Options = Options(), environment: [String: String] = ProcessInfo.processInfo.environment,
        makeClient: @escaping @Sendable () -> any FlowHTTPClient = { HTTPTransport() }
    ) {
        self.options = options
        self.environment = environment
        self.paths = paths.isEmpty ? ["Flows/"] : paths
        self.target = target
        self.reportDirectory = reportDirectory
        self.targetsFile = targetsFile
        self.makeClient = makeClient
    }

    /// Runs the command.
    /// - Parameters:
    ///   - standardOutput: receives one line per flow and the final tally line (`N passed, N failed, N skipped`).
    ///   - standardError: receives `FILE:LINE:COL: message` diagnostics and other errors, one per call.
    /// - Returns: the exit status.
    public func execute(
        standardOutput: @escaping @Sendable (String) -> Void, standardError: (String) -> Void
    ) async -> ExitStatus {
        let flows: [Flow]
        do {
            flows = try FlowLoader.load(paths: paths)
        } catch {
            for diagnostic in error.diagnostics { standardError(diagnostic.description) }
            return .usage
        }
        guard !flows.isEmpty else {
            standardError("no flow files found in \(paths.joined(separator: ", "))")
            return .usage
        }
        guard (1...64).contains(options.jobs) else {
            standardError("--jobs must be 1 to 64, not \(options.jobs)")
            return .usage
        }
        guard (0...10).contains(options.retries) else {
            standardError("--retries must be 0 to 10, not \(options.retries)")
            return .usage
        }
        let chosen = flows.filter(options.filter.selects)
        guard !chosen.isEmpty else {
            standardError("no flow matches the filters (\(flows.count) flows loaded)")
            return .usage
        }
        let apiCoverage: APICoveragePlan
        do {
            apiCoverage = try APICoveragePlan(openAPIPath: options.openAPIPath, minimumPercent: options.minimumAPICoverage)
        } catch {
            standardError(error.description)
            return .usage
        }
        let selected: Target
        do {
            selected = try TargetSelection.resolve(target, targetsFile: targetsFile, searchStart: paths[0], environment: environment)
        } catch {
            standardError(error.description)
            return .usage
        }
        var targetVars: [String: JSONValue] = [:]
        for variable in selected.vars {
            do {
                if let override = options.variables[variable.name] {
                    targetVars[variable.name] = .string(override)
                } else {
                    targetVars[variable.name] = try variable.value.evaluate(in: TemplateScope(layers: [targetVars]))
                }
            } catch {
                standardError("target '\(selected.name)' variable '\(variable.name)': \(error)")
                return .usage
            }
        }

        if let problem = Self.reportDirectoryProblem(reportDirectory) {
            standardError("cannot write reports to \(reportDirectory): \(problem); nothing was run")
            return .usage
        }

        let baseURL: URL
        var server: LiveServer?
        switch selected.kind {
        case .remote(let url):
            baseURL = url
        case .embedded(let fixtures):
            do {
                let fixturesURL = fixtures.map { URL(fileURLWithPath: $0, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) }
                let started = try await LiveServer.start(
                    scenario: fixturesURL.map { .fixtures(at: $0) } ?? .empty, environment: selected.serverEnvironment,
                    logger: serverLogger)
                server = started
                baseURL = started.baseURL
            } catch {
                standardError("cannot start the embedded server for target '\(selected.name)': \(error)")
                return .failed
            }
        }

        for (name, value) in options.variables where targetVars[name] == nil { targetVars[name] = .string(value) }
        let lintProblems = FlowLinter(
            targetVariables: Set(selected.vars.map(\.name)).union(options.variables.keys), targetActors: Set(selected.actors.map(\.name))
        ).lint(chosen)
        guard lintProblems.isEmpty else {
            for problem in lintProblems { standardError(problem.description) }
            standardError("\(lintProblems.count) problem\(lintProblems.count == 1 ? "" : "s") in the flow files; nothing was run")
            await server?.stop()
            return .usage
        }

        if let problem = await Self.readinessProblem(of: baseURL, client: makeClient()) {
            standardError("target '\(selected.name)' (\(baseURL.absoluteString)) \(problem); nothing was run")
            await server?.stop()
            return .targetUnavailable
        }

        let reporter = ConsoleReporter(verbosity: options.verbosity, live: options.liveProgress) { text in
            if options.liveProgress {
                FileHandle.standardOutput.write(Data(text.utf8))
            } else {
                var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                if lines.last == "" { lines.removeLast() }
                for line in lines { standardOutput(line) }
            }
        }
        var runner = FlowRunner(baseURL: baseURL, targetVars: targetVars, targetActors: selected.actors, makeClient: makeClient)
        if options.liveProgress { runner.onStepStart = { flow, step in reporter.progress(flow: flow, step: step) } }
        let startedAt = Date()
        let clock = ContinuousClock()
        let start = clock.now
        let masker = SecretMasker(secrets: selected.secrets)
        reporter.begin(count: chosen.count)
        let scheduler = FlowScheduler(jobs: options.jobs, failFast: options.failFast, retries: options.retries)
        let flowsToRun = chosen
        let runTask = Task {
            await scheduler.run(flowsToRun, with: runner) { result in
                reporter.finished(masker.mask(result))
            }.map(masker.mask)
        }
        let signals = options.handleSignals ? InterruptSignals { _ in runTask.cancel() } : nil
        let results = await runTask.value
        signals?.restore()
        await server?.stop()
        let elapsed = start.duration(to: clock.now)
        var report = RunReport(
            target: selected.name, startedAt: startedAt,
            duration: elapsed.seconds, results: results)
        report.baseURL = baseURL.absoluteString
        if let signal = signals?.signalName {
            report.interruption = "\(signal) received; \(report.skippedCount) flows not run"
        } else if options.failFast, report.skippedCount > 0 {
            report.interruption = "--fail-fast after a failure; \(report.skippedCount) flows not run"
        }

        var status: ExitStatus = report.failedCount + report.erroredCount > 0 ? .failed : .passed
        var notes: [String] = []
        if options.noFlaky, report.flakyCount > 0 {
            status = .failed
            notes.append("--no-flaky: \(report.flakyCount == 1 ? "1 flaky flow fails" : "\(report.flakyCount) flaky flows fail") the run")
        }
        if signals?.signalName != nil { status = .interrupted }
        let directory = URL(fileURLWithPath: reportDirectory, isDirectory: true)
        let coverage = apiCoverage.outcome(for: report)
        do {
            try ReportDirectory.write(report, to: directory, options: ReportDirectory.Options(apiCoverage: coverage))
        } catch {
            standardError("cannot write reports to \(reportDirectory): \(error.localizedDescription)")
            if status == .passed { status = .failed }
        }
        if let note = apiCoverage.skipReason { standardError("note: \(note)") }
        if let shortfall = apiCoverage.shortfall(of: coverage) {
            standardError(shortfall)
            if status == .passed { status = .failed }
        }
        reporter.end(report, notes: notes)
        return status
    }

    /// Why reports cannot be written to `path` (not a folder, not creatable, not writable), or `nil` when they can;
    /// creates the folder. Checked before anything runs, so a run never ends without its reports.
    static func reportDirectoryProblem(_ path: String) -> String? {
        let fileManager = FileManager.default
        var isDirectory: ObjCBool = false
        if fileManager.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { return "it is a file, not a folder" }
        } else {
            do {
                try fileManager.createDirectory(atPath: path, withIntermediateDirectories: true)
            } catch {
                return "the folder cannot be created (\(error.localizedDescription))"
            }
        }
        return fileManager.isWritableFile(atPath: path) ? nil : "the folder is not writable"
    }

    /// Why the target cannot be used (`GET /health/ready` fails or does not answer 200), or `nil` when it is ready.
    static func readinessProblem(of baseURL: URL, client: any FlowHTTPClient) async -> String? {
        let url = baseURL.appendingPathComponent("health/ready")
        do {
            let response = try await client.perform(APIRequest(method: "GET", url: url))
            return response.status == 200 ? nil : "is not ready: GET /health/ready answered \(response.status)"
        } catch {
            return "is unreachable: \(error.message)"
        }
    }
}
