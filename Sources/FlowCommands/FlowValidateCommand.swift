import FlowCore
import FlowRuntime
import Foundation

/// `illajwala-flows validate`: lints every flow file without sending a request — parse errors (unknown keys
/// with a did-you-mean, wrong types, bad predicates, bad JSONPath and templates), variables used before they
/// are defined for the chosen target, flow names used twice, and the quarantine list (the nearest `quarantine.yaml`:
/// its shape, entries past their expiry, entries naming no flow). Every problem is printed as `FILE:LINE:COL: message`
/// (a quarantine entry as `FILE:LINE: message`), not only the first.
///
/// Exit statuses: 0 no problem; 2 any problem (the same status `run` gives a malformed flow file).
public struct FlowValidateCommand: Sendable {
    /// Flow files or folders (default `Flows/`).
    public var paths: [String]
    /// Target whose variables the flows may use (default `local`).
    public var target: String
    /// Explicit `targets.yaml`; by default the nearest one at or above the first path.
    public var targetsFile: String?
    /// Names given with `--var` (defined for every flow).
    public var extraVariables: Set<String>
    /// Checks the `server:` variables of embedded targets (the executable's `local` service).
    public var embeddedService: (any EmbeddedServiceProvider)?
    /// The day quarantine entries are checked against (`YYYY-MM-DD`, UTC; tests set it).
    public var today: String = QuarantineList.today()

    /// Creates the command; see the properties.
    public init(
        paths: [String] = ["Flows/"], target: String = "local", targetsFile: String? = nil, extraVariables: Set<String> = [],
        embeddedService: (any EmbeddedServiceProvider)? = nil
    ) {
        self.embeddedService = embeddedService
        self.paths = paths.isEmpty ? ["Flows/"] : paths
        self.target = target
        self.targetsFile = targetsFile
        self.extraVariables = extraVariables
    }

    /// Why an embedded target cannot be used here: no service was plugged into this runner.
    static func noEmbeddedService(_ target: String) -> String {
        "target '\(target)' is embedded, but this runner has no embedded service to start; give a target with a base URL"
    }

    /// Runs the lint.
    /// - Parameters:
    ///   - standardOutput: the final line (`N flows in N files: no problems` or `N problems`).
    ///   - standardError: one `FILE:LINE:COL: message` per problem.
    /// - Returns: the exit status (`.passed` or `.usage`).
    public func execute(standardOutput: (String) -> Void, standardError: (String) -> Void) -> FlowRunCommand.ExitStatus {
        let (flows, parseDiagnostics) = FlowLoader.loadAll(paths: paths)
        var diagnostics = parseDiagnostics
        let selected: Target
        do {
            selected = try TargetSelection.resolve(target, targetsFile: targetsFile, searchStart: paths[0], embeddedService: embeddedService)
        } catch {
            standardError(error.description)
            return .usage
        }
        if case .embedded = selected.kind, embeddedService == nil {
            standardError(Self.noEmbeddedService(selected.name))
            return .usage
        }
        let variables = Set(selected.vars.map(\.name)).union(extraVariables)
        let lint = FlowLinter(targetVariables: variables, targetActors: Set(selected.actors.map(\.name))).lint(flows)
        if selected.name == target, selected.vars.isEmpty, selected.actors.isEmpty, !lint.isEmpty,
            let summary = TargetSelection.bareURLProblem(
                lint, url: target, targetsFile: targetsFile, searchStart: paths[0], embeddedService: embeddedService)
        {
            // A bare URL target: one line about what it lacks instead of every use (as `run` says it).
            for diagnostic in diagnostics { standardError(diagnostic.description) }
            standardError(summary)
            standardOutput("\(diagnostics.count + 1) problem\(diagnostics.isEmpty ? "" : "s")")
            return .usage
        }
        diagnostics += lint
        for diagnostic in diagnostics { standardError(diagnostic.description) }
        let quarantineProblems = self.quarantineProblems(flows)
        for problem in quarantineProblems { standardError(problem) }
        if !quarantineProblems.isEmpty {
            let count = diagnostics.count + quarantineProblems.count
            standardOutput("\(count) problem\(count == 1 ? "" : "s")")
            return .usage
        }
        if diagnostics.isEmpty && flows.isEmpty {
            standardError("no flow files found in \(paths.joined(separator: ", "))")
            return .usage
        }
        if diagnostics.isEmpty {
            let steps = flows.reduce(0) { $0 + $1.allSteps.count }
            standardOutput("\(flows.count) flows, \(steps) steps: no problems (target '\(selected.name)')")
            return .passed
        }
        standardOutput("\(diagnostics.count) problem\(diagnostics.count == 1 ? "" : "s")")
        return .usage
    }

    /// The quarantine list's problems: its shape, expired entries, entries that name no loaded flow.
    func quarantineProblems(_ flows: [Flow]) -> [String] {
        guard let path = QuarantineList.locate(near: paths[0]) else { return [] }
        let list: QuarantineList
        do {
            list = try QuarantineList.read(path)
        } catch {
            return error.diagnostics.map(\.description)
        }
        return list.expiredProblems(today: today)
            + list.unmatched(by: flows).map { entry in
                "\(path):\(entry.line): the quarantine entry '\(entry.name)' in \(entry.file) names no flow (renamed or removed?)"
            }
    }
}
