import FlowCore
import Foundation

/// The operations whose definition differs between two OpenAPI documents (`run --changed-operations BASE` or
/// `--since GIT_REF`), and the flows that exercised them in earlier runs.
///
/// An operation's definition is its Operation Object with every `$ref` it reaches replaced by the referenced value,
/// so a change to a shared schema (`#/components/schemas/Doctor`) changes every operation that uses it. Added and
/// removed operations count as changed.
public struct ChangedOperations: Sendable, Equatable {
    /// `METHOD /path` of each changed operation, sorted.
    public var labels: [String]
    /// Every operation of both documents (to match recorded requests).
    var operations: [APIOperation]

    /// Compares the document at `base` (before) with the one at `current`.
    /// - Throws: ``OpenAPIDocumentError`` when either cannot be read.
    public static func between(base: String, current: String) throws(OpenAPIDocumentError) -> ChangedOperations {
        let before = try definitions(of: base)
        let after = try definitions(of: current)
        let labels = Set(before.definitions.keys).union(after.definitions.keys).filter { before.definitions[$0] != after.definitions[$0] }
        var operations = after.operations
        for operation in before.operations where !operations.contains(where: { $0.label == operation.label }) { operations.append(operation) }
        return ChangedOperations(labels: labels.sorted(), operations: operations)
    }

    private static func definitions(of path: String) throws(OpenAPIDocumentError) -> (operations: [APIOperation], definitions: [String: String]) {
        let operations = try OpenAPIOperationsReader.read(fileAt: path)
        let document = try OpenAPIDocumentJSON.load(path)
        var definitions: [String: String] = [:]
        for operation in operations {
            let pointer = "#/paths/\(JSONPointer.escape(operation.pathTemplate))/\(operation.method.lowercased())"
            let value = JSONPointer.resolve(pointer, in: document) ?? .null
            definitions[operation.label] = inlined(value, in: document, depth: 0).compactJSON
        }
        return (operations, definitions)
    }

    /// `value` with local `$ref`s replaced by what they point to (bounded, so recursive schemas end).
    private static func inlined(_ value: JSONValue, in document: JSONValue, depth: Int) -> JSONValue {
        switch value {
        case .object(let members):
            if depth < 24, case .string(let reference)? = members["$ref"], let target = JSONPointer.resolve(reference, in: document) {
                return inlined(target, in: document, depth: depth + 1)
            }
            return .object(members.mapValues { inlined($0, in: document, depth: depth) })
        case .array(let elements):
            return .array(elements.map { inlined($0, in: document, depth: depth) })
        default:
            return value
        }
    }

    /// The flows of `flows` to run: those whose earlier runs (`history`) sent a request to a changed operation, and
    /// those no earlier run knows (new flows). Returns the choice and one line that says why.
    public func select(_ flows: [Flow], history: [RunReport]) -> (flows: [Flow], note: String) {
        let changed = Set(labels)
        let matcher = APIOperationMatcher(operations)
        var exercised: [String: Set<String>] = [:]
        for run in history {
            for result in run.results {
                let key = result.source.suiteName + "\u{1F}" + result.name
                var seen = exercised[key] ?? []
                for step in result.recordedSteps {
                    guard let request = step.request else { continue }
                    let segments = run.baseURL.map { RequestPath.segments(of: request.url, under: $0) } ?? RequestPath.segments(anyHostOf: request.url)
                    if let segments, let operation = matcher.operation(method: request.method, segments: segments) { seen.insert(operation.label) }
                }
                exercised[key] = seen
            }
        }
        var unknown = 0
        let chosen = flows.filter { flow in
            guard let seen = exercised[flow.source.suiteName + "\u{1F}" + flow.name] else {
                unknown += 1
                return true
            }
            return !seen.isDisjoint(with: changed)
        }
        let what =
            labels.isEmpty ? "no operation changed" : "\(labels.count) operation\(labels.count == 1 ? "" : "s") changed (\(labels.joined(separator: ", ")))"
        var note = "changed operations: \(what); \(chosen.count) of \(flows.count) flows selected"
        if unknown > 0 { note += " (\(unknown) with no earlier run, run to be safe)" }
        return (chosen, note)
    }
}
