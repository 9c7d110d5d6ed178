import FlowCore
import FlowRuntime
import Foundation

/// `illajwala-flows list`: the flows a run would select, one line each — file, name, tags and step count —
/// so a QA engineer sees what `--tag`/`--name` pick before running anything.
///
/// Exit statuses: 0 listed; 2 malformed flow files or nothing selected.
public struct FlowListCommand: Sendable {
    /// Flow files or folders (default `Flows/`).
    public var paths: [String]
    /// Which flows to list.
    public var filter: FlowFilter
    /// `--json`: one JSON document instead of lines (see ``execute(standardOutput:standardError:)``).
    public var json = false

    /// Creates the command; see the properties.
    public init(paths: [String] = ["Flows/"], filter: FlowFilter = FlowFilter()) {
        self.paths = paths.isEmpty ? ["Flows/"] : paths
        self.filter = filter
    }

    /// Prints `suite  name  [tags]  N steps` per selected flow, then `N flows, N steps`; with ``json``, one document
    /// `{"flows": [{"file", "name", "tags", "steps", "skip"?}], "flowCount", "stepCount"}`.
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
        if json {
            let entries: [JSONValue] = flows.map { flow in
                var entry: [String: JSONValue] = [
                    "file": .string(flow.source.suiteName), "name": .string(flow.name), "tags": .array(flow.tags.map(JSONValue.string)),
                    "steps": .number(flow.allSteps.count),
                ]
                if let reason = flow.skipReason { entry["skip"] = .string(reason) }
                return .object(entry)
            }
            let document: JSONValue = [
                "flows": .array(entries), "flowCount": .number(flows.count), "stepCount": .number(flows.reduce(0) { $0 + $1.allSteps.count }),
            ]
            standardOutput(document.compactJSON)
            return .passed
        }
        for flow in flows {
            standardOutput(
                "\(flow.source.suiteName)  \(flow.name)  [\(flow.tags.joined(separator: ", "))]  \(flow.allSteps.count) step\(flow.allSteps.count == 1 ? "" : "s")\(flow.skipReason.map { "  (skipped: \($0))" } ?? "")"
            )
        }
        standardOutput("\(flows.count) flows, \(flows.reduce(0) { $0 + $1.allSteps.count }) steps")
        return .passed
    }
}
