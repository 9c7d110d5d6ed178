import FlowCore
import Foundation

/// Reads a `flows.json` written by ``FlowsJSONReportWriter`` back into a ``RunReport`` — what `merge-reports` joins
/// shards from. Everything the six reports show survives the round trip (request and response excerpts, assertions,
/// curl lines, earlier attempts); times keep the report's precision (seconds for instants, microseconds for
/// durations).
public enum FlowsJSONReader {
    /// Why a `flows.json` cannot be read back.
    public struct ReadError: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// The report in the `flows.json` at `url`.
    /// - Throws: ``ReadError`` naming the file and what is wrong (missing, not JSON, another schema version, a
    ///   field of the wrong type, an unknown status).
    public static func read(_ url: URL) throws(ReadError) -> RunReport {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ReadError(description: "\(url.path): cannot read it (\(error.localizedDescription))")
        }
        let document: FlowsJSONDocument
        do {
            document = try JSONDecoder().decode(FlowsJSONDocument.self, from: data)
        } catch {
            throw ReadError(description: "\(url.path): not a flows.json report of illajwala-flows run (\(FlowDurations.reason(error)))")
        }
        guard document.schemaVersion == FlowsJSONDocument.schemaVersion else {
            throw ReadError(description: "\(url.path): schemaVersion \(document.schemaVersion) is not supported (expected \(FlowsJSONDocument.schemaVersion))")
        }
        do throws(ReadError) {
            return try report(from: document)
        } catch {
            throw ReadError(description: "\(url.path): \(error.description)")
        }
    }

    private static func report(from document: FlowsJSONDocument) throws(ReadError) -> RunReport {
        var report = RunReport(
            target: document.target, startedAt: try instant(document.startedAt, "startedAt"), duration: duration(document.durationMs),
            hostname: document.hostname, results: try document.flows.map { flow throws(ReadError) in try result(from: flow) })
        report.baseURL = document.baseURL
        report.interruption = document.interruption
        report.runID = document.runId
        report.shardPlan = document.shardPlan
        if let shard = document.shard {
            do throws(FlowShardError) {
                report.shard = try FlowShard(parsing: shard)
            } catch {
                throw ReadError(description: "shard: \(error.description)")
            }
        }
        return report
    }

    private static func result(from flow: FlowsJSONDocument.Flow) throws(ReadError) -> FlowResult {
        var result = try result(
            name: flow.flowName, source: FlowSource(path: flow.file, suiteName: flow.suite), status: flow.status, steps: flow.steps,
            startedAt: flow.startedAt, durationMs: flow.durationMs, failure: flow.failure, in: flow.name)
        result.matrix = flow.matrix.map { MatrixBinding(name: $0.name, value: $0.value) }
        if let quarantine = flow.quarantine {
            guard let outcome = FlowResult.Status(rawValue: quarantine.outcome) else {
                throw ReadError(description: "flow '\(flow.name)': unknown quarantine outcome '\(quarantine.outcome)'")
            }
            result.quarantine = QuarantineNote(owner: quarantine.owner, reason: quarantine.reason, expires: quarantine.expires, outcome: outcome)
        }
        result.previousAttempts = try flow.previousAttempts.map { attempt throws(ReadError) in
            try Self.result(
                name: flow.flowName, source: result.source, status: attempt.status, steps: attempt.steps, startedAt: attempt.startedAt,
                durationMs: attempt.durationMs, failure: attempt.failure, in: "\(flow.name), attempt \(attempt.attempt)")
        }
        return result
    }

    private static func result(
        name: String, source: FlowSource, status: String, steps: [FlowsJSONDocument.Step], startedAt: String, durationMs: Double,
        failure: FlowsJSONDocument.Failure?, in context: String
    ) throws(ReadError) -> FlowResult {
        guard let status = FlowResult.Status(rawValue: status) else {
            throw ReadError(description: "flow '\(context)': unknown status '\(status)'")
        }
        var kind: FailureKind?
        if let failure {
            guard let known = FailureKind(rawValue: failure.type) else {
                throw ReadError(description: "flow '\(context)': unknown failure type '\(failure.type)'")
            }
            kind = known
        }
        return FlowResult(
            name: name, source: source, status: status, steps: try steps.map { step throws(ReadError) in try record(from: step, in: context) },
            startedAt: try instant(startedAt, "startedAt of '\(context)'"), duration: duration(durationMs),
            failure: failure.map { FlowResult.Failure(step: $0.step, summary: $0.summary, details: $0.details, kind: kind!) })
    }

    private static func record(from step: FlowsJSONDocument.Step, in context: String) throws(ReadError) -> StepRecord {
        guard let status = StepRecord.Status(rawValue: step.status), let phase = StepRecord.Phase(rawValue: step.phase) else {
            throw ReadError(description: "flow '\(context)', step '\(step.name)': unknown status '\(step.status)' or phase '\(step.phase)'")
        }
        var record = StepRecord(
            name: step.name, status: status,
            request: step.request.map {
                RecordedRequest(
                    method: $0.method, url: $0.url, headers: $0.headers.map { HeaderField(name: $0.name, value: $0.value) },
                    bodyExcerpt: $0.bodyExcerpt)
            },
            response: step.response.map {
                RecordedResponse(
                    status: $0.status, headers: $0.headers.map { HeaderField(name: $0.name, value: $0.value) }, bodyExcerpt: $0.bodyExcerpt,
                    duration: duration($0.durationMs))
            },
            assertions: step.assertions.map { AssertionResult(subject: $0.subject, expected: $0.expected, actual: $0.actual, passed: $0.passed) },
            duration: duration(step.durationMs), message: step.message)
        record.phase = phase
        record.actor = step.actor
        record.attempts = step.attempts
        record.curl = step.curl
        record.undocumented = step.undocumented
        record.contractViolations = step.contractViolations.map {
            ContractViolation(operation: $0.operation, status: $0.status, pointer: $0.pointer, message: $0.message)
        }
        return record
    }

    private static func duration(_ milliseconds: Double) -> Duration { .fractionalSeconds(max(0, milliseconds) / 1000) }

    private static func instant(_ text: String, _ field: String) throws(ReadError) -> Date {
        guard let date = try? Date(text, strategy: .iso8601) else { throw ReadError(description: "\(field) '\(text)' is not an RFC 3339 time") }
        return date
    }
}
