import ArgumentParser
import BuildInfo
import CoverageGate
import FlowCommands
import FlowCore
import FlowRuntime
import Foundation
import LocalTarget

/// `illajwala-flows`: runs declarative API journeys (flow files) against a target and writes reports.
@main
struct IllajwalaFlows: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "illajwala-flows",
        abstract: "Run declarative API journeys (flow files) against a target; check code coverage.",
        version: BuildInfo.versionLine(program: "illajwala-flows"),
        subcommands: [Run.self, MergeReports.self, Load.self, List.self, Validate.self, JSONPath.self, Coverage.self],
        defaultSubcommand: Run.self
    )

    /// Parses and runs like the default entry point, but reports command-line usage errors with exit status 2
    /// (the flow runner's documented usage status) instead of ArgumentParser's 64.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == .validationFailure {
                Console.standardError(fullMessage(for: error))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}

/// Where the subcommands write: lines to standard output, one diagnostic per call to standard error.
enum Console {
    /// Written at once, unbuffered: progress lines reach a pipe (a CI log) as they are printed, not when a buffer
    /// fills or the process ends (or never, when it is killed).
    static let standardOutput: @Sendable (String) -> Void = { FileHandle.standardOutput.write(Data(($0 + "\n").utf8)) }
    static let standardError: @Sendable (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }

    /// Exits with `status` unless it is 0.
    static func finish(_ status: FlowRunCommand.ExitStatus) throws {
        if status != .passed { throw ExitCode(status.rawValue) }
    }

    /// Exits with `status` unless it is 0.
    static func finish(_ status: CoverageCommand.ExitStatus) throws {
        if status != .passed { throw ExitCode(status.rawValue) }
    }

    /// Exits with `status` unless it is 0.
    static func finish(_ status: MergeReportsCommand.ExitStatus) throws {
        if status != .passed { throw ExitCode(status.rawValue) }
    }
}

extension IllajwalaFlows {
    /// `run [PATH ...] [--target NAME|URL] [--report-dir DIR] [--targets-file FILE] [--jobs N] [--tag T] [--skip-tag T]
    /// [--name TEXT] [--fail-fast] [--var K=V] [--retries N] [--no-flaky] [--verbose|--quiet] [--openapi PATH]
    /// [--min-api-coverage PERCENT] [--shard I/N [--durations FLOWS_JSON]]`.
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Run flows; exit 0 when all pass, 1 when any fails, 2 on flow-file or usage errors, 3 when the target is not ready, 130 when interrupted.",
            discussion: """
                Writes junit.xml, summary.md, flows.json and report.html to the report folder, and api-coverage.json and \
                api-coverage.md when the OpenAPI document exists (see docs/flow-reports.md). API coverage counts the operations \
                of the whole document, whatever flows the filters select; --min-api-coverage makes a run below it exit 1.
                """)

        @Argument(help: "Flow files or folders (default: Flows/).")
        var paths: [String] = []

        @Option(name: [.short, .long], help: "Target name from targets.yaml, or an http(s):// base URL.")
        var target: String = "local"

        @Option(
            name: .customLong("base-url"),
            help: ArgumentHelp(
                "Base URL for the named target (its variables and actors stay), e.g. --target ci --base-url http://127.0.0.1:9090 (env ILLAJWALA_FLOWS_BASE_URL).",
                valueName: "url"))
        var baseURL: String?

        @Option(
            name: .customLong("report-dir"),
            help: "Folder for junit.xml, summary.md, flows.json, report.html, api-coverage.json and api-coverage.md.")
        var reportDir: String = "reports/"

        @Option(name: .customLong("targets-file"), help: "targets.yaml to use (default: nearest one at or above the first path).")
        var targetsFile: String?

        @Option(name: [.short, .long], help: "Flows run at the same time (1-64).")
        var jobs: Int = 1

        @Option(name: .customLong("tag"), help: "Run only flows with this tag (repeatable: any of them).")
        var tags: [String] = []

        @Option(name: .customLong("skip-tag"), help: "Do not run flows with this tag (repeatable).")
        var skipTags: [String] = []

        @Option(name: .customLong("name"), help: "Run only flows whose name contains this text, case-insensitive (repeatable).")
        var names: [String] = []

        @Flag(name: .customLong("fail-fast"), help: "Start no further flow after the first failure; the rest are reported as skipped.")
        var failFast = false

        @Option(
            name: .customLong("var"),
            help: ArgumentHelp(
                "Set or override a target variable (repeatable): name=value for a string, name:=JSON for a typed value (numbers kept exactly).",
                valueName: "name=value"))
        var variables: [String] = []

        @Option(help: "Run a failed flow again up to N times (0-10); one that then passes is reported as flaky.")
        var retries: Int = 0

        @Flag(name: .customLong("no-flaky"), help: "Fail the run (exit 1) when any flow passed only on a retry.")
        var noFlaky = false

        @Flag(name: [.short, .long], help: "Print every request and response.")
        var verbose = false

        @Flag(name: [.short, .long], help: "Print only failures and the final tally.")
        var quiet = false

        @Option(
            name: .customLong("openapi"),
            help: ArgumentHelp("OpenAPI document for API coverage (skipped with a note when it does not exist).", valueName: "path"))
        var openAPI: String = "openapi.yaml"

        @Option(
            name: .customLong("min-api-coverage"),
            help: ArgumentHelp("Exit 1 when fewer than this percentage (0-100) of the document's operations were exercised.", valueName: "percent"))
        var minimumAPICoverage: Double?

        @Option(
            help: ArgumentHelp(
                "Run only the I-th of N shards of the selected flows (e.g. 2/4); every flow file lands in exactly one shard, the same on every machine.",
                valueName: "I/N"))
        var shard: String?

        @Option(
            help: ArgumentHelp(
                "An earlier run's flows.json: shards balance by its durations (files missing from it weigh the median) instead of step counts.",
                valueName: "path"))
        var durations: String?

        @Option(
            name: .customLong("run-id"),
            help: ArgumentHelp(
                "The CI run these reports belong to, recorded in flows.json; merge-reports joins only shards of one run (env ILLAJWALA_FLOWS_RUN_ID).",
                valueName: "id"))
        var runID: String?

        @Option(
            help: ArgumentHelp(
                "Quarantine list (default: the nearest quarantine.yaml at or above the first path): its flows' failures are reported, not failing the run.",
                valueName: "path"))
        var quarantine: String?

        @Option(
            name: .customLong("changed-operations"),
            help: ArgumentHelp(
                "An earlier OpenAPI document: run only flows that exercised (per --history or --durations) an operation whose definition changed since, and new flows.",
                valueName: "path"))
        var changedOperations: String?

        @Option(
            help: ArgumentHelp("As --changed-operations, with openapi.yaml as it was at this git revision (e.g. origin/main).", valueName: "git-ref"))
        var since: String?

        @Flag(
            name: .customLong("openapi-validate"), inversion: .prefixedNo,
            help: "Check every response against the OpenAPI document (status, content type, schema, required headers); on by default when it exists.")
        var openAPIValidate: Bool?

        @Option(
            name: .customLong("contract-violations"),
            help: ArgumentHelp("fail (default: a contract violation fails its step) or warn (reported only).", valueName: "fail|warn"))
        var contractViolations: String = "fail"

        @Option(
            help: ArgumentHelp(
                "Folder of earlier runs' flows.json files (or report folders): the summary lists the flakiest flows and quarantined flows ready to leave.",
                valueName: "dir"))
        var history: String?

        func validate() throws {
            if verbose && quiet { throw ValidationError("--verbose and --quiet cannot be combined") }
            _ = try Self.parseVariables(variables)
            if let runID, runID.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--run-id must not be empty") }
            if let since, since.isEmpty || since.hasPrefix("-") {
                throw ValidationError("--since expects a git revision (a branch, tag or commit such as origin/main), not '\(since)'")
            }
            guard ["fail", "warn"].contains(contractViolations) else {
                throw ValidationError("--contract-violations must be fail or warn, not '\(contractViolations)'")
            }
            if let shard {
                do throws(FlowShardError) {
                    _ = try FlowShard(parsing: shard)
                } catch {
                    throw ValidationError("--shard: \(error.description)")
                }
            }
        }

        /// `name=value` as a string, `name:=json` as the JSON value it spells.
        static func parseVariables(_ assignments: [String]) throws -> [String: JSONValue] {
            var values: [String: JSONValue] = [:]
            for assignment in assignments {
                guard let equals = assignment.firstIndex(of: "="), equals != assignment.startIndex else {
                    throw ValidationError("--var expects name=value or name:=JSON, got '\(assignment)'")
                }
                var name = String(assignment[..<equals])
                let text = String(assignment[assignment.index(after: equals)...])
                if name.hasSuffix(":") {
                    name.removeLast()
                    guard !name.isEmpty else { throw ValidationError("--var expects name:=JSON, got '\(assignment)'") }
                    do {
                        values[name] = try JSONValue(parsing: text)
                    } catch {
                        throw ValidationError("--var \(name):=… is not JSON (\(error)); use \(name)=… for a string")
                    }
                } else {
                    values[name] = .string(text)
                }
            }
            return values
        }

        func run() async throws {
            let values = try Self.parseVariables(variables)
            var options = FlowRunCommand.Options(
                filter: FlowFilter(tags: tags, skipTags: skipTags, names: names), jobs: jobs, failFast: failFast, variables: values,
                openAPIPath: openAPI, minimumAPICoverage: minimumAPICoverage)
            options.retries = retries
            options.noFlaky = noFlaky
            options.shard = try shard.map { try FlowShard(parsing: $0) }
            options.durationsPath = durations
            options.quarantinePath = quarantine
            options.historyPath = history
            options.openAPIValidate = openAPIValidate
            options.changedOperationsBase = changedOperations
            options.sinceRef = since
            options.contractViolationsFail = contractViolations == "fail"
            options.runID = (runID ?? ProcessInfo.processInfo.environment["ILLAJWALA_FLOWS_RUN_ID"]).flatMap { $0.isEmpty ? nil : $0 }
            options.verbosity = verbose ? .verbose : (quiet ? .quiet : .normal)
            options.liveProgress = ConsoleReporter.standardOutputIsInteractive()
            options.handleSignals = true
            var command = FlowRunCommand(
                paths: paths, target: target, reportDirectory: reportDir, targetsFile: targetsFile, options: options,
                embeddedService: BookingServiceProvider())
            command.baseURLOverride = baseURL ?? ProcessInfo.processInfo.environment["ILLAJWALA_FLOWS_BASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
            try Console.finish(await command.execute(standardOutput: Console.standardOutput, standardError: Console.standardError))
        }
    }
}

extension IllajwalaFlows {
    /// `load [PATH ...] [--scenario FILE] [--flow SEL[=WEIGHT]]… [--rate R --duration D | --users N --duration D] [--threshold T]…`.
    struct Load: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run flows as a load test; exit 0 when every threshold holds, 1 when one breaks, 2 on usage errors, 3 when the target is not ready.",
            discussion: """
                The same flow files, targets and actors as `run`. The open model (--rate) starts journeys at a fixed \
                arrival rate whatever the server does, timing each from its intended start (no coordinated omission); \
                --users runs a closed model. Actors log in once and share their sessions; a flow's setup runs once per \
                test unless the scenario says per-iteration. Every test is bounded (--duration, --max-requests) and only \
                targets on 127.0.0.0/8 or localhost are loaded without --allow-remote. Writes load.json, \
                load-summary.md, load-report.html and load-junit.xml (see docs/load-testing.md).
                """)

        @Argument(help: "Flow files or folders (default: Flows/).")
        var paths: [String] = []

        @Option(name: .long, help: ArgumentHelp("Scenario file (YAML): flows and weights, arrival or users, thresholds.", valueName: "file"))
        var scenario: String?

        @Option(name: [.short, .long], help: "Target name from targets.yaml, or an http(s):// base URL.")
        var target: String = "local"

        @Option(name: .customLong("base-url"), help: ArgumentHelp("Base URL for the named target.", valueName: "url"))
        var baseURL: String?

        @Option(name: .customLong("targets-file"), help: "targets.yaml to use (default: nearest one at or above the first path).")
        var targetsFile: String?

        @Option(name: .customLong("report-dir"), help: "Folder for load.json, load-summary.md, load-report.html and load-junit.xml.")
        var reportDir: String = "reports/"

        @Option(
            name: .customLong("flow"),
            help: ArgumentHelp("A flow of the mix: file under the flow folder or name, optional =WEIGHT (repeatable).", valueName: "sel[=weight]"))
        var flows: [String] = []

        @Option(help: ArgumentHelp("Open model: journeys started per second, e.g. 20/s.", valueName: "rate"))
        var rate: String?

        @Option(help: ArgumentHelp("How long journeys keep starting, e.g. 30s or 2m (at most 1h).", valueName: "duration"))
        var duration: String?

        @Option(help: "Closed model: this many virtual users, each running journeys back to back.")
        var users: Int?

        @Option(name: .customLong("think-time"), help: ArgumentHelp("Closed model: pause between a user's journeys, e.g. 500ms.", valueName: "duration"))
        var thinkTime: String?

        @Option(
            name: .customLong("threshold"),
            help: ArgumentHelp("An SLO that gates, e.g. 'p95<500ms', 'POST /api/appointments: p99<300ms', 'errors<0.1%' (repeatable).", valueName: "slo"))
        var thresholds: [String] = []

        @Option(name: .customLong("max-requests"), help: "Stop starting journeys after this many requests (default 100000).")
        var maxRequests: Int?

        @Option(name: .customLong("max-in-flight"), help: "Most journeys in flight at once (default 256); a late arrival is timed from its intended start.")
        var maxInFlight: Int?

        @Option(help: ArgumentHelp("How often flow setup runs: per-test, per-user or per-iteration.", valueName: "mode"))
        var setup: String?

        @Option(help: "Seed of the flow mix, for a reproducible order.")
        var seed: UInt64?

        @Flag(name: .customLong("allow-remote"), help: "Allow a target that is not on this machine (never load a shared environment by accident).")
        var allowRemote = false

        @Option(help: ArgumentHelp("HTTP client generating the load: pooled (AsyncHTTPClient, default) or urlsession.", valueName: "client"))
        var transport: String = "pooled"

        @Option(help: "Connections the pooled client keeps to the target (1-1024, default 64).")
        var connections: Int?

        @Option(name: .customLong("openapi"), help: ArgumentHelp("OpenAPI document requests are grouped by (by path when missing).", valueName: "path"))
        var openAPI: String = "openapi.yaml"

        @Option(name: .customLong("var"), help: ArgumentHelp("Set or override a target variable (repeatable).", valueName: "name=value"))
        var variables: [String] = []

        func validate() throws {
            guard FlowLoadCommand.TransportChoice(rawValue: transport) != nil else { throw ValidationError("--transport must be pooled or urlsession") }
            if let connections, !(1...1024).contains(connections) { throw ValidationError("--connections must be 1 to 1024") }
            if connections != nil, transport == "urlsession" { throw ValidationError("--connections applies to the pooled transport, not urlsession") }
            _ = try Run.parseVariables(variables)
        }

        func run() async throws {
            var overrides = FlowLoadCommand.Overrides()
            overrides.flows = flows
            overrides.rate = rate
            overrides.duration = duration
            overrides.users = users
            overrides.thinkTime = thinkTime
            overrides.thresholds = thresholds
            overrides.maxRequests = maxRequests
            overrides.maxInFlight = maxInFlight
            overrides.setup = setup
            overrides.seed = seed
            var command = FlowLoadCommand(
                paths: paths, target: target, reportDirectory: reportDir, scenarioFile: scenario, overrides: overrides,
                embeddedService: BookingServiceProvider())
            command.targetsFile = targetsFile
            command.baseURLOverride = baseURL ?? ProcessInfo.processInfo.environment["ILLAJWALA_FLOWS_BASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
            command.allowRemote = allowRemote
            command.transport = FlowLoadCommand.TransportChoice(rawValue: transport) ?? .pooled
            command.connections = connections ?? 64
            command.openAPIPath = openAPI
            command.variables = try Run.parseVariables(variables)
            command.liveProgress = ConsoleReporter.standardOutputIsInteractive()
            command.handleSignals = true
            try Console.finish(await command.execute(standardOutput: Console.standardOutput, standardError: Console.standardError))
        }
    }
}

extension IllajwalaFlows {
    /// `merge-reports DIR… [--report-dir DIR] [--openapi PATH]`.
    struct MergeReports: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "merge-reports",
            abstract: "Merge the report folders of a run's shards (run --shard I/N) into one set of reports.",
            discussion: """
                Writes junit.xml, summary.md, flows.json, report.html, api-coverage.json and api-coverage.md as if one \
                machine had run every shard's flows. Refuses (exit 2, nothing written) folders that are not every shard of \
                one run: different targets, shard counts or run ids, a shard twice, a shard missing, a whole run. Exit 0 \
                when every merged flow passed, 1 when any failed or a shard was interrupted (see docs/ci-sharding.md).
                """)

        @Argument(help: "The shards' report folders (each holds a flows.json).")
        var folders: [String] = []

        @Option(name: .customLong("report-dir"), help: ArgumentHelp("Folder for the merged reports.", valueName: "dir"))
        var reportDir: String = "reports/"

        @Option(
            name: .customLong("openapi"),
            help: ArgumentHelp("OpenAPI document for API coverage (skipped with a note when it does not exist).", valueName: "path"))
        var openAPI: String = "openapi.yaml"

        func validate() throws {
            if folders.isEmpty { throw ValidationError("name the shards' report folders, e.g. merge-reports shard-1 shard-2 --report-dir reports") }
        }

        func run() throws {
            let command = MergeReportsCommand(folders: folders, reportDirectory: reportDir, openAPIPath: openAPI)
            try Console.finish(command.execute(standardOutput: Console.standardOutput, standardError: Console.standardError))
        }
    }
}

extension IllajwalaFlows {
    /// `coverage [--codecov-json PATH] [--thresholds FILE] [--report-dir DIR] [--sources-root DIR]`.
    struct Coverage: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sum `swift test --enable-code-coverage` data per module of Sources/ and check line-coverage thresholds.",
            discussion: """
                Writes coverage.json and coverage.md to the report folder. Exit 0 when every gated module and the total \
                meet their thresholds, 1 when any is below, 2 on a bad thresholds file, missing coverage data or bad usage.
                """)

        @Option(
            name: .customLong("codecov-json"),
            help: ArgumentHelp(
                "llvm-cov export JSON (default: the path `swift test --show-codecov-path` prints in the package root).", valueName: "path"))
        var codecovJSON: String?

        @Option(
            help: ArgumentHelp(
                "Thresholds YAML (default: coverage-thresholds.yaml in the package root; without it nothing is gated).", valueName: "file"))
        var thresholds: String?

        @Option(name: .customLong("report-dir"), help: ArgumentHelp("Folder for coverage.json and coverage.md.", valueName: "dir"))
        var reportDir: String = "reports/"

        @Option(name: .customLong("sources-root"), help: ArgumentHelp("The package root, the folder that holds Sources/.", valueName: "dir"))
        var sourcesRoot: String = "."

        func run() throws {
            let command = CoverageCommand(
                codecovJSON: codecovJSON, thresholdsFile: thresholds, reportDirectory: reportDir, sourcesRoot: sourcesRoot)
            try Console.finish(command.execute(standardOutput: Console.standardOutput, standardError: Console.standardError))
        }
    }
}

extension IllajwalaFlows {
    /// `list [PATH ...] [--tag T] [--skip-tag T] [--name TEXT]`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List flows with their tags and step counts (the same filters as run).")

        @Argument(help: "Flow files or folders (default: Flows/).")
        var paths: [String] = []

        @Option(name: .customLong("tag"), help: "Only flows with this tag (repeatable: any of them).")
        var tags: [String] = []

        @Option(name: .customLong("skip-tag"), help: "Leave out flows with this tag (repeatable).")
        var skipTags: [String] = []

        @Option(name: .customLong("name"), help: "Only flows whose name contains this text, case-insensitive (repeatable).")
        var names: [String] = []

        @Flag(help: "Print one JSON document (flows with file, name, tags, steps, skip reason) instead of lines.")
        var json = false

        func run() throws {
            var command = FlowListCommand(paths: paths, filter: FlowFilter(tags: tags, skipTags: skipTags, names: names))
            command.json = json
            try Console.finish(command.execute(standardOutput: Console.standardOutput, standardError: Console.standardError))
        }
    }

    /// `validate [PATH ...] [--target NAME|URL] [--targets-file FILE] [--var NAME ...]`.
    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Lint flow files without running them; every problem as FILE:LINE:COL: message; exit 0 or 2.")

        @Argument(help: "Flow files or folders (default: Flows/).")
        var paths: [String] = []

        @Option(name: [.short, .long], help: "Target whose variables the flows may use.")
        var target: String = "local"

        @Option(name: .customLong("targets-file"), help: "targets.yaml to use (default: nearest one at or above the first path).")
        var targetsFile: String?

        @Option(name: .customLong("var"), help: ArgumentHelp("A variable that run will receive with --var (repeatable).", valueName: "name[=value]"))
        var variables: [String] = []

        func run() throws {
            let names = Set(
                variables.map { assignment in
                    let name = assignment.split(separator: "=", maxSplits: 1).first.map(String.init) ?? ""
                    return name.hasSuffix(":") ? String(name.dropLast()) : name
                })
            let command = FlowValidateCommand(
                paths: paths, target: target, targetsFile: targetsFile, extraVariables: names, embeddedService: BookingServiceProvider())
            try Console.finish(command.execute(standardOutput: Console.standardOutput, standardError: Console.standardError))
        }
    }
}

extension IllajwalaFlows {
    /// `jsonpath EXPR [FILE|-] [--paths]`.
    struct JSONPath: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "jsonpath",
            abstract: "Print the nodes an RFC 9535 JSONPath selects in a JSON document, one per line; exit 0, 1 when none, 2 on errors.")

        @Argument(help: "The selector, e.g. '$.data[?@.status == \"confirmed\"].id'.")
        var expression: String

        @Argument(help: "The JSON file, or - for standard input.")
        var file: String = "-"

        @Flag(help: "Print the Normalized Path of each node (RFC 9535 §2.7, e.g. $['data'][0]['id']) instead of its value.")
        var paths = false

        func run() throws {
            try Console.finish(
                JSONPathCommand(expression: expression, file: file, printsPaths: paths).execute(
                    readStandardInput: { FileHandle.standardInput.readDataToEndOfFile() },
                    standardOutput: Console.standardOutput, standardError: Console.standardError))
        }
    }
}
