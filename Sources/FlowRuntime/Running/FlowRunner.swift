import APITransport
import FlowCore
import Foundation

/// Executes flows against one target. Holds no mutable state: every ``run(_:)`` gets its own HTTP client
/// (from `makeClient`), its own variables and its own actor sessions, so flows run concurrently without sharing.
///
/// Order within a flow: `setup` steps, then `steps` (skipped when setup failed), then `teardown` steps, which
/// always run (also after a failure, a flow timeout or an interruption) and see every capture made before.
/// The first failing step of setup or steps ends that part; later steps are recorded as skipped.
public struct FlowRunner: Sendable {
    /// Longest wait for one response when a step sets no `timeout:`, in seconds.
    public static let defaultStepTimeout: Duration = .seconds(10)
    /// Longest run of setup and steps when a flow sets no `timeout:`, in seconds.
    public static let defaultFlowTimeout: Duration = .seconds(120)

    /// Base URL that relative step URLs are resolved against.
    public var baseURL: URL
    /// Target variables (lowest lookup priority).
    public var targetVars: [String: JSONValue]
    /// Actors of the target (`as:`); a flow's own actors replace those of the same name.
    public var targetActors: [ActorSpec]
    /// Values masked in everything recorded from the start: the target's secret variables (see ``SecretMasker``).
    public var secrets: [String] = []
    /// Called with the flow's and the step's name as each step starts (live progress); `nil` for none.
    public var onStepStart: (@Sendable (_ flow: String, _ step: String) -> Void)?
    /// Actor sessions shared across runs (a load test's iterations log each identity in once); `nil` gives every run
    /// its own sessions, as a functional run wants.
    public var sharedSessions: SharedActorSessions?
    /// Whether steps record their request, response and a curl line (the reports show them); a load test, which
    /// keeps figures only, turns it off to spend its CPU on load.
    public var recordsExchanges = true
    /// Checks every response against the OpenAPI contract (`--openapi-validate`), or `nil` for no check.
    public var contractCheck: ContractCheck?
    let makeClient: @Sendable () -> any FlowHTTPClient

    /// - Parameters:
    ///   - baseURL: the target's base URL, e.g. `http://127.0.0.1:8080`.
    ///   - targetVars: variables visible to every flow.
    ///   - targetActors: actors every flow may use with `as:`.
    ///   - makeClient: creates the HTTP client for one flow; by default an ``HTTPTransport``.
    public init(
        baseURL: URL, targetVars: [String: JSONValue] = [:], targetActors: [ActorSpec] = [],
        makeClient: @escaping @Sendable () -> any FlowHTTPClient = { HTTPTransport() }
    ) {
        self.baseURL = baseURL
        self.targetVars = targetVars
        self.targetActors = targetActors
        self.makeClient = makeClient
    }

    /// Runs a flow. Never throws: every problem is part of the returned ``FlowResult``. When the calling task is
    /// cancelled (the run was interrupted) no further setup or main step starts; teardown still runs.
    public func run(_ flow: Flow) async -> FlowResult {
        let startedAt = Date()
        let start = ContinuousClock.now
        func elapsed() -> Duration { start.duration(to: .now) }
        func skipped(_ steps: [Step], _ phase: StepRecord.Phase) -> [StepRecord] {
            steps.map { step in
                var record = StepRecord(name: step.name, status: .skipped, assertions: [], duration: .zero)
                record.phase = phase
                record.actor = step.actor
                return record
            }
        }
        func allSkipped() -> [StepRecord] {
            skipped(flow.setup, .setup) + skipped(flow.steps, .main) + skipped(flow.teardown, .teardown)
        }
        func result(_ status: FlowResult.Status, _ steps: [StepRecord], _ failure: FlowResult.Failure?) -> FlowResult {
            var result = FlowResult(
                name: flow.name, source: flow.source, status: status, steps: steps, startedAt: startedAt, duration: elapsed(), failure: failure)
            result.matrix = flow.matrix
            return result
        }

        if let reason = flow.skipReason {
            let text = reason
            return result(.skipped, allSkipped(), FlowResult.Failure(step: "", summary: text, details: text, kind: .skipped))
        }
        if Task.isCancelled {
            let text = "not run: the run was interrupted before the flow started"
            return result(.skipped, allSkipped(), FlowResult.Failure(step: "", summary: text, details: text, kind: .cancelled))
        }

        var state: FlowState
        switch makeState(for: flow) {
        case .ready(let made): state = made
        case .failed(let failure): return result(.errored, allSkipped(), failure)
        }
        let deadline = start.advanced(by: flow.timeout ?? Self.defaultFlowTimeout)

        var failure = await state.run(flow.setup, phase: .setup, deadline: deadline)
        if failure == nil {
            failure = await state.run(flow.steps, phase: .main, deadline: deadline)
        } else {
            state.records += skipped(flow.steps, .main)
        }
        if !flow.teardown.isEmpty {
            // Teardown must run even when the run is being interrupted: an unstructured task does not inherit
            // the cancellation of this one.
            let teardownState = state
            let teardown = flow.teardown
            let (finalState, teardownFailure) = await Task {
                var state = teardownState
                let failure = await state.run(teardown, phase: .teardown, deadline: nil)
                return (state, failure)
            }.value
            state = finalState
            if let teardownFailure {
                if var first = failure {
                    first.details += "\n\nteardown also failed:\n" + teardownFailure.details
                    failure = first
                } else {
                    failure = teardownFailure
                }
            }
        }

        // A flow the run's interruption stopped did not fail: it is reported as skipped, with the reason.
        let status = failure?.kind.flowStatus ?? .passed
        return state.masker.mask(result(status, state.records, failure))
    }
}

/// The mutable state of one flow run: captures, actor sessions and the step records so far.
struct FlowState: Sendable {
    var captures: [String: JSONValue] = [:]
    private(set) var flowVars: [String: JSONValue]
    let targetVars: [String: JSONValue]
    var sessions: ActorSessions
    let baseURL: URL
    let flowName: String
    let onStepStart: (@Sendable (String, String) -> Void)?
    var records: [StepRecord] = []
    /// See ``FlowRunner/recordsExchanges``.
    var recordsExchanges = true
    /// See ``FlowRunner/contractCheck``.
    var contractCheck: ContractCheck?
    /// The target's secrets, then credentials seen in requests, responses and sensitive captures (masked in the result).
    var secrets: [String] = []

    /// Replaces the flow variables (a load iteration's fresh values).
    mutating func replaceFlowVars(_ values: [String: JSONValue]) { flowVars = values }

    /// Masks every secret known so far: the target's, the actors' passwords and tokens, and those the steps found.
    var masker: SecretMasker { SecretMasker(secrets: sessions.secrets + secrets) }

    init(
        flowVars: [String: JSONValue], targetVars: [String: JSONValue], sessions: ActorSessions, baseURL: URL, flowName: String,
        onStepStart: (@Sendable (String, String) -> Void)?
    ) {
        self.flowVars = flowVars
        self.targetVars = targetVars
        self.sessions = sessions
        self.baseURL = baseURL
        self.flowName = flowName
        self.onStepStart = onStepStart
    }

    /// Runs `steps` in order until one fails; the rest are recorded as skipped. Stops starting steps when the
    /// task is cancelled, except in teardown.
    /// - Returns: the first failure, or `nil` when every step passed.
    mutating func run(_ steps: [Step], phase: StepRecord.Phase, deadline: ContinuousClock.Instant?) async -> FlowResult.Failure? {
        for (index, step) in steps.enumerated() {
            if phase != .teardown, Task.isCancelled {
                let text = "interrupted: the run was stopped before step '\(step.name)'"
                records += Self.skippedRecords(steps[index...], phase: phase)
                return FlowResult.Failure(step: step.name, summary: text, details: text, kind: .interrupted)
            }
            if let deadline, ContinuousClock.now >= deadline {
                let text = "flow timeout reached before step '\(step.name)'"
                records += Self.skippedRecords(steps[index...], phase: phase)
                return FlowResult.Failure(step: step.name, summary: text, details: text, kind: .timeout)
            }
            onStepStart?(flowName, step.name)
            let layers = (captures, flowVars, targetVars)
            // Evaluated once: generators such as fake.email must give the actor and the request the same value.
            let stepVars = Result { () throws(StepExecution.StepVariableError) in try StepExecution.stepVariables(of: step, layers: layers) }
            var token: String?
            if let actor = step.actor, case .success(let values) = stepVars {
                let scope = StepExecution.scope(stepVars: values, layers: layers)
                let outcome = await sessions.accessToken(
                    for: actor, scope: scope, timeout: step.timeout ?? FlowRunner.defaultStepTimeout, masker: masker)
                records += outcome.records.map { record in
                    var record = record
                    record.phase = phase
                    return record
                }
                guard let accessToken = outcome.token else {
                    let text = "step '\(step.name)' as \(actor): \(outcome.problem ?? "no access token")"
                    var lines = [
                        "step '\(step.name)' as \(actor) (\(step.location.file):\(step.location.line))", "  " + (outcome.problem ?? "no access token"),
                    ]
                    for record in outcome.records {
                        if let request = record.request { lines.append("request: \(request.method) \(request.url)") }
                        if let response = record.response {
                            lines.append("response: \(response.status) in \(DurationText.seconds(response.duration)) s")
                            lines.append("response body (excerpt):")
                            lines.append(response.bodyExcerpt.isEmpty ? "(empty)" : response.bodyExcerpt)
                        }
                        if let curl = record.curl { lines.append("reproduce: \(curl)") }
                    }
                    let details = lines.joined(separator: "\n")
                    records += Self.skippedRecords(steps[index...], phase: phase)
                    return FlowResult.Failure(step: step.name, summary: text, details: details, kind: .actorLoginFailed)
                }
                token = accessToken
            }
            var execution = StepExecution(
                step: step, phase: phase, baseURL: baseURL, client: sessions.client, layers: layers,
                bearerToken: token, deadline: deadline, stepVars: stepVars, masker: masker)
            execution.recordsExchanges = recordsExchanges
            execution.contractCheck = contractCheck
            var outcome = await execution.run()
            if phase == .teardown, outcome.record.status == .errored, let missing = Self.undefinedVariable(in: outcome.record.message) {
                // Teardown cleans up what exists: a step that needs a value no earlier step captured (because the
                // flow failed first) has nothing to clean up.
                outcome.record.status = .skipped
                outcome.record.message = "skipped: needs '\(missing)', which no earlier step captured"
                outcome.failure = nil
            }
            records.append(outcome.record)
            secrets += outcome.secrets
            captures.merge(outcome.captures) { _, new in new }
            if let failure = outcome.failure {
                records += Self.skippedRecords(steps[(index + 1)...], phase: phase)
                return failure
            }
        }
        return nil
    }

    /// The variable an "undefined variable 'x'" template error names, if that is the error.
    static func undefinedVariable(in message: String?) -> String? {
        guard let message, let range = message.range(of: "undefined variable '") else { return nil }
        let rest = message[range.upperBound...]
        return rest.firstIndex(of: "'").map { String(rest[..<$0]) }
    }

    static func skippedRecords(_ steps: ArraySlice<Step>, phase: StepRecord.Phase) -> [StepRecord] {
        steps.map { step in
            var record = StepRecord(name: step.name, status: .skipped, assertions: [], duration: .zero)
            record.phase = phase
            record.actor = step.actor
            return record
        }
    }
}
