import FlowCore
import FlowRuntime
import Foundation

/// The results of a load test: what `load.json` holds (docs/schemas/load.schema.json) and the other reports show.
/// Latencies are milliseconds; rates are per second; `errorRate` and `checksPassedRate` are fractions (0–1).
public struct LoadResults: Sendable, Codable {
    public struct Iterations: Sendable, Codable {
        public var started: Int
        public var completed: Int
        public var passed: Int
        public var failed: Int
        /// Arrivals not started: the request cap was reached or the test was interrupted.
        public var dropped: Int
        /// Journeys the interruption cut off (neither passed nor failed, left out of the error rate).
        public var interrupted: Int
        /// Completed iterations per second over the test.
        public var rate: Double
    }

    public struct Requests: Sendable, Codable {
        public var count: Int
        /// Requests with no response or a 5xx.
        public var errors: Int
        public var rate: Double
        public var latency: LatencyStatistics
    }

    public struct Operation: Sendable, Codable {
        public var operation: String
        public var count: Int
        public var errors: Int
        public var rate: Double
        public var statuses: [String: Int]
        public var latency: LatencyStatistics
    }

    public struct FlowFigures: Sendable, Codable {
        public var name: String
        public var file: String
        /// The flow's share of the mix's weight (a matrix file's weight is split between its cases).
        public var weight: Double
        public var setup: String
        public var passed: Int
        public var failed: Int
        /// Journey latency: from each iteration's intended start to its end.
        public var journey: LatencyStatistics
    }

    public struct Step: Sendable, Codable {
        public var flow: String
        public var step: String
        public var failed: Int
        public var latency: LatencyStatistics
    }

    public struct Second: Sendable, Codable {
        public var second: Int
        public var requests: Int
        public var errors: Int
        public var iterationsStarted: Int
        public var p50: Double
        public var p95: Double
        public var p99: Double
        public var max: Double
    }

    public struct ThresholdOutcome: Sendable, Codable {
        public var threshold: String
        /// The measured value: milliseconds for latency, a fraction for errors and checks; `null` when nothing was measured.
        public var measured: Double?
        public var passed: Bool
        public var message: String
    }

    public var schemaVersion = 1
    public var target: String
    public var baseURL: String
    public var model: String
    /// RFC 3339, UTC.
    public var startedAt: String
    /// Seconds from the first arrival to the end of the last iteration.
    public var durationSeconds: Double
    public var seed: UInt64
    public var maxRequests: Int
    public var maxInFlight: Int
    /// Logins and token refreshes the shared actor sessions performed (once per identity, not per iteration).
    public var actorLogins: Int
    public var iterations: Iterations
    public var requests: Requests
    public var errorRate: Double
    public var checks: [String: Int]
    public var checksPassedRate: Double
    public var errorsByKind: [String: Int]
    public var operations: [Operation]
    public var flows: [FlowFigures]
    public var steps: [Step]
    public var timeline: [Second]
    public var distribution: [PercentilePoint]
    public var thresholds: [ThresholdOutcome]
    /// The first journey failure, for a quick look (the reports list errors by kind).
    public var firstFailure: String?
    /// Whether the test was interrupted (Ctrl-C, SIGTERM) before its end: its figures cover what ran.
    public var interrupted: Bool
    /// Whether the request cap stopped new journeys before the test's duration ended.
    public var requestCapReached: Bool
    /// Seconds the rates are computed over: the load's duration, or the time until the interruption.
    public var rateSeconds: Double
    /// Whether every threshold held.
    public var passed: Bool

    init(
        _ state: LoadRecorder.State, scenario: LoadScenario, target: LoadEngine.Target, startedAt: Date, duration: Duration, seed: UInt64,
        logins: Int, flows planned: [PlannedFlow], interrupted: Bool
    ) {
        let measured = max(0.001, Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
        let plannedSeconds = Double(scenario.model.duration.components.seconds) + Double(scenario.model.duration.components.attoseconds) / 1e18
        // Rates are per second of load (the arrival period), not per second until the last journey ended.
        let seconds = interrupted ? measured : max(0.001, plannedSeconds)
        self.interrupted = interrupted
        self.requestCapReached = !interrupted && state.iterationsDropped > 0
        self.rateSeconds = Self.rounded(seconds)
        self.target = target.name
        self.baseURL = target.baseURL.absoluteString
        self.model = scenario.model.summary
        self.startedAt = ISO8601DateFormatter().string(from: startedAt)
        self.durationSeconds = Self.rounded(measured)
        self.seed = seed
        self.maxRequests = scenario.maxRequests
        self.maxInFlight = scenario.maxInFlight
        self.actorLogins = logins
        let passedJourneys = state.flows.values.reduce(0) { $0 + $1.passed }
        let failedJourneys = state.flows.values.reduce(0) { $0 + $1.failed }
        iterations = Iterations(
            started: state.iterationsStarted, completed: state.iterationsCompleted, passed: passedJourneys, failed: failedJourneys,
            dropped: state.iterationsDropped, interrupted: state.iterationsInterrupted, rate: Self.rounded(Double(state.iterationsCompleted) / seconds))
        requests = Requests(
            count: Int(state.requests.count), errors: state.requestErrors, rate: Self.rounded(Double(state.requests.count) / seconds),
            latency: state.requests.statistics)
        errorRate = state.iterationsCompleted == 0 ? 0 : Double(failedJourneys) / Double(state.iterationsCompleted)
        checks = ["passed": state.checksPassed, "failed": state.checksFailed]
        let allChecks = state.checksPassed + state.checksFailed
        checksPassedRate = allChecks == 0 ? 1 : Double(state.checksPassed) / Double(allChecks)
        errorsByKind = state.errorsByKind
        operations = state.operations.map { label, figures in
            Operation(
                operation: label, count: Int(figures.latency.count), errors: figures.errors, rate: Self.rounded(Double(figures.latency.count) / seconds),
                statuses: Dictionary(uniqueKeysWithValues: figures.statuses.map { (String($0.key), $0.value) }), latency: figures.latency.statistics)
        }.sorted { $0.count != $1.count ? $0.count > $1.count : $0.operation < $1.operation }
        var seen = Set<String>()
        flows = planned.compactMap { plan in
            guard seen.insert(plan.flow.name).inserted else { return nil }
            let figures = state.flows[plan.flow.name] ?? LoadRecorder.FlowFigures()
            return FlowFigures(
                name: plan.flow.name, file: plan.flow.source.path, weight: plan.weight, setup: plan.setup.rawValue, passed: figures.passed,
                failed: figures.failed, journey: figures.journeys.statistics)
        }
        steps = state.steps.map { key, figures in Step(flow: key.flow, step: key.step, failed: figures.failed, latency: figures.latency.statistics) }
            .sorted { ($0.flow, $0.step) < ($1.flow, $1.step) }
        timeline = state.timeline.enumerated().map { index, second in
            Second(
                second: index, requests: second.requests, errors: second.errors, iterationsStarted: second.iterationsStarted,
                p50: Self.rounded(second.latency.seconds(atPercentile: 50) * 1000), p95: Self.rounded(second.latency.seconds(atPercentile: 95) * 1000),
                p99: Self.rounded(second.latency.seconds(atPercentile: 99) * 1000), max: Self.rounded(second.latency.maxSeconds * 1000))
        }
        distribution = state.requests.distribution
        firstFailure = state.firstFailure
        thresholds = []
        passed = true
        thresholds = scenario.thresholds.map { evaluate($0, state: state) }
        passed = thresholds.allSatisfy(\.passed)
    }

    /// The ten steps with the highest p95, slowest first (both human reports list them).
    var slowestSteps: ArraySlice<Step> { steps.sorted { $0.latency.p95 > $1.latency.p95 }.prefix(10) }

    /// `value` to a microsecond (or a millionth): what the reports show, without binary-fraction noise.
    static func rounded(_ value: Double) -> Double { (value * 1_000_000).rounded() / 1_000_000 }

    /// Measures `threshold` on the recorded state.
    func evaluate(_ threshold: Threshold, state: LoadRecorder.State) -> ThresholdOutcome {
        func latency(_ histogram: LatencyHistogram) -> Double? {
            guard histogram.count > 0 else { return nil }
            switch threshold.metric {
            case .percentile(let p): return histogram.seconds(atPercentile: p)
            case .max: return histogram.maxSeconds
            case .mean: return histogram.meanSeconds
            case .errors, .checks: return nil
            }
        }
        var measured: Double?
        var nothing = "nothing was measured"
        switch (threshold.scope, threshold.metric) {
        case (_, .checks):
            measured = state.checksPassed + state.checksFailed == 0 ? nil : checksPassedRate
            nothing = "no assertion ran"
        case (.all, .errors):
            measured = state.iterationsCompleted == 0 ? nil : errorRate
            nothing = "no journey completed"
        case (.all, _):
            measured = latency(state.requests)
            nothing = "no request completed"
        case (.operation(let method, let path), let metric):
            let label = "\(method) \(path)"
            nothing = "no request to \(label) (operations seen: \(state.operations.keys.sorted().prefix(8).joined(separator: ", ")))"
            if let figures = state.operations[label] {
                measured = metric == .errors ? Double(figures.errors) / Double(max(1, figures.latency.count)) : latency(figures.latency)
            }
        case (.flow(let name), let metric):
            nothing = "no journey of flow '\(name)'"
            if let figures = state.flows[name] {
                measured = metric == .errors ? Double(figures.failed) / Double(max(1, figures.passed + figures.failed)) : latency(figures.journeys)
            }
        }
        guard let value = measured else {
            return ThresholdOutcome(threshold: threshold.text, measured: nil, passed: false, message: "\(threshold.text): \(nothing)")
        }
        let held = threshold.comparison.holds(value, threshold.limit)
        let isRate = threshold.metric == .errors || threshold.metric == .checks
        let shown = isRate ? String(format: "%.3f%%", value * 100) : String(format: "%.1f ms", value * 1000)
        let reported = Self.rounded(isRate ? value : value * 1000)
        return ThresholdOutcome(
            threshold: threshold.text, measured: reported, passed: held,
            message: "\(threshold.text): measured \(shown) — \(held ? "holds" : "BROKEN")")
    }
}
