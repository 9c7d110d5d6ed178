/// `illajwala-flows list`: the flows a run would select, one line each — file, name, tags and step count —
/// so a QA engineer sees what `--tag`/`--name` pick before running anything.
///
/// Exit statuses: 0 listed; 2 malformed flow files or nothing selected.
public struct FlowListCommand: Sendable {
    /// Flow files or folders (default `Flows/`).
    public var paths: [String]
    /// Which flows to list.
    public var filter: FlowFilter

    /// Creates the command; see the properties.
    public init(paths: [String] = ["Flows/"], filter: FlowFilter = FlowFilter()) {
        self.paths = paths.isEmpty ? ["Flows/"] : paths
        self.filter = filter
    }

    /// Prints `suite  name  [tags]  N steps` per selected flow, then `N flows, N steps`.
    public func execute(standardOutput: (String) -> Void, standardError: (String) -> Void) -> FlowRunCommand.ExitStatus {
        let flows: [Flow]
        do {
            flows = try FlowLoader.load(paths: paths).filter(filter.selects)
        } catch {
            for diagnostic in error.diagnostics { standardError(diagnostic.description) }
            return .usage
        }
        guard !flows.isEmpty else {
            standardError(filter.isEmpty ? "no flow files found in \(paths.joined(separator: ", "))" : "no flow matches the filters")
            return .usage
        }
        for flow in flows {
            standardOutput("\(flow.source.suiteName)  \(flow.name)  [\(flow.tags.joined(separator: ", "))]  \(flow.allSteps.count) step\(flow.allSteps.count == 1 ? "" : "s")\(flow.skipReason.map { "  (skipped: \($0))" } ?? "")")
        }
        standardOutput("\(flows.count) flows, \(flows.reduce(0) { $0 + $1.allSteps.count }) steps")
        return .passed
    }
}
