/// Checks loaded flows for mistakes the parser cannot see alone: variables used before anything defines
/// them (target variables, flow `vars`, step `vars`, captures of earlier steps — setup, then steps, then
/// teardown), actors (`as:`) that neither the flow nor the target defines, and flow names used twice.
/// Every problem is reported once, as a ``FlowDiagnostic`` at the step (or flow file) it concerns.
public struct FlowLinter: Sendable {
    /// Names the target defines (its `vars`, plus `--var` names).
    public var targetVariables: Set<String>
    /// Actors the target defines (`actors:` in targets.yaml).
    public var targetActors: Set<String>

    /// Creates a linter for flows run against a target defining `targetVariables` and `targetActors`.
    public init(targetVariables: Set<String>, targetActors: Set<String> = []) {
        self.targetVariables = targetVariables
        self.targetActors = targetActors
    }

    /// Every problem in `flows`, in file and step order.
    public func lint(_ flows: [Flow]) -> [FlowDiagnostic] {
        var diagnostics: [FlowDiagnostic] = []
        var firstFileOfName: [String: String] = [:]
        for flow in flows {
            if let earlier = firstFileOfName[flow.name], earlier != flow.source.path {
                diagnostics.append(
                    FlowDiagnostic(
                        location: SourceLocation(file: flow.source.path, line: 1, column: 1),
                        message: "flow name '\(flow.name)' is also used by \(earlier); reports need unique names"))
            } else if firstFileOfName[flow.name] == nil {
                firstFileOfName[flow.name] = flow.source.path
            }
            diagnostics += lint(flow)
        }
        var seen = Set<FlowDiagnostic>()
        return diagnostics.filter { seen.insert($0).inserted }
    }

    private func lint(_ flow: Flow) -> [FlowDiagnostic] {
        var diagnostics: [FlowDiagnostic] = []
        var known = targetVariables
        let flowLocation = flow.steps.first?.location ?? SourceLocation(file: flow.source.path, line: 1, column: 1)
        for variable in flow.vars {
            for name in variable.value.variableRoots.subtracting(known).sorted() {
                diagnostics.append(
                    FlowDiagnostic(
                        location: SourceLocation(file: flowLocation.file, line: 1, column: 1),
                        message: "flow variable '\(variable.name)' uses undefined variable '\(name)'\(Self.suggestion(for: name, among: known))",
                        undefinedName: .variable(name)))
            }
            known.insert(variable.name)
        }
        let actors = targetActors.union(flow.actors.map(\.name))
        for actor in flow.actors {
            for name in actor.variableRoots.subtracting(known).subtracting(flow.allSteps.flatMap { $0.captures.map(\.name) }).sorted() {
                diagnostics.append(
                    FlowDiagnostic(
                        location: actor.location,
                        message: "actor '\(actor.name)' uses undefined variable '\(name)'\(Self.suggestion(for: name, among: known))",
                        undefinedName: .variable(name)))
            }
        }
        var stepNames: [String: SourceLocation] = [:]
        for step in flow.allSteps where step.includedFrom == nil {
            if let first = stepNames[step.name] {
                diagnostics.append(
                    FlowDiagnostic(
                        location: step.location,
                        message: "step name '\(step.name)' is also used at line \(first.line); step names must be unique within a flow"))
            } else {
                stepNames[step.name] = step.location
            }
        }
        for step in flow.allSteps {
            if let actor = step.actor, !actors.contains(actor) {
                diagnostics.append(
                    FlowDiagnostic(
                        location: step.location,
                        message:
                            "step '\(step.name)' runs as undefined actor '\(actor)'\(Self.suggestion(for: actor, among: actors)) (actors: \(actors.isEmpty ? "none defined" : actors.sorted().joined(separator: ", ")))",
                        undefinedName: .actor(actor)))
            }
            var visible = known
            for variable in step.vars {
                for name in variable.value.variableRoots.subtracting(visible).sorted() {
                    diagnostics.append(
                        FlowDiagnostic(
                            location: step.location,
                            message:
                                "step '\(step.name)': variable '\(variable.name)' uses undefined variable '\(name)'\(Self.suggestion(for: name, among: visible))",
                            undefinedName: .variable(name)))
                }
                visible.insert(variable.name)
            }
            for name in step.requestAndExpectationRoots.subtracting(visible).sorted() {
                diagnostics.append(
                    FlowDiagnostic(
                        location: step.location,
                        message: "step '\(step.name)' uses undefined variable '\(name)'\(Self.suggestion(for: name, among: visible))",
                        undefinedName: .variable(name)))
            }
            for capture in step.captures { known.insert(capture.name) }
        }
        return diagnostics
    }

    /// `; did you mean 'x'?` for the closest known name within edit distance 2, else nothing.
    public static func suggestion(for name: String, among known: Set<String>) -> String {
        let scored = known.map { ($0, EditDistance.between(name, $0)) }.filter { $0.1 <= 2 }
        guard let best = scored.min(by: { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }) else { return "" }
        return "; did you mean '\(best.0)'?"
    }
}

/// Levenshtein distance between two strings (insertions, deletions, substitutions of characters).
enum EditDistance {
    static func between(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
