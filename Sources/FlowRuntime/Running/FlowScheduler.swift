import FlowCore
import Foundation

/// Runs flows with at most ``jobs`` at a time, in file order; re-runs a failed flow up to ``retries`` times
/// (a flow that then passes is flaky); stops starting new flows after the first failure when ``failFast`` is set,
/// or when the calling task is cancelled (an interrupted run). Flows never share data (each creates its own), so
/// the order in which parallel flows finish does not change their outcome; results come back in input order,
/// the flows not run as skipped.
package struct FlowScheduler: Sendable {
    /// Flows running at the same time (≥ 1).
    package let jobs: Int
    /// Start no new flow after one failed or errored; those not started are reported as skipped.
    package let failFast: Bool
    /// Extra attempts for a flow that failed or errored (0 = none).
    package var retries: Int = 0

    /// Creates a scheduler.
    package init(jobs: Int, failFast: Bool, retries: Int = 0) {
        self.jobs = jobs
        self.failFast = failFast
        self.retries = retries
    }

    /// Runs `flows` and calls `onResult` (on the calling task) as each one finishes, then for each flow not run.
    package func run(_ flows: [Flow], with runner: FlowRunner, onResult: (FlowResult) -> Void) async -> [FlowResult] {
        var results = [FlowResult?](repeating: nil, count: flows.count)
        var failFastStopped = false
        await withTaskGroup(of: (Int, FlowResult).self) { group in
            var next = 0
            func startNext() {
                guard next < flows.count else { return }
                let index = next
                let retries = self.retries
                group.addTask { (index, await Self.runWithRetries(flows[index], runner: runner, retries: retries)) }
                next += 1
            }
            while next < min(max(jobs, 1), flows.count) { startNext() }
            while let (index, result) = await group.next() {
                results[index] = result
                onResult(result)
                if failFast, result.status == .failed || result.status == .errored { failFastStopped = true }
                if !failFastStopped, !Task.isCancelled { startNext() }
            }
        }
        let reason = failFastStopped ? "not run: --fail-fast stopped the run after a failure" : "not run: the run was interrupted"
        for index in results.indices where results[index] == nil {
            let skipped = Self.notRun(flows[index], reason: reason)
            results[index] = skipped
            onResult(skipped)
        }
        return results.compactMap { $0 }
    }

    /// Runs a flow, and again while it fails and attempts remain; the final result carries the earlier attempts.
    package static func runWithRetries(_ flow: Flow, runner: FlowRunner, retries: Int) async -> FlowResult {
        var previous: [FlowResult] = []
        var result = await runner.run(flow)
        while result.status == .failed || result.status == .errored, previous.count < retries, !Task.isCancelled,
            result.failure?.kind != .interrupted
        {
            previous.append(result)
            result = await runner.run(flow)
        }
        result.previousAttempts = previous
        return result
    }

    /// A flow reported as skipped because the run stopped before it started.
    package static func notRun(_ flow: Flow, reason: String) -> FlowResult {
        let reason = flow.skipReason ?? reason
        var result = FlowResult(
            name: flow.name, source: flow.source, status: .skipped,
            steps: FlowState.skippedRecords(flow.setup[...], phase: .setup) + FlowState.skippedRecords(flow.steps[...], phase: .main)
                + FlowState.skippedRecords(flow.teardown[...], phase: .teardown),
            startedAt: Date(), duration: .zero, failure: .init(step: "", summary: reason, details: reason, kind: .cancelled))
        result.matrix = flow.matrix
        return result
    }
}
