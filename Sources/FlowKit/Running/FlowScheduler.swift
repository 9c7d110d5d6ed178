import Foundation

/// Runs flows with at most ``jobs`` at a time, in file order, and stops starting new ones after the first
/// failure when ``failFast`` is set. Flows never share data (each creates its own), so the order in which
/// parallel flows finish does not change their outcome; results come back in the order of the input.
struct FlowScheduler: Sendable {
    /// Flows running at the same time (≥ 1).
    let jobs: Int
    /// Start no new flow after one failed or errored; those not started are reported as skipped.
    let failFast: Bool

    /// Runs `flows` and calls `onResult` (on the calling task) as each one finishes, then for each flow not run.
    func run(_ flows: [Flow], with runner: FlowRunner, onResult: (FlowResult) -> Void) async -> [FlowResult] {
        var results = [FlowResult?](repeating: nil, count: flows.count)
        await withTaskGroup(of: (Int, FlowResult).self) { group in
            var next = 0
            var stopped = false
            while next < min(max(jobs, 1), flows.count) {
                let index = next
                group.addTask { (index, await runner.run(flows[index])) }
                next += 1
            }
            while let (index, result) = await group.next() {
                results[index] = result
                onResult(result)
                if failFast, result.status == .failed || result.status == .errored { stopped = true }
                if !stopped, next < flows.count {
                    let index = next
                    group.addTask { (index, await runner.run(flows[index])) }
                    next += 1
                }
            }
        }
        for index in results.indices where results[index] == nil {
            let skipped = Self.notRun(flows[index], reason: "not run: --fail-fast stopped the run after a failure")
            results[index] = skipped
            onResult(skipped)
        }
        return results.compactMap { $0 }
    }

    /// A flow reported as skipped because the run stopped before it started.
    static func notRun(_ flow: Flow, reason: String) -> FlowResult {
        FlowResult(
            name: flow.name, source: flow.source, status: .skipped,
            steps: flow.steps.map { StepRecord(name: $0.name, status: .skipped, assertions: [], duration: 0) },
            startedAt: Date(), duration: 0, failure: .init(step: "", summary: reason, details: reason, type: "Cancelled"))
    }
}
