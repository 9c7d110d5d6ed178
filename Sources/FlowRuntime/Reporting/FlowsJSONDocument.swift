import FlowCore
import Foundation

/// The document `flows.json` holds; see ``FlowsJSONReportWriter`` for the shape and
/// `docs/schemas/flows-report.schema.json` for its JSON Schema. Optional values are written as `null`, never omitted.
struct FlowsJSONDocument: Codable {
    /// Version of this shape; raised when a field changes meaning or disappears.
    static let schemaVersion = 1

    struct Counts: Codable {
        var total, passed, failed, errored, skipped, flaky: Int
    }

    struct Failure: Codable {
        var step, summary, details, type: String

        init(_ failure: FlowResult.Failure) {
            step = failure.step
            summary = failure.summary
            details = failure.details
            type = failure.kind.rawValue
        }
    }

    struct Header: Codable {
        var name, value: String
    }

    struct Request: Codable {
        var method, url: String
        var headers: [Header]
        var bodyExcerpt: String?

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(method, forKey: .method)
            try container.encode(url, forKey: .url)
            try container.encode(headers, forKey: .headers)
            try container.encode(bodyExcerpt, forKey: .bodyExcerpt)
        }

        private enum CodingKeys: String, CodingKey { case method, url, headers, bodyExcerpt }
    }

    struct Response: Codable {
        var status: Int
        var headers: [Header]
        var bodyExcerpt: String
        var durationMs: Double
    }

    struct Assertion: Codable {
        var subject, expected, actual: String
        var passed: Bool
    }

    struct Step: Codable {
        var name, status, phase: String
        var actor: String?
        var attempts: Int
        var durationMs: Double
        var request: Request?
        var response: Response?
        var assertions: [Assertion]
        var message: String?
        var curl: String?
        var undocumented: Bool
        var contractViolations: [Violation]

        struct Violation: Codable {
            var operation: String
            var status: Int
            var pointer: String?
            var message: String

            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(operation, forKey: .operation)
                try container.encode(status, forKey: .status)
                try container.encode(pointer, forKey: .pointer)
                try container.encode(message, forKey: .message)
            }

            private enum CodingKeys: String, CodingKey { case operation, status, pointer, message }
        }

        init(_ record: StepRecord) {
            name = record.name
            status = record.status.rawValue
            phase = record.phase.rawValue
            actor = record.actor
            attempts = record.attempts
            durationMs = Milliseconds.from(record.duration)
            request = record.request.map {
                Request(method: $0.method, url: $0.url, headers: $0.headers.map { Header(name: $0.name, value: $0.value) }, bodyExcerpt: $0.bodyExcerpt)
            }
            response = record.response.map {
                Response(
                    status: $0.status, headers: $0.headers.map { Header(name: $0.name, value: $0.value) }, bodyExcerpt: $0.bodyExcerpt,
                    durationMs: Milliseconds.from($0.duration))
            }
            assertions = record.assertions.map { Assertion(subject: $0.subject, expected: $0.expected, actual: $0.actual, passed: $0.passed) }
            message = record.message
            curl = record.curl
            undocumented = record.undocumented
            contractViolations = record.contractViolations.map {
                Violation(operation: $0.operation, status: $0.status, pointer: $0.pointer, message: $0.message)
            }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(name, forKey: .name)
            try container.encode(status, forKey: .status)
            try container.encode(phase, forKey: .phase)
            try container.encode(actor, forKey: .actor)
            try container.encode(attempts, forKey: .attempts)
            try container.encode(durationMs, forKey: .durationMs)
            try container.encode(request, forKey: .request)
            try container.encode(response, forKey: .response)
            try container.encode(assertions, forKey: .assertions)
            try container.encode(message, forKey: .message)
            try container.encode(curl, forKey: .curl)
            try container.encode(undocumented, forKey: .undocumented)
            try container.encode(contractViolations, forKey: .contractViolations)
        }

        private enum CodingKeys: String, CodingKey {
            case name, status, phase, actor, attempts, durationMs, request, response, assertions, message, curl, undocumented, contractViolations
        }
    }

    struct MatrixValue: Codable {
        var name, value: String
    }

    struct Attempt: Codable {
        var attempt: Int
        var status: String
        var startedAt: String
        var durationMs: Double
        var failure: Failure?
        var steps: [Step]

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(attempt, forKey: .attempt)
            try container.encode(status, forKey: .status)
            try container.encode(startedAt, forKey: .startedAt)
            try container.encode(durationMs, forKey: .durationMs)
            try container.encode(failure, forKey: .failure)
            try container.encode(steps, forKey: .steps)
        }

        private enum CodingKeys: String, CodingKey { case attempt, status, startedAt, durationMs, failure, steps }
    }

    struct Quarantine: Codable {
        var owner, reason, expires, outcome: String
    }

    struct Flow: Codable {
        var name, flowName, suite, file, status: String
        var flaky: Bool
        var matrix: [MatrixValue]
        var startedAt: String
        var durationMs: Double
        var failure: Failure?
        var steps: [Step]
        var previousAttempts: [Attempt]
        var quarantine: Quarantine?

        init(_ named: NamedFlowResult) {
            let result = named.result
            name = named.name
            flowName = result.name
            suite = named.suite
            file = result.source.path
            status = result.status.rawValue
            flaky = result.isFlaky
            matrix = result.matrix.map { MatrixValue(name: $0.name, value: $0.value) }
            startedAt = RelativeDate.rfc3339(result.startedAt)
            durationMs = Milliseconds.from(result.duration)
            failure = result.failure.map(Failure.init)
            steps = result.steps.map(Step.init)
            previousAttempts = result.previousAttempts.enumerated().map { index, attempt in
                Attempt(
                    attempt: index + 1, status: attempt.status.rawValue, startedAt: RelativeDate.rfc3339(attempt.startedAt),
                    durationMs: Milliseconds.from(attempt.duration), failure: attempt.failure.map(Failure.init),
                    steps: attempt.steps.map(Step.init))
            }
            quarantine = result.quarantine.map {
                Quarantine(owner: $0.owner, reason: $0.reason, expires: $0.expires, outcome: $0.outcome.rawValue)
            }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(name, forKey: .name)
            try container.encode(flowName, forKey: .flowName)
            try container.encode(suite, forKey: .suite)
            try container.encode(file, forKey: .file)
            try container.encode(status, forKey: .status)
            try container.encode(flaky, forKey: .flaky)
            try container.encode(matrix, forKey: .matrix)
            try container.encode(startedAt, forKey: .startedAt)
            try container.encode(durationMs, forKey: .durationMs)
            try container.encode(failure, forKey: .failure)
            try container.encode(steps, forKey: .steps)
            try container.encode(previousAttempts, forKey: .previousAttempts)
            try container.encode(quarantine, forKey: .quarantine)
        }

        private enum CodingKeys: String, CodingKey {
            case name, flowName, suite, file, status, flaky, matrix, startedAt, durationMs, failure, steps, previousAttempts, quarantine
        }
    }

    var schemaVersion: Int
    var target: String
    var baseURL: String?
    var startedAt: String
    var durationMs: Double
    var hostname: String
    var interruption: String?
    var shard: String?
    var runId: String?
    var shardPlan: String?
    var counts: Counts
    var flows: [Flow]

    init(_ report: RunReport) {
        schemaVersion = Self.schemaVersion
        target = report.target
        baseURL = report.baseURL
        startedAt = RelativeDate.rfc3339(report.startedAt)
        durationMs = Milliseconds.from(report.duration)
        hostname = report.hostname
        interruption = report.interruption
        shard = report.shard?.description
        runId = report.runID
        shardPlan = report.shardPlan
        counts = Counts(
            total: report.results.count, passed: report.passedCount, failed: report.failedCount, errored: report.erroredCount,
            skipped: report.skippedCount, flaky: report.flakyCount)
        flows = ReportCaseNames.name(report.results).map(Flow.init)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(schemaVersion, forKey: .schemaVersion)
        try container.encode(target, forKey: .target)
        try container.encode(baseURL, forKey: .baseURL)
        try container.encode(startedAt, forKey: .startedAt)
        try container.encode(durationMs, forKey: .durationMs)
        try container.encode(hostname, forKey: .hostname)
        try container.encode(interruption, forKey: .interruption)
        try container.encode(shard, forKey: .shard)
        try container.encode(runId, forKey: .runId)
        try container.encode(shardPlan, forKey: .shardPlan)
        try container.encode(counts, forKey: .counts)
        try container.encode(flows, forKey: .flows)
    }

    private enum CodingKeys: String, CodingKey {
        case schemaVersion, target, baseURL, startedAt, durationMs, hostname, interruption, shard, runId, shardPlan, counts, flows
    }
}
