import FlowCore
import FlowRuntime
import Foundation
import Synchronization

/// Everything a load test measures, recorded from many iterations at once: request latencies per API operation,
/// journey latencies per flow (from each iteration's intended start), step latencies, checks, errors by kind and a
/// per-second timeline. Thread-safe; ``snapshot(at:)`` reads it for progress lines and reports.
final class LoadRecorder: Sendable {
    /// The figures of one second of the test.
    struct Second: Sendable {
        var requests = 0
        var errors = 0
        var iterationsStarted = 0
        var latency = LatencyHistogram(significantDigits: .two)
    }

    struct FlowFigures: Sendable {
        var journeys = LatencyHistogram()
        var passed = 0
        var failed = 0
    }

    struct OperationFigures: Sendable {
        var latency = LatencyHistogram()
        var errors = 0
        var statuses: [Int: Int] = [:]
    }

    struct StepFigures: Sendable {
        var latency = LatencyHistogram()
        var failed = 0
    }

    struct State: Sendable {
        var requests = LatencyHistogram()
        var requestErrors = 0
        var operations: [String: OperationFigures] = [:]
        var flows: [String: FlowFigures] = [:]
        var steps: [StepKey: StepFigures] = [:]
        var errorsByKind: [String: Int] = [:]
        var checksPassed = 0
        var checksFailed = 0
        var iterationsStarted = 0
        var iterationsCompleted = 0
        var iterationsDropped = 0
        /// Journeys the interruption (Ctrl-C) cut off: neither passed nor failed.
        var iterationsInterrupted = 0
        var timeline: [Second] = []
        var firstFailure: String?
    }

    struct StepKey: Hashable, Sendable {
        var flow: String
        var step: String
    }

    private let state = Mutex(State())
    private let requestCount = Atomic<Int>(0)
    private let inFlight = Atomic<Int>(0)
    let start: ContinuousClock.Instant

    init(start: ContinuousClock.Instant) { self.start = start }

    /// Requests sent so far (the request cap is checked against it).
    var requestsSent: Int { requestCount.load(ordering: .relaxed) }
    /// Iterations running now.
    var iterationsInFlight: Int { inFlight.load(ordering: .relaxed) }

    private func second(of instant: ContinuousClock.Instant) -> Int {
        max(0, Int(start.duration(to: instant).components.seconds))
    }

    private static func bucket(_ state: inout State, _ index: Int) {
        while state.timeline.count <= index { state.timeline.append(Second()) }
    }

    /// Notes a request about to be sent (for the request cap).
    func requestStarting() { requestCount.add(1, ordering: .relaxed) }

    /// Records one request: its operation label, latency, and its status or the transport failure.
    func recordRequest(operation: String, latency: Duration, status: Int?, transportError: String?) {
        let isError = transportError != nil || (status ?? 0) >= 500
        let index = second(of: .now)
        // Histograms are mutated in place (through the dictionary's default subscript): copying one out and back
        // would copy its counts array on every request.
        state.withLock { state in
            state.requests.record(latency)
            state.operations[operation, default: OperationFigures()].latency.record(latency)
            if isError { state.operations[operation, default: OperationFigures()].errors += 1 }
            if let status { state.operations[operation, default: OperationFigures()].statuses[status, default: 0] += 1 }
            if isError {
                state.requestErrors += 1
                state.errorsByKind[transportError.map { "transport: \($0)" } ?? "http \(status ?? 0)", default: 0] += 1
            }
            Self.bucket(&state, index)
            state.timeline[index].requests += 1
            state.timeline[index].latency.record(latency)
            if isError { state.timeline[index].errors += 1 }
        }
    }

    /// Notes an iteration starting now.
    func iterationStarted() {
        inFlight.add(1, ordering: .relaxed)
        let index = second(of: .now)
        state.withLock { state in
            state.iterationsStarted += 1
            Self.bucket(&state, index)
            state.timeline[index].iterationsStarted += 1
        }
    }

    /// Records a finished iteration: its journey latency (from the intended start), its steps and checks, and its
    /// failure by kind.
    /// - Parameter interrupted: the test was being stopped and the journey did not pass: it was cut off, not failed.
    func iterationFinished(_ result: FlowResult, journey: Duration, interrupted: Bool = false) {
        inFlight.subtract(1, ordering: .relaxed)
        guard !interrupted else {
            state.withLock { $0.iterationsInterrupted += 1 }
            return
        }
        state.withLock { state in
            state.iterationsCompleted += 1
            state.flows[result.name, default: FlowFigures()].journeys.record(journey)
            if result.status == .passed {
                state.flows[result.name, default: FlowFigures()].passed += 1
            } else {
                state.flows[result.name, default: FlowFigures()].failed += 1
            }
            for step in result.steps where step.status != .skipped {
                let key = StepKey(flow: result.name, step: step.name)
                state.steps[key, default: StepFigures()].latency.record(step.duration)
                if step.status != .passed { state.steps[key, default: StepFigures()].failed += 1 }
                for assertion in step.assertions {
                    if assertion.passed { state.checksPassed += 1 } else { state.checksFailed += 1 }
                }
            }
            if result.status != .passed, let failure = result.failure {
                state.errorsByKind["journey: \(failure.kind.rawValue)", default: 0] += 1
                if state.firstFailure == nil { state.firstFailure = "\(result.name): \(failure.summary)" }
            }
        }
    }

    /// Notes an arrival that was not started (the request cap was reached or the test was stopped).
    func iterationDropped() { state.withLock { $0.iterationsDropped += 1 } }

    /// A copy of everything recorded so far (for the reports, once at the end).
    func snapshot() -> State { state.withLock { $0 } }

    /// The few figures a progress line shows, read under the lock: copying the whole state every second would make
    /// the next request recorded into each histogram copy its counts (copy-on-write).
    func progressFigures() -> (iterationsStarted: Int, requests: Int, p95Milliseconds: Double, errors: Int, journeysFailed: Int) {
        state.withLock { state in
            (
                state.iterationsStarted, Int(state.requests.count), state.requests.seconds(atPercentile: 95) * 1000, state.requestErrors,
                state.flows.values.reduce(0) { $0 + $1.failed }
            )
        }
    }
}
