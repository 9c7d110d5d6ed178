import Foundation

/// How long each flow file took in an earlier run, read from its `flows.json` (`run --durations PATH`), by suite
/// name (the file's path under the flows root, the same on every machine). Matrix rows of a file are summed.
public struct FlowDurations: Sendable, Equatable {
    /// Milliseconds by suite name.
    public var milliseconds: [String: Double]

    public init(milliseconds: [String: Double]) { self.milliseconds = milliseconds }

    private struct Document: Decodable {
        struct Flow: Decodable {
            var suite: String
            var durationMs: Double
            var status: String
        }
        var schemaVersion: Int
        var flows: [Flow]
    }

    /// Reads `flows.json` at `path`. Skipped flows are left out (they took no time and say nothing about the flow).
    /// - Throws: ``FlowShardError`` naming the file when it cannot be read or is not a `flows.json` report.
    public init(reading path: String) throws(FlowShardError) {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw FlowShardError("--durations \(path): cannot read it (\(error.localizedDescription))")
        }
        let document: Document
        do {
            document = try JSONDecoder().decode(Document.self, from: data)
        } catch {
            throw FlowShardError("--durations \(path): not a flows.json report of illajwala-flows run (\(Self.reason(error)))")
        }
        guard document.schemaVersion == 1 else {
            throw FlowShardError("--durations \(path): flows.json schemaVersion \(document.schemaVersion) is not supported (expected 1)")
        }
        var milliseconds: [String: Double] = [:]
        for flow in document.flows where flow.status != "skipped" {
            guard flow.durationMs.isFinite, flow.durationMs >= 0 else {
                throw FlowShardError("--durations \(path): flow in \(flow.suite) has durationMs \(flow.durationMs)")
            }
            milliseconds[flow.suite, default: 0] += flow.durationMs
        }
        self.milliseconds = milliseconds
    }

    /// The median of the known durations, `nil` when none.
    public var median: Double? { Self.median(of: Array(milliseconds.values)) }

    /// The median of `values` (what a file missing from the report is assumed to take), `nil` when empty.
    static func median(of values: [Double]) -> Double? {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return nil }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    static func reason(_ error: any Error) -> String {
        switch error as? DecodingError {
        case .keyNotFound(let key, let context)?:
            return "no '\(key.stringValue)' at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        case .typeMismatch(_, let context)?, .valueNotFound(_, let context)?:
            return "wrong type at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        case .dataCorrupted(let context)?:
            return context.debugDescription
        default:
            return "\(error)"
        }
    }
}
