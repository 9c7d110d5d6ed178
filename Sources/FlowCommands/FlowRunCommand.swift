import APITransport
import CoverageGate
import FlowCore
import FlowRuntime
import Foundation
import Logging
import Synchronization

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
        /// `--var name=value` (a string) or `--var name:=json` (any JSON value, numbers exactly as written): values that
        /// override the target's variables of the same name, or add variables.
        public var variables: [String: JSONValue]
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
        /// `--shard I/N`: run only the I-th of N shards of the selected flows (``ShardPlanner``); `nil` runs them all.
        public var shard: FlowShard?
        /// `--durations PATH`: an earlier run's `flows.json`, so shards balance by time rather than by step count.
        public var durationsPath: String?
        /// `--run-id ID`: the CI run the reports belong to (``RunReport/runID``).
        public var runID: String?
        /// `--quarantine PATH`: the quarantine list; `nil` uses the nearest `quarantine.yaml` at or above the first path.
        public var quarantinePath: String?
        /// `--openapi-validate` / `--no-openapi-validate`: check every response against the OpenAPI document's
        /// contract; `nil` checks when the document exists (a missing one is then a note, as for API coverage).
        public var openAPIValidate: Bool?
        /// `--contract-violations=fail` (the default: a violation fails its step) or `warn` (reported only).
        public var contractViolationsFail = true
        /// `--changed-operations BASE_OPENAPI`: run only the flows that exercised (in `--history` or `--durations`) an
        /// operation whose definition differs from the one in this earlier document, and flows no earlier run knows.
        public var changedOperationsBase: String?
        /// `--since GIT_REF`: as `--changed-operations`, with the OpenAPI document as it was at that git revision.
        public var sinceRef: String?
        /// `--history DIR`: earlier runs' `flows.json` files; the summary then lists the flakiest flows.
        public var historyPath: String?
        /// The day quarantine entries are checked against (`YYYY-MM-DD`, UTC; tests set it).
        public var today: String = QuarantineList.today()

        /// Creates options; the default runs every flow one after the other and measures API coverage against
        /// `openapi.yaml` without a gate.
        public init(
            filter: FlowFilter = FlowFilter(), jobs: Int = 1, failFast: Bool = false, variables: [String: JSONValue] = [:],
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
    /// `--base-url` (or `ILLAJWALA_FLOWS_BASE_URL`): the base URL of a named target, replacing the one in
    /// `targets.yaml` — so `ci`, `staging` or any target with variables and actors can run against any address.
    public var baseURLOverride: String?
    /// Folder for the reports (default `reports/`): see ``ReportDirectory``.
    public var reportDirectory: String
    /// Explicit `targets.yaml`; by default the nearest one at or above the first path.
    public var targetsFile: String?
    /// Selection and scheduling.
    public var options: Options
    /// Where `${NAME}` references of the target are looked up (the process environment by default).
    public var environment: [String: String]
    private let makeClient: @Sendable () -> any FlowHTTPClient
    /// Where an embedded target's service logs; `nil` writes `server.log` in the report folder (named at the end of
    /// the run). Tests capture it to audit the logs.
    public var serverLogger: Logger?
    /// Boots the service of embedded targets (`local`); without one, only targets with a base URL run.
    public var embeddedService: (any EmbeddedServiceProvider)?

    /// Creates the command; `makeClient` creates one HTTP client per flow (tests pass canned clients).
    public init(
        paths: [String] = ["Flows/"], target: String = "local", reportDirectory: String = "reports/", targetsFile: String? = nil,
        options: Options = Options(), environment: [String: String] = ProcessInfo.processInfo.environment,
        makeClient: @escaping @Sendable () -> any FlowHTTPClient = { HTTPTransport() },
        embeddedService: (any EmbeddedServiceProvider)? = nil
    ) {
        self.embeddedService = embeddedService
        self.options = options
        self.environment = environment
        self.paths = paths.isEmpty ? ["Flows/"] : paths
        self.target = target
        self.reportDirectory = reportDirectory
        self.targetsFile = targetsFile
        self.makeClient = makeClient
    }

    /// Runs the command: prepares the run plan (flows, target, variables, lint), marks the report folder as in
    /// progress, opens the target (starting an embedded server), runs the flows and writes the reports.
    /// - Parameters:
    ///   - standardOutput: receives one line per flow and the final tally line (`N passed, N failed, N skipped`).
    ///   - standardError: receives `FILE:LINE:COL: message` diagnostics and other errors, one per call.
    /// - Returns: the exit status.
    public func execute(
        standardOutput: @escaping @Sendable (String) -> Void, standardError: (String) -> Void
    ) async -> ExitStatus {
        let plan: RunPlan
        switch prepare() {
        case .success(let prepared): plan = prepared
        case .failure(let problem):
            for line in problem.lines { standardError(line) }
            return problem.status
        }
        if let note = plan.changeNote { standardOutput(note) }
        if let note = plan.shardNote { standardOutput(note.line) }
        for warning in plan.warnings { standardError(warning) }
        let directory = URL(fileURLWithPath: reportDirectory, isDirectory: true)
        // From here on a run that does not finish never leaves an earlier run's green reports behind.
        ReportDirectory.markInProgress(directory, target: plan.target.name, startedAt: Date())

        let session: TargetSession
        switch await open(plan, reportFolder: directory) {
        case .success(let opened): session = opened
        case .failure(let problem):
            for line in problem.lines { standardError(line) }
            ReportDirectory.markNotRun(directory, target: plan.target.name, reason: problem.lines.last ?? "the target could not be used")
            return problem.status
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
        let outcome = await schedule(plan, session: session, reporter: reporter, directory: directory)
        await session.close()

        return writeReports(outcome, plan: plan, session: session, to: directory, reporter: reporter, standardError: standardError)
    }

    /// Writes the reports of a finished run, checks the API coverage minimum and ends the console output.
    /// - Returns: the exit status: failed flows, `--no-flaky` with flaky ones, an unwritable report folder or too
    ///   little API coverage fail the run; an interruption outranks them.
    private func writeReports(
        _ outcome: ScheduleOutcome, plan: RunPlan, session: TargetSession, to directory: URL, reporter: ConsoleReporter,
        standardError: (String) -> Void
    ) -> ExitStatus {
        var report = outcome.report
        var notes: [String] = []
        if let quarantine = plan.quarantine {
            report.results = quarantine.apply(to: report.results, today: options.today)
            let held = report.results.compactMap(\.quarantine)
            let failing = held.count { $0.outcome == .failed || $0.outcome == .errored }
            if !held.isEmpty {
                notes.append(
                    "quarantined: \(held.count) flow\(held.count == 1 ? "" : "s") ran, \(failing) failed without failing the run (\(quarantine.path))")
            }
        }
        let violations = report.results.flatMap(\.recordedSteps).reduce(0) { $0 + $1.contractViolations.count }
        if violations > 0 {
            notes.append(
                "contract: \(violations) response\(violations == 1 ? "" : "s") broke \(options.openAPIPath)"
                    + (options.contractViolationsFail ? "" : " (--contract-violations=warn: reported, not failing)"))
        }
        var status: ExitStatus = report.failedCount + report.erroredCount > 0 ? .failed : .passed
        if options.noFlaky, report.flakyCount > 0 {
            status = .failed
            notes.append("--no-flaky: \(report.flakyCount == 1 ? "1 flaky flow fails" : "\(report.flakyCount) flaky flows fail") the run")
        }
        if outcome.interruptedBy != nil { status = .interrupted }
        report.baseURL = session.baseURL.absoluteString
        report.shard = options.shard
        report.runID = options.runID
        report.shardPlan = plan.shardNote?.fingerprint
        let coverage = plan.apiCoverage.outcome(for: report)
        var written: [URL] = []
        do {
            written = try ReportDirectory.write(report, to: directory, options: ReportDirectory.Options(apiCoverage: coverage, history: plan.history))
        } catch {
            standardError("cannot write reports to \(reportDirectory): \(error.localizedDescription)")
            if status == .passed { status = .failed }
        }
        if let note = plan.apiCoverage.skipReason { standardError("note: \(note)") }
        if let shortfall = plan.apiCoverage.shortfall(of: coverage) {
            standardError(shortfall)
            if status == .passed { status = .failed }
        }
        if !written.isEmpty, options.verbosity != .quiet {
            var files = written.map(\.lastPathComponent)
            if let log = session.serverLog { files.append(log.url.lastPathComponent) }
            notes.append("reports: \(files.joined(separator: ", ")) in \(reportDirectory)")
        }
        reporter.end(report, notes: notes)
        return status
    }

    /// Everything decided before anything runs.
    struct RunPlan {
        var flows: [Flow]
        var target: Target
        var targetVars: [String: JSONValue]
        var apiCoverage: APICoveragePlan
        /// The base URL of a remote target (after `--base-url`); `nil` for an embedded one.
        var remoteURL: URL?
        /// With `--shard`: which part of the flows this run is.
        var shardNote: ShardNote?
        /// The quarantine list in force, if there is one.
        var quarantine: QuarantineList?
        /// Lines to print before the run (expired quarantine entries).
        var warnings: [String] = []
        /// Earlier runs (`--history`).
        var history: FlowHistory?
        /// With `--changed-operations`/`--since`: what changed and which flows were chosen.
        var changeNote: String?
        /// The response contract checked on every step (`--openapi-validate`).
        var contractCheck: ContractCheck?
    }

    /// Why the run stops before it starts: the lines to print and the exit status.
    struct Stop: Error {
        var lines: [String]
        var status: ExitStatus
        init(_ lines: [String], _ status: ExitStatus) {
            self.lines = lines
            self.status = status
        }
    }

    /// Loads and filters the flows, checks the options, resolves the target and its variables, lints, and checks
    /// the report folder — every problem a usage error (exit 2) before anything is sent.
    func prepare() -> Result<RunPlan, Stop> {
        do throws(Stop) {
            let history = try historyRuns()
            let (changed, changeNote) = try changedFlows(try selectedFlows(), history: history)
            let (flows, shardNote) = try shardFlows(changed)
            let apiCoverage: APICoveragePlan
            do {
                apiCoverage = try APICoveragePlan(openAPIPath: options.openAPIPath, minimumPercent: options.minimumAPICoverage)
            } catch {
                throw Stop([error.description], .usage)
            }
            var (selected, remoteURL) = try resolvedTarget()
            let targetVars = try variables(of: &selected)
            try lint(flows, for: selected)
            if let problem = Self.reportDirectoryProblem(reportDirectory) {
                throw Stop(["cannot write reports to \(reportDirectory): \(problem); nothing was run"], .usage)
            }
            var plan = RunPlan(
                flows: flows, target: selected, targetVars: targetVars, apiCoverage: apiCoverage, remoteURL: remoteURL, shardNote: shardNote)
            plan.quarantine = try quarantineList()
            plan.contractCheck = try contractCheck()
            plan.history = history
            plan.changeNote = changeNote
            plan.warnings = (plan.quarantine?.expiredProblems(today: options.today) ?? []).map { "warning: \($0) (it no longer applies)" }
            return .success(plan)
        } catch {
            return .failure(error)
        }
    }

    /// The flows loaded from ``paths`` that the filters select, after checking `--jobs` and `--retries`.
    private func selectedFlows() throws(Stop) -> [Flow] {
        let flows: [Flow]
        do {
            flows = try FlowLoader.load(paths: paths)
        } catch {
            throw Stop(error.diagnostics.map(\.description), .usage)
        }
        guard !flows.isEmpty else { throw Stop(["no flow files found in \(paths.joined(separator: ", "))"], .usage) }
        guard (1...64).contains(options.jobs) else { throw Stop(["--jobs must be 1 to 64, not \(options.jobs)"], .usage) }
        guard (0...10).contains(options.retries) else { throw Stop(["--retries must be 0 to 10, not \(options.retries)"], .usage) }
        let chosen = flows.filter(options.filter.selects)
        guard !chosen.isEmpty else { throw Stop(["no flow matches the filters (\(flows.count) flows loaded)"], .usage) }
        return chosen
    }

    /// Earlier runs from `--history DIR`, or `nil` without it.
    private func historyRuns() throws(Stop) -> FlowHistory? {
        guard let path = options.historyPath else { return nil }
        do throws(FlowHistory.ReadError) {
            return try FlowHistory(reading: path)
        } catch {
            throw Stop([error.description], .usage)
        }
    }

    /// The flows `--changed-operations` or `--since` select (all of them without either), and a line saying why.
    private func changedFlows(_ flows: [Flow], history: FlowHistory?) throws(Stop) -> ([Flow], String?) {
        guard options.changedOperationsBase != nil || options.sinceRef != nil else { return (flows, nil) }
        guard options.changedOperationsBase == nil || options.sinceRef == nil else {
            throw Stop(["--changed-operations and --since both name the earlier document: give one"], .usage)
        }
        guard FileManager.default.fileExists(atPath: options.openAPIPath) else {
            throw Stop(["--changed-operations/--since compare \(options.openAPIPath), which does not exist (--openapi PATH)"], .usage)
        }
        var scratch: URL?
        defer { if let scratch { try? FileManager.default.removeItem(at: scratch) } }
        let base: String
        if let ref = options.sinceRef {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("illajwala-flows-since-\(UUID().uuidString)")
            scratch = folder
            base = try documentAtRevision(ref, into: folder)
        } else {
            base = options.changedOperationsBase!
        }
        let changes: ChangedOperations
        do {
            changes = try ChangedOperations.between(base: base, current: options.openAPIPath)
        } catch {
            throw Stop(["--\(options.sinceRef == nil ? "changed-operations" : "since"): \(error.description)"], .usage)
        }
        var runs = history?.runs ?? []
        if runs.isEmpty, let path = options.durationsPath, let run = try? FlowsJSONReader.read(URL(fileURLWithPath: path)) { runs = [run] }
        guard !runs.isEmpty else {
            return (
                flows,
                "changed operations: \(changes.labels.count) changed, but no earlier run says which flow exercised which "
                    + "(give --history DIR or --durations FLOWS_JSON): running every flow"
            )
        }
        let (chosen, note) = changes.select(flows, history: runs)
        return (chosen, note)
    }

    /// `openapi.yaml` as it was at git revision `ref`, written into `folder`.
    private func documentAtRevision(_ ref: String, into folder: URL) throws(Stop) -> String {
        let document = URL(fileURLWithPath: options.openAPIPath).standardizedFileURL
        let directory = document.deletingLastPathComponent().path
        do {
            let top = try Subprocess.run("/usr/bin/env", ["git", "rev-parse", "--show-toplevel"], in: directory)
            guard top.status == 0 else { throw Stop(["--since \(ref): \(options.openAPIPath) is not in a git repository (\(top.errorText))"], .usage) }
            let root = String(decoding: top.standardOutput, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            let relative = String(document.path.dropFirst(URL(fileURLWithPath: root).standardizedFileURL.path.count + 1))
            let shown = try Subprocess.run("/usr/bin/env", ["git", "show", "\(ref):\(relative)"], in: root)
            guard shown.status == 0 else { throw Stop(["--since \(ref): git cannot show \(relative) at \(ref) (\(shown.errorText))"], .usage) }
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let file = folder.appendingPathComponent(document.lastPathComponent)
            try shown.standardOutput.write(to: file)
            return file.path
        } catch let stop as Stop {
            throw stop
        } catch {
            throw Stop(["--since \(ref): cannot run git (\(error.localizedDescription))"], .usage)
        }
    }

    /// The response contract when validation is on (explicitly, or by default when the document exists).
    private func contractCheck() throws(Stop) -> ContractCheck? {
        let exists = FileManager.default.fileExists(atPath: options.openAPIPath)
        switch options.openAPIValidate {
        case false?: return nil
        case nil where !exists: return nil
        case true? where !exists:
            throw Stop(["--openapi-validate: \(options.openAPIPath) does not exist (give the OpenAPI document with --openapi PATH)"], .usage)
        default: break
        }
        do {
            return ContractCheck(contract: try ResponseContract.load(options.openAPIPath), failsSteps: options.contractViolationsFail)
        } catch {
            throw Stop(["--openapi-validate: \(error.description)"], .usage)
        }
    }

    /// The quarantine list (`--quarantine`, else the nearest `quarantine.yaml`), or `nil` when there is none.
    private func quarantineList() throws(Stop) -> QuarantineList? {
        guard let path = options.quarantinePath ?? QuarantineList.locate(near: paths[0]) else { return nil }
        do {
            return try QuarantineList.read(path)
        } catch {
            throw Stop(error.diagnostics.map(\.description), .usage)
        }
    }

    /// This shard's part of `flows` (all of them without `--shard`) and a line saying which part it is.
    private func shardFlows(_ flows: [Flow]) throws(Stop) -> ([Flow], ShardNote?) {
        guard let shard = options.shard else {
            if let path = options.durationsPath, options.changedOperationsBase == nil, options.sinceRef == nil {
                throw Stop(["--durations \(path) balances shards (or tells --changed-operations what flows exercised): it needs --shard I/N"], .usage)
            }
            return (flows, nil)
        }
        let durations: FlowDurations?
        do throws(FlowShardError) {
            durations = try options.durationsPath.map { path throws(FlowShardError) in try FlowDurations(reading: path) }
        } catch {
            throw Stop([error.description], .usage)
        }
        let (mine, plan) = ShardPlanner().flows(flows, of: shard, durations: durations)
        let files = plan.shards[shard.index - 1].suites.count
        let total = plan.shards.reduce(0) { $0 + $1.suites.count }
        var unit = plan.basis == .durations ? "ms from \(options.durationsPath ?? "")" : "steps"
        if plan.basis == .steps, let path = options.durationsPath {
            // Suite names are relative to the folder given to run: a file from a run of another folder matches none.
            unit += " (none of the selected files is in \(path): was it written by a run of the same folder?)"
        }
        let note =
            "shard \(shard): \(mine.count) flow\(mine.count == 1 ? "" : "s") from \(files) of \(total) files, weight "
            + "\(Int(plan.shards[shard.index - 1].weight.rounded())) of \(Int(plan.shards.reduce(0) { $0 + $1.weight }.rounded())) \(unit)"
        return (mine, ShardNote(line: note, fingerprint: plan.fingerprint))
    }

    /// What `--shard` chose: the line printed before the run and the plan's fingerprint (``RunReport/shardPlan``).
    struct ShardNote {
        var line: String
        var fingerprint: String
    }

    /// The target `--target` names, with `--base-url` applied, and its base URL when it is remote.
    private func resolvedTarget() throws(Stop) -> (Target, URL?) {
        var selected: Target
        do {
            selected = try TargetSelection.resolve(
                target, targetsFile: targetsFile, searchStart: paths[0], environment: environment, baseURLGiven: baseURLOverride != nil,
                embeddedService: embeddedService)
        } catch {
            throw Stop([error.description], .usage)
        }
        switch (selected.kind, baseURLOverride) {
        case (.embedded, let override?):
            throw Stop(
                ["--base-url \(override): target '\(selected.name)' is embedded (it starts its own server); use a target with a base URL, e.g. --target ci"],
                .usage)
        case (.remote, let override?):
            guard let url = URL(string: override), url.scheme == "http" || url.scheme == "https", url.host != nil else {
                throw Stop(["--base-url must be an http:// or https:// URL, not '\(override)'"], .usage)
            }
            selected.kind = .remote(url)
            return (selected, url)
        case (.remote(let url), nil):
            return (selected, url)
        case (.embedded, nil):
            guard embeddedService != nil else { throw Stop([FlowValidateCommand.noEmbeddedService(selected.name)], .usage) }
            return (selected, nil)
        }
    }

    /// The target's variables evaluated in order, `--var` values over them; a `--var` that overrides a secret
    /// variable is as secret as the value it replaces (added to the target's secrets).
    private func variables(of selected: inout Target) throws(Stop) -> [String: JSONValue] {
        var targetVars: [String: JSONValue] = [:]
        for variable in selected.vars {
            do {
                if let override = options.variables[variable.name] {
                    targetVars[variable.name] = override
                } else {
                    targetVars[variable.name] = try variable.value.evaluate(in: TemplateScope(layers: [targetVars]))
                }
            } catch {
                throw Stop(["target '\(selected.name)' variable '\(variable.name)': \(error)"], .usage)
            }
        }
        for (name, value) in options.variables where selected.secretVariableNames.contains(name) {
            selected.secrets.append(value.interpolationText)
        }
        for (name, value) in options.variables where targetVars[name] == nil { targetVars[name] = value }
        return targetVars
    }

    /// Lints the flows against what the target defines; a bare URL target that lacks what a named target defines
    /// gets one line saying so instead of a problem per use.
    private func lint(_ flows: [Flow], for selected: Target) throws(Stop) {
        let linter = FlowLinter(
            targetVariables: Set(selected.vars.map(\.name)).union(options.variables.keys), targetActors: Set(selected.actors.map(\.name)))
        let problems = linter.lint(flows)
        guard !problems.isEmpty else { return }
        if selected.name == target, selected.vars.isEmpty, selected.actors.isEmpty,
            let summary = TargetSelection.bareURLProblem(
                problems, url: target, targetsFile: targetsFile, searchStart: paths[0], embeddedService: embeddedService)
        {
            throw Stop([summary + "; nothing was run"], .usage)
        }
        let count = "\(problems.count) problem\(problems.count == 1 ? "" : "s") in the flow files; nothing was run"
        throw Stop(problems.map(\.description) + [count], .usage)
    }

    /// The target, ready: an embedded service started (its log in `server.log`), or a remote one that answers
    /// `/health/ready` with 200.
    struct TargetSession: Sendable {
        var baseURL: URL
        var service: (any EmbeddedService)?
        var serverLog: ServerLogFile?

        /// Variables the service adds to the target's (a gateway double's checkout URL and webhook secret).
        var variables: [String: JSONValue] { service?.variables ?? [:] }

        func close() async {
            await service?.stop()
            serverLog?.close()
        }
    }

    func open(_ plan: RunPlan, reportFolder: URL) async -> Result<TargetSession, Stop> {
        var session: TargetSession
        if let url = plan.remoteURL {
            session = TargetSession(baseURL: url)
        } else {
            switch await startEmbedded(plan, reportFolder: reportFolder) {
            case .success(let started): session = started
            case .failure(let stop): return .failure(stop)
            }
        }
        if let problem = await Self.readinessProblem(of: session.baseURL, client: makeClient()) {
            await session.close()
            return .failure(Stop(["target '\(plan.target.name)' (\(session.baseURL.absoluteString)) \(problem); nothing was run"], .targetUnavailable))
        }
        return .success(session)
    }

    /// Starts the embedded service of `plan`'s target, logging to `server.log` in the report folder (or to
    /// ``serverLogger``).
    private func startEmbedded(_ plan: RunPlan, reportFolder: URL) async -> Result<TargetSession, Stop> {
        guard let provider = embeddedService, case .embedded(let fixtures) = plan.target.kind else {
            return .failure(Stop([FlowValidateCommand.noEmbeddedService(plan.target.name)], .usage))
        }
        var logFile: ServerLogFile?
        let makeLogger: @Sendable (String) -> Logger
        if let serverLogger {
            makeLogger = { _ in serverLogger }
        } else {
            do {
                let file = try ServerLogFile(
                    url: reportFolder.appendingPathComponent(ReportDirectory.serverLogFileName), masker: SecretMasker(secrets: plan.target.secrets))
                logFile = file
                makeLogger = { label in file.logger(label: label) }
            } catch {
                return .failure(Stop(["cannot write \(ReportDirectory.serverLogFileName) to \(reportDirectory): \(error.localizedDescription)"], .usage))
            }
        }
        let options = EmbeddedServiceOptions(
            fixtures: fixtures.map { URL(fileURLWithPath: $0, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) },
            environment: plan.target.serverEnvironment, paymentGatewayDouble: plan.target.razorpayDouble, makeLogger: makeLogger)
        do {
            let service = try await provider.start(options)
            return .success(TargetSession(baseURL: service.baseURL, service: service, serverLog: logFile))
        } catch {
            logFile?.close()
            return .failure(Stop(["cannot start the embedded server for target '\(plan.target.name)': \(error)"], .failed))
        }
    }

    /// The run's report and the signal that interrupted it, if any.
    struct ScheduleOutcome {
        var report: RunReport
        var interruptedBy: String?
    }

    /// Runs the flows with the scheduler, printing each as it finishes. On the first `SIGINT`/`SIGTERM` no new flow
    /// starts (teardown still runs); on a second one the reports are written from the flows finished so far, the rest
    /// marked as not run, before the process exits.
    func schedule(_ plan: RunPlan, session: TargetSession, reporter: ConsoleReporter, directory: URL) async -> ScheduleOutcome {
        var runner = FlowRunner(
            baseURL: session.baseURL, targetVars: plan.targetVars.merging(session.variables) { _, session in session },
            targetActors: plan.target.actors, makeClient: makeClient)
        runner.secrets = plan.target.secrets + (session.service?.secrets ?? [])
        runner.contractCheck = plan.contractCheck
        if options.liveProgress { runner.onStepStart = { flow, step in reporter.progress(flow: flow, step: step) } }
        let startedAt = Date()
        let start = ContinuousClock.now
        let masker = SecretMasker(secrets: plan.target.secrets)
        reporter.begin(count: plan.flows.count)
        let scheduler = FlowScheduler(jobs: options.jobs, failFast: options.failFast, retries: options.retries)
        let flowsToRun = plan.flows
        let finished = FinishedFlows()
        let runTask = Task {
            await scheduler.run(flowsToRun, with: runner) { result in
                let masked = masker.mask(result)
                finished.append(masked)
                reporter.finished(masked)
            }.map(masker.mask)
        }
        let targetName = plan.target.name
        let baseURL = session.baseURL.absoluteString
        var signals: InterruptSignals?
        if options.handleSignals {
            signals = await InterruptSignals(
                onInterrupt: { _ in runTask.cancel() },
                onSecondSignal: { name in
                    // Quitting at once: the reports still say what ran and that the rest did not.
                    var report = RunReport(
                        target: targetName, startedAt: startedAt, duration: start.duration(to: .now),
                        results: finished.completed(of: flowsToRun, reason: "not run: a second \(name) stopped the run at once"))
                    report.baseURL = baseURL
                    report.interruption = "a second \(name) stopped the run at once; \(report.skippedCount) flows not run or not finished"
                    _ = try? ReportDirectory.write(report, to: directory)
                })
        }
        let results = await runTask.value
        signals?.restore()
        var report = RunReport(target: plan.target.name, startedAt: startedAt, duration: start.duration(to: .now), results: results)
        if let signal = signals?.signalName {
            let notStarted = results.count { $0.failure?.kind == .cancelled }
            let interrupted = results.count { $0.failure?.kind == .interrupted }
            report.interruption = "\(signal) received; \(notStarted) flow\(notStarted == 1 ? "" : "s") not started, \(interrupted) interrupted"
        } else if options.failFast, report.skippedCount > 0 {
            report.interruption = "--fail-fast after a failure; \(report.skippedCount) flows not run"
        }
        return ScheduleOutcome(report: report, interruptedBy: signals?.signalName)
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

/// The results of the flows finished so far, for the report a second signal writes.
final class FinishedFlows: Sendable {
    private let results = Mutex<[FlowResult]>([])

    func append(_ result: FlowResult) {
        results.withLock { $0.append(result) }
    }

    /// The finished results in run order, then every other flow of `flows` as skipped with `reason`.
    func completed(of flows: [Flow], reason: String) -> [FlowResult] {
        let done = results.withLock { $0 }
        let names = Set(done.map(\.name))
        let rest = flows.filter { !names.contains($0.name) }.map { flow in
            FlowResult(
                name: flow.name, source: flow.source, status: .skipped, steps: [], startedAt: Date(), duration: .zero,
                failure: FlowResult.Failure(step: "", summary: reason, details: reason, kind: .cancelled))
        }
        return done + rest
    }
}
