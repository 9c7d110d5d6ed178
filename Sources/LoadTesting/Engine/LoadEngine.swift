import APITransport
import FlowCore
import FlowRuntime
import Foundation
import Synchronization

/// Runs a load test: prepares the flows (setup once per test or per user), starts iterations by the load model,
/// records what they measure, stops at the duration or the request cap, waits for the iterations in flight, tears
/// the flows down and returns the results.
public struct LoadEngine: Sendable {
    /// What the engine needs of the target.
    public struct Target: Sendable {
        public var name: String
        public var baseURL: URL
        public var variables: [String: JSONValue]
        public var actors: [ActorSpec]
        public var secrets: [String]

        public init(name: String, baseURL: URL, variables: [String: JSONValue], actors: [ActorSpec], secrets: [String]) {
            self.name = name
            self.baseURL = baseURL
            self.variables = variables
            self.actors = actors
            self.secrets = secrets
        }
    }

    /// Live figures, once a second.
    public struct Progress: Sendable {
        public var elapsed: Duration
        public var iterationsStarted: Int
        public var inFlight: Int
        public var requests: Int
        public var requestsLastSecond: Int
        public var p95Milliseconds: Double
        public var errors: Int
        public var journeysFailed: Int
    }

    public let scenario: LoadScenario
    public let flows: [PlannedFlow]
    public let target: Target
    let transport: any FlowHTTPClient
    let labeler: OperationLabeler
    /// Where journeys run: the transport's event loop when it offers one (``PooledHTTPTransport/taskExecutor``).
    let executor: (any TaskExecutor)?

    /// - Parameters:
    ///   - transport: the shared HTTP client (``PooledHTTPTransport`` in the CLI).
    ///   - operations: the OpenAPI operations requests are grouped by; empty groups them by path.
    public init(scenario: LoadScenario, flows: [PlannedFlow], target: Target, transport: any FlowHTTPClient, operations: [APIOperation]) {
        self.scenario = scenario
        self.flows = flows
        self.target = target
        self.transport = transport
        self.executor = (transport as? PooledHTTPTransport)?.taskExecutor
        self.labeler = OperationLabeler(matcher: operations.isEmpty ? nil : APIOperationMatcher(operations), baseURL: target.baseURL)
    }

    /// Why the test could not start.
    public struct SetupFailure: Error, Sendable, CustomStringConvertible {
        public var flow: String
        public var details: String
        public var description: String { "setup of '\(flow)' failed, so the load test did not start:\n\(details)" }
    }

    /// Runs the test. Cancelling the calling task stops starting iterations; those in flight finish, teardown runs.
    /// - Parameter progress: called about once a second with live figures.
    /// - Throws: ``SetupFailure`` when a flow's once-per-test setup fails (nothing else runs then).
    public func run(progress: @escaping @Sendable (Progress) -> Void = { _ in }) async throws(SetupFailure) -> LoadResults {
        let sessions = SharedActorSessions()
        let seed = scenario.seed ?? UInt64.random(in: 0...UInt64(UInt32.max))
        // Setup once per test, outside the measured period (its requests go through the plain transport).
        let setupRunner = makeRunner(sessions: sessions) { transport }
        var prepared: [Int: PreparedFlow] = [:]
        for (index, planned) in flows.enumerated() where planned.setup != .perIteration && (planned.setup == .perTest || isOpen) {
            let ready = await setupRunner.prepare(planned.flow)
            guard ready.isReady else {
                for done in prepared.values { _ = await setupRunner.tearDown(done) }
                throw SetupFailure(flow: planned.flow.name, details: ready.setup.failure?.details ?? "setup did not pass")
            }
            prepared[index] = ready
        }
        let startedAt = Date()
        let start = ContinuousClock.now
        let recorder = LoadRecorder(start: start)
        let ready = prepared
        let ticker = Task {
            var last = 0
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(1))
                let figures = recorder.progressFigures()
                progress(
                    Progress(
                        elapsed: start.duration(to: .now), iterationsStarted: figures.iterationsStarted, inFlight: recorder.iterationsInFlight,
                        requests: figures.requests, requestsLastSecond: figures.requests - last, p95Milliseconds: figures.p95Milliseconds,
                        errors: figures.errors, journeysFailed: figures.journeysFailed))
                last = figures.requests
            }
        }
        await withTaskExecutorPreference(executor) {
            switch scenario.model {
            case .open(let startRate, let stages):
                await runOpen(ArrivalSchedule(startRate: startRate, stages: stages), prepared: ready, sessions: sessions, recorder: recorder, seed: seed)
            case .closed(let users, let think, let duration):
                await runClosed(users: users, think: think, duration: duration, prepared: ready, sessions: sessions, recorder: recorder, seed: seed)
            }
        }
        let measured = start.duration(to: .now)
        let interrupted = Task.isCancelled
        ticker.cancel()
        for done in prepared.values { _ = await setupRunner.tearDown(done) }
        return LoadResults(
            recorder.snapshot(), scenario: scenario, target: target, startedAt: startedAt, duration: measured, seed: seed,
            logins: sessions.exchanges, flows: flows, interrupted: interrupted)
    }

    private var isOpen: Bool {
        if case .open = scenario.model { return true }
        return false
    }

    /// A runner whose every flow run gets the client `makeClient` makes, sharing actor sessions.
    func makeRunner(sessions: SharedActorSessions, makeClient: @escaping @Sendable () -> any FlowHTTPClient) -> FlowRunner {
        var runner = FlowRunner(baseURL: target.baseURL, targetVars: target.variables, targetActors: target.actors, makeClient: makeClient)
        runner.secrets = target.secrets
        runner.sharedSessions = sessions
        runner.recordsExchanges = false
        return runner
    }

    /// Runs one iteration of `planned` intended to start at `intended`, recording it.
    func iterate(
        _ planned: PlannedFlow, prepared: PreparedFlow?, intended: ContinuousClock.Instant, sessions: SharedActorSessions, recorder: LoadRecorder
    ) async {
        let client = TimedClient(base: transport, recorder: recorder, labeler: labeler, intendedStart: intended)
        let runner = makeRunner(sessions: sessions) { client }
        recorder.iterationStarted()
        let result: FlowResult
        if let prepared {
            result = await runner.iterate(prepared)
        } else {
            result = await runner.run(planned.flow)
        }
        let cutOff = result.status != .passed && (Task.isCancelled || result.status == .skipped)
        recorder.iterationFinished(result, journey: intended.duration(to: .now), interrupted: cutOff)
    }

    /// Open model: arrivals at their scheduled times whatever the server does; at most `maxInFlight` at once, an
    /// arrival beyond waiting for a place with its latency counted from its intended start.
    func runOpen(
        _ schedule: ArrivalSchedule, prepared: [Int: PreparedFlow], sessions: SharedActorSessions, recorder: LoadRecorder, seed: UInt64
    ) async {
        let start = recorder.start
        let end = start.advanced(by: scenario.model.duration)
        let places = AsyncPlaces(scenario.maxInFlight)
        var picker = WeightedPicker(weights: flows.map(\.weight), seed: seed)
        await withTaskGroup(of: Void.self) { group in
            var schedule = schedule
            while let offset = schedule.next() {
                let intended = start.advanced(by: .milliseconds(offset * 1000))
                guard intended < end else { break }
                if Task.isCancelled || recorder.requestsSent >= scenario.maxRequests {
                    recorder.iterationDropped()
                    continue
                }
                try? await Task.sleep(until: intended, clock: .continuous)
                await places.acquire()
                let index = picker.next()
                let planned = flows[index]
                let ready = prepared[index]
                group.addTask {
                    await iterate(planned, prepared: ready, intended: intended, sessions: sessions, recorder: recorder)
                    places.release()
                }
            }
            await group.waitForAll()
        }
    }

    /// Closed model: `users` virtual users, each running iterations back to back with `think` between them.
    func runClosed(
        users: Int, think: Duration, duration: Duration, prepared: [Int: PreparedFlow], sessions: SharedActorSessions, recorder: LoadRecorder,
        seed: UInt64
    ) async {
        let end = recorder.start.advanced(by: duration)
        await withTaskGroup(of: Void.self) { group in
            for user in 0..<users {
                group.addTask {
                    var picker = WeightedPicker(weights: flows.map(\.weight), seed: seed &+ UInt64(user))
                    let setupRunner = makeRunner(sessions: sessions) { transport }
                    var own: [Int: PreparedFlow] = [:]
                    while ContinuousClock.now < end, !Task.isCancelled, recorder.requestsSent < scenario.maxRequests {
                        let index = picker.next()
                        let planned = flows[index]
                        var ready = prepared[index]
                        if ready == nil, planned.setup == .perUser {
                            if own[index] == nil { own[index] = await setupRunner.prepare(planned.flow) }
                            ready = own[index]
                        }
                        await iterate(planned, prepared: ready, intended: .now, sessions: sessions, recorder: recorder)
                        if think > .zero { try? await Task.sleep(for: think) }
                    }
                    for done in own.values { _ = await setupRunner.tearDown(done) }
                }
            }
            await group.waitForAll()
        }
    }
}

/// A counting semaphore for async code: at most `count` holders at once, waiters served in order.
final class AsyncPlaces: Sendable {
    private struct State {
        var free: Int
        var waiting: [CheckedContinuation<Void, Never>] = []
    }
    private let state: Mutex<State>

    init(_ count: Int) { state = Mutex(State(free: count)) }

    func acquire() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let granted = state.withLock { state in
                if state.free > 0 {
                    state.free -= 1
                    return true
                }
                state.waiting.append(continuation)
                return false
            }
            if granted { continuation.resume() }
        }
    }

    func release() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if state.waiting.isEmpty {
                state.free += 1
                return nil
            }
            return state.waiting.removeFirst()
        }
        next?.resume()
    }
}
