import Foundation
import IllajwalaTesting

/// Executes flows against one target. Holds no mutable state: every ``run(_:)`` gets its own HTTP client
/// (from `makeClient`) and its own variables, so flows can later run concurrently.
public struct FlowRunner: Sendable {
    /// Base URL that relative step URLs are resolved against.
    public var baseURL: URL
    /// Target variables (lowest lookup priority).
    public var targetVars: [String: JSONValue]
    private let makeClient: @Sendable () -> any FlowHTTPClient

    /// - Parameters:
    ///   - baseURL: the target's base URL, e.g. `http://127.0.0.1:8080`.
    ///   - targetVars: variables visible to every flow.
    ///   - makeClient: creates the HTTP client for one flow; by default an ``HTTPTransport`` with a 10 s timeout.
    public init(
        baseURL: URL, targetVars: [String: JSONValue] = [:],
        makeClient: @escaping @Sendable () -> any FlowHTTPClient = { HTTPTransport() }
    ) {
        self.baseURL = baseURL
        self.targetVars = targetVars
        self.makeClient = makeClient
    }

    /// Runs a flow's steps in order. The first failing or erroring step ends the flow; later steps are recorded as skipped.
    /// Never throws: every problem is part of the returned ``FlowResult``.
    public func run(_ flow: Flow) async -> FlowResult {
        let startedAt = Date()
        let clock = ContinuousClock()
        let start = clock.now
        func elapsed() -> TimeInterval {
            let duration = start.duration(to: clock.now)
            return Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        }
        func skipped(_ steps: ArraySlice<Step>) -> [StepRecord] {
            steps.map { StepRecord(name: $0.name, status: .skipped, assertions: [], duration: 0) }
        }

        if Task.isCancelled {
            let failure = FlowResult.Failure(step: "", summary: "run cancelled before the flow started", details: "run cancelled before the flow started", type: "Cancelled")
            return FlowResult(name: flow.name, source: flow.source, status: .skipped, steps: skipped(flow.steps[...]), startedAt: startedAt, duration: 0, failure: failure)
        }

        var flowVars: [String: JSONValue] = [:]
        for variable in flow.vars {
            do {
                flowVars[variable.name] = try variable.value.evaluate(in: TemplateScope(layers: [flowVars, targetVars]))
            } catch {
                let text = "flow variable '\(variable.name)': \(error)"
                let failure = FlowResult.Failure(step: "vars", summary: text, details: text, type: "TemplateError")
                return FlowResult(name: flow.name, source: flow.source, status: .errored, steps: skipped(flow.steps[...]), startedAt: startedAt, duration: elapsed(), failure: failure)
            }
        }

        let client = makeClient()
        var captures: [String: JSONValue] = [:]
        var records: [StepRecord] = []
        for (index, step) in flow.steps.enumerated() {
            let execution = StepExecution(step: step, baseURL: baseURL, client: client, layers: (captures, flowVars, targetVars))
            let outcome = await execution.run()
            records.append(outcome.record)
            captures.merge(outcome.captures) { _, new in new }
            if let failure = outcome.failure {
                records += skipped(flow.steps[(index + 1)...])
                let status: FlowResult.Status = outcome.record.status == .errored ? .errored : .failed
                return FlowResult(name: flow.name, source: flow.source, status: status, steps: records, startedAt: startedAt, duration: elapsed(), failure: failure)
            }
        }
        return FlowResult(name: flow.name, source: flow.source, status: .passed, steps: records, startedAt: startedAt, duration: elapsed(), failure: nil)
    }
}
