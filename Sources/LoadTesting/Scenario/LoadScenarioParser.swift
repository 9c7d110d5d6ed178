import FlowCore
import Foundation
import Yams

/// Reads a load scenario file (YAML; docs/load-testing.md):
///
/// ```yaml
/// flows:
///   - flow: patient/find-doctors-and-clinics.yaml   # file under the flow folder, or a flow name
///     weight: 3
///   - flow: patient/book-paid-consultation.yaml
///     setup: per-iteration
/// arrival: {rate: 20/s, duration: 30s}             # open model (default); or stages:
/// # arrival: {startRate: 5/s, stages: [{rate: 20/s, duration: 10s}, {rate: 20/s, duration: 20s}]}
/// # users: {count: 8, thinkTime: 500ms, duration: 30s}   # closed model instead of arrival
/// setup: per-test
/// maxRequests: 20000
/// maxInFlight: 256
/// thresholds: ["p95<500ms", "POST /api/appointments: p99<300ms", "errors<0.1%"]
/// seed: 42
/// ```
public enum LoadScenarioParser {
    /// A problem in the scenario file, with its line.
    public struct ParseError: Error, Sendable, CustomStringConvertible {
        public var file: String
        public var line: Int
        public var message: String
        public var description: String { "\(file):\(line): \(message)" }
    }

    /// Parses `text` read from `file` (named in errors).
    /// - Throws: ``ParseError`` for YAML errors, unknown keys and bad values, with the line.
    public static func parse(_ text: String, file: String) throws(ParseError) -> LoadScenario {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else { throw ParseError(file: file, line: 1, message: "the file is empty") }
            root = node
        } catch let error as ParseError {
            throw error
        } catch {
            throw ParseError(file: file, line: 1, message: "not valid YAML: \(error)")
        }
        func fail(_ node: Node, _ message: String) -> ParseError { ParseError(file: file, line: node.mark.map { $0.line } ?? 1, message: message) }
        guard let mapping = root.mapping else { throw fail(root, "expected a mapping with flows, arrival or users, thresholds …") }
        let known: Set<String> = ["flows", "arrival", "users", "setup", "maxRequests", "maxInFlight", "thresholds", "seed"]
        var values: [String: Node] = [:]
        for (key, value) in mapping {
            guard let name = key.string, known.contains(name) else {
                throw fail(key, "unknown key '\(key.string ?? "?")' (known: \(known.sorted().joined(separator: ", ")))")
            }
            values[name] = value
        }
        guard let flowsNode = values["flows"], let flowList = flowsNode.sequence, !flowList.isEmpty else {
            throw fail(values["flows"] ?? root, "flows: a list of at least one flow is required")
        }
        var flows: [FlowChoice] = []
        for item in flowList {
            if let selector = item.string {
                flows.append(FlowChoice(selector: selector))
                continue
            }
            guard let entry = item.mapping, let selector = entry["flow"]?.string else {
                throw fail(item, "each flow is a file or name, or {flow: FILE-OR-NAME, weight: N, setup: MODE}")
            }
            for (key, _) in entry where !["flow", "weight", "setup"].contains(key.string ?? "") {
                throw fail(key, "unknown key '\(key.string ?? "?")' in a flow (known: flow, weight, setup)")
            }
            var choice = FlowChoice(selector: selector)
            if let weight = entry["weight"] {
                guard let value = weight.int, (1...1000).contains(value) else { throw fail(weight, "weight must be a whole number 1 to 1000") }
                choice.weight = value
            }
            if let setup = entry["setup"] { choice.setup = try setupMode(setup, fail: fail) }
            flows.append(choice)
        }
        let model: LoadModel
        switch (values["arrival"], values["users"]) {
        case (let arrival?, nil): model = try openModel(arrival, fail: fail)
        case (nil, let users?): model = try closedModel(users, fail: fail)
        case (_?, let users?): throw fail(users, "give either arrival (open model) or users (closed model), not both")
        case (nil, nil): throw fail(root, "give arrival: {rate: 20/s, duration: 30s} (open model) or users: {count: 8, duration: 30s} (closed model)")
        }
        var scenario = LoadScenario(flows: flows, model: model)
        if let setup = values["setup"] { scenario.setup = try setupMode(setup, fail: fail) }
        if let node = values["maxRequests"] {
            guard let value = node.int, (1...LoadScenario.mostRequests).contains(value) else {
                throw fail(node, "maxRequests must be a whole number 1 to \(LoadScenario.mostRequests)")
            }
            scenario.maxRequests = value
        }
        if let node = values["maxInFlight"] {
            guard let value = node.int, (1...10_000).contains(value) else { throw fail(node, "maxInFlight must be a whole number 1 to 10000") }
            scenario.maxInFlight = value
        }
        if let node = values["seed"] {
            guard let text = node.string, let value = UInt64(text) else { throw fail(node, "seed must be a whole number ≥ 0") }
            scenario.seed = value
        }
        if let node = values["thresholds"] {
            guard let list = node.sequence else { throw fail(node, "thresholds must be a list such as [\"p95<500ms\", \"errors<0.1%\"]") }
            for item in list {
                guard let text = item.string else { throw fail(item, "a threshold is a string such as \"p95<500ms\"") }
                do { scenario.thresholds.append(try Threshold(parsing: text)) } catch { throw fail(item, error.description) }
            }
        }
        if let problem = scenario.problems.first { throw fail(root, problem) }
        return scenario
    }

    static func setupMode(_ node: Node, fail: (Node, String) -> ParseError) throws(ParseError) -> SetupMode {
        guard let text = node.string, let mode = SetupMode(rawValue: text) else {
            throw fail(node, "setup must be one of \(SetupMode.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return mode
    }

    static func openModel(_ node: Node, fail: (Node, String) -> ParseError) throws(ParseError) -> LoadModel {
        guard let entry = node.mapping else { throw fail(node, "arrival must be {rate: 20/s, duration: 30s} or {startRate: …, stages: […]}") }
        for (key, _) in entry where !["rate", "duration", "startRate", "stages"].contains(key.string ?? "") {
            throw fail(key, "unknown key '\(key.string ?? "?")' in arrival (known: rate, duration, startRate, stages)")
        }
        if let stagesNode = entry["stages"] {
            guard let list = stagesNode.sequence, !list.isEmpty else { throw fail(stagesNode, "stages must be a list of {rate, duration}") }
            var stages: [ArrivalStage] = []
            for item in list {
                guard let stage = item.mapping, let rate = stage["rate"], let duration = stage["duration"] else {
                    throw fail(item, "a stage is {rate: 20/s, duration: 10s}")
                }
                stages.append(ArrivalStage(rate: try Self.rate(rate, fail: fail), duration: try Self.duration(duration, fail: fail)))
            }
            let start = try entry["startRate"].map { node throws(ParseError) in try Self.rate(node, fail: fail) } ?? stages[0].rate
            return .open(startRate: start, stages: stages)
        }
        guard let rateNode = entry["rate"], let durationNode = entry["duration"] else {
            throw fail(node, "arrival needs rate and duration (e.g. {rate: 20/s, duration: 30s}) or stages")
        }
        let rate = try Self.rate(rateNode, fail: fail)
        return .open(startRate: rate, stages: [ArrivalStage(rate: rate, duration: try Self.duration(durationNode, fail: fail))])
    }

    static func closedModel(_ node: Node, fail: (Node, String) -> ParseError) throws(ParseError) -> LoadModel {
        guard let entry = node.mapping, let count = entry["count"], let duration = entry["duration"] else {
            throw fail(node, "users must be {count: 8, duration: 30s, thinkTime: 500ms}")
        }
        for (key, _) in entry where !["count", "duration", "thinkTime"].contains(key.string ?? "") {
            throw fail(key, "unknown key '\(key.string ?? "?")' in users (known: count, duration, thinkTime)")
        }
        guard let users = count.int else { throw fail(count, "count must be a whole number") }
        let think = try entry["thinkTime"].map { node throws(ParseError) in try Self.duration(node, fail: fail) } ?? .zero
        return .closed(users: users, thinkTime: think, duration: try Self.duration(duration, fail: fail))
    }

    /// `20/s`, `20`, `1200/m` as iterations per second.
    static func rate(_ node: Node, fail: (Node, String) -> ParseError) throws(ParseError) -> Double {
        guard let text = node.string, let rate = parseRate(text) else {
            throw fail(node, "'\(node.string ?? "?")' is not a rate: write e.g. 20/s or 600/m")
        }
        return rate
    }

    /// `20/s`, `20`, `600/m` as per second; `nil` when malformed.
    public static func parseRate(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let scale: Double
        let number: Substring
        if trimmed.hasSuffix("/s") {
            (scale, number) = (1, trimmed.dropLast(2))
        } else if trimmed.hasSuffix("/m") {
            (scale, number) = (1.0 / 60, trimmed.dropLast(2))
        } else {
            (scale, number) = (1, Substring(trimmed))
        }
        guard let value = Double(number), value.isFinite, value >= 0 else { return nil }
        return value * scale
    }

    static func duration(_ node: Node, fail: (Node, String) -> ParseError) throws(ParseError) -> Duration {
        guard let text = node.string, let duration = parseDuration(text) else {
            throw fail(node, "'\(node.string ?? "?")' is not a duration: write e.g. 30s, 2m or 500ms")
        }
        return duration
    }

    /// `30s`, `2m`, `500ms`, `1m30s` as a duration; `nil` when malformed or negative.
    public static func parseDuration(_ text: String) -> Duration? {
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        var total = Duration.zero
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isNumber || $0 == "." }
            guard !digits.isEmpty, let value = Double(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            let unit = rest.prefix { $0.isLetter }
            rest = rest.dropFirst(unit.count)
            switch unit {
            case "ms": total += .milliseconds(value)
            case "s": total += .milliseconds(value * 1000)
            case "m": total += .milliseconds(value * 60_000)
            case "h": total += .milliseconds(value * 3_600_000)
            default: return nil
            }
        }
        return total
    }
}
