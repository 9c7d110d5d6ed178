import APITransport
import FlowCore
import Foundation

/// A flow whose variables are evaluated and whose `setup` has run, ready for its main steps to run many times
/// (a load test's iterations) and for its `teardown` to run once at the end.
public struct PreparedFlow: Sendable {
    /// The flow.
    public let flow: Flow
    /// The setup's result: `passed` when setup succeeded (its steps are the setup's records).
    public let setup: FlowResult
    /// Variables, captures and actor sessions after setup.
    let state: FlowState
    /// Flow variables kept at setup's values; the others are evaluated afresh per iteration.
    let pinned: Set<String>

    /// Whether setup succeeded, so iterations may run.
    public var isReady: Bool { setup.status == .passed }
}

extension FlowRunner {
    /// Evaluates the flow's variables and runs its `setup` steps once.
    /// - Returns: the prepared flow; when setup failed, ``PreparedFlow/isReady`` is false and `setup` says why.
    public func prepare(_ flow: Flow) async -> PreparedFlow {
        let startedAt = Date()
        let start = ContinuousClock.now
        var state: FlowState
        switch makeState(for: flow) {
        case .ready(let made): state = made
        case .failed(let failure):
            let result = FlowResult(
                name: flow.name, source: flow.source, status: .errored, steps: [], startedAt: startedAt, duration: start.duration(to: .now),
                failure: failure)
            return PreparedFlow(flow: flow, setup: result, state: FlowState.empty(baseURL: baseURL, flowName: flow.name), pinned: [])
        }
        let deadline = start.advanced(by: flow.timeout ?? Self.defaultFlowTimeout)
        let failure = await state.run(flow.setup, phase: .setup, deadline: deadline)
        let result = state.masker.mask(Self.outcome(of: flow, records: state.records, failure: failure, startedAt: startedAt, start: start))
        state.records = []
        return PreparedFlow(flow: flow, setup: result, state: state, pinned: flow.variablesSetupDependsOn)
    }

    /// Runs the main `steps` of a prepared flow once, on a copy of its state: flow variables setup does not depend
    /// on are evaluated afresh (generators give each iteration its own data), captures made by the steps stay with
    /// this iteration. Never throws; a flow whose setup failed is reported as errored with setup's failure.
    public func iterate(_ prepared: PreparedFlow) async -> FlowResult {
        let flow = prepared.flow
        let startedAt = Date()
        let start = ContinuousClock.now
        func result(_ status: FlowResult.Status, _ steps: [StepRecord], _ failure: FlowResult.Failure?) -> FlowResult {
            FlowResult(
                name: flow.name, source: flow.source, status: status, steps: steps, startedAt: startedAt, duration: start.duration(to: .now), failure: failure)
        }
        guard prepared.isReady else { return result(.errored, [], prepared.setup.failure) }
        var state = prepared.state
        state.sessions = state.sessions.sharingClient(makeClient())
        var fresh = state.flowVars
        for variable in flow.vars where !prepared.pinned.contains(variable.name) {
            do {
                fresh[variable.name] = try variable.value.evaluate(in: TemplateScope(layers: [fresh, targetVars]))
            } catch {
                let text = "flow variable '\(variable.name)': \(error)"
                return result(.errored, [], FlowResult.Failure(step: "vars", summary: text, details: text, kind: .templateError))
            }
        }
        state.replaceFlowVars(fresh)
        let failure = await state.run(flow.steps, phase: .main, deadline: start.advanced(by: flow.timeout ?? Self.defaultFlowTimeout))
        let finished = result(failure?.kind.flowStatus ?? .passed, state.records, failure)
        guard recordsExchanges else {
            // Nothing but the figures and the failure's words are kept: mask only those (a load test's CPU is for load).
            var lean = finished
            lean.failure = failure.map { state.masker.mask($0) }
            return lean
        }
        return state.masker.mask(finished)
    }

    /// Runs the `teardown` steps of a prepared flow (also after a failed setup: teardown cleans up what exists).
    public func tearDown(_ prepared: PreparedFlow) async -> FlowResult {
        let flow = prepared.flow
        let startedAt = Date()
        let start = ContinuousClock.now
        var state = prepared.state
        let failure = await state.run(flow.teardown, phase: .teardown, deadline: nil)
        return state.masker.mask(Self.outcome(of: flow, records: state.records, failure: failure, startedAt: startedAt, start: start))
    }

    /// The result of one phase: passed unless `failure` says otherwise, lasting from `start` until now.
    static func outcome(
        of flow: Flow, records: [StepRecord], failure: FlowResult.Failure?, startedAt: Date, start: ContinuousClock.Instant
    ) -> FlowResult {
        FlowResult(
            name: flow.name, source: flow.source, status: failure?.kind.flowStatus ?? .passed, steps: records, startedAt: startedAt,
            duration: start.duration(to: .now), failure: failure)
    }

    /// The flow's state before its first step: variables evaluated, actor sessions empty (or shared).
    func makeState(for flow: Flow) -> InitialState {
        var flowVars: [String: JSONValue] = [:]
        for variable in flow.vars {
            do {
                flowVars[variable.name] = try variable.value.evaluate(in: TemplateScope(layers: [flowVars, targetVars]))
            } catch {
                let text = "flow variable '\(variable.name)': \(error)"
                return .failed(FlowResult.Failure(step: "vars", summary: text, details: text, kind: .templateError))
            }
        }
        var state = FlowState(
            flowVars: flowVars, targetVars: targetVars,
            sessions: ActorSessions(actors: targetActors + flow.actors, baseURL: baseURL, client: makeClient(), shared: sharedSessions),
            baseURL: baseURL, flowName: flow.name, onStepStart: onStepStart)
        state.secrets = secrets
        state.recordsExchanges = recordsExchanges
        state.contractCheck = contractCheck
        return .ready(state)
    }

    /// A flow's state before its first step, or why its variables could not be evaluated.
    enum InitialState {
        case ready(FlowState)
        case failed(FlowResult.Failure)
    }
}

extension FlowState {
    /// A state for a flow that could not start (its variables failed): nothing to run against.
    static func empty(baseURL: URL, flowName: String) -> FlowState {
        FlowState(
            flowVars: [:], targetVars: [:], sessions: ActorSessions(actors: [], baseURL: baseURL, client: UnusableClient()), baseURL: baseURL,
            flowName: flowName, onStepStart: nil)
    }
}

/// The client of a flow that never sends (its variables failed before any step).
private struct UnusableClient: FlowHTTPClient {
    func perform(_ request: APIRequest, timeout: Duration) async throws(APITransportError) -> APIResponse {
        throw APITransportError(kind: .other, message: "the flow could not start", url: request.url)
    }
}
