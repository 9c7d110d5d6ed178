/// The names every report gives the flow results of a run, so that each (suite, case name) pair is unique —
/// JUnit consumers track a test over time by that pair.
///
/// - The *suite* is the flow file's ``FlowSource/suiteName`` (e.g. `patient/book.yaml`), or its full
///   ``FlowSource/path`` when two different files share a suite name (two folders given on the command line
///   that both hold `book.yaml`).
/// - The *case name* is the flow's name, followed by its matrix values in brackets when the flow was expanded
///   by `matrix:` and the name does not already end with them (`Book [mode=video, fee=500]`). When the same
///   suite still holds the same case name twice, later ones get ` #2`, ` #3`, … appended.
public enum ReportCaseNames {
    /// Names `results`, keeping their order.
    public static func name(_ results: [FlowResult]) -> [NamedFlowResult] {
        var pathsBySuiteName: [String: Set<String>] = [:]
        for result in results { pathsBySuiteName[result.source.suiteName, default: []].insert(result.source.path) }
        var used = Set<Pair>()
        return results.map { result in
            let shared = (pathsBySuiteName[result.source.suiteName]?.count ?? 0) > 1
            let suite = shared ? result.source.path : result.source.suiteName
            let base = caseName(result)
            var name = base
            var counter = 1
            while used.contains(Pair(suite: suite, name: name)) {
                counter += 1
                name = base + " #\(counter)"
            }
            used.insert(Pair(suite: suite, name: name))
            return NamedFlowResult(suite: suite, name: name, result: result)
        }
    }

    /// The flow's name with its matrix values, `Book [mode=video]`; just the name for a flow without matrix values,
    /// or when the name already ends with that bracket.
    public static func caseName(_ result: FlowResult) -> String {
        guard !result.matrix.isEmpty else { return result.name }
        let bracket = "[" + result.matrix.map { "\($0.name)=\($0.value)" }.joined(separator: ", ") + "]"
        return result.name.hasSuffix(bracket) ? result.name : result.name + " " + bracket
    }

    /// `named` grouped by suite, suites in first-seen order, results in their order.
    public static func groupedBySuite(_ named: [NamedFlowResult]) -> [(suite: String, results: [NamedFlowResult])] {
        var order: [String] = []
        var groups: [String: [NamedFlowResult]] = [:]
        for entry in named {
            if groups[entry.suite] == nil { order.append(entry.suite) }
            groups[entry.suite, default: []].append(entry)
        }
        return order.map { ($0, groups[$0] ?? []) }
    }

    private struct Pair: Hashable {
        var suite: String
        var name: String
    }
}
