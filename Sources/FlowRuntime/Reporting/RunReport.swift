import FlowCore
import Foundation

/// Everything a report needs about one run of flows.
public struct RunReport: Sendable {
    /// Target name (or URL) the flows ran against.
    public var target: String
    /// When the run started.
    public var startedAt: Date
    /// Wall time of the whole run in seconds.
    public var duration: Duration
    /// Host that ran the flows.
    public var hostname: String
    /// Flow results in run order.
    public var results: [FlowResult]
    /// The base URL requests went to (the embedded server's loopback address for `local`).
    public var baseURL: String?
    /// Why the run stopped early (`SIGINT`, `SIGTERM`, `--fail-fast`), or `nil` when every selected flow ran.
    public var interruption: String?
    /// The shard this run was (`run --shard I/N`), or `nil` for a whole run.
    public var shard: FlowShard?
    /// The CI run this report belongs to (`--run-id`, `ILLAJWALA_FLOWS_RUN_ID`): `merge-reports` joins only shards of
    /// one run.
    public var runID: String?
    /// With ``shard``: the plan's ``ShardPlanner/Plan/fingerprint``, the same for every shard of one run.
    public var shardPlan: String?

    /// Creates a report; `duration` in seconds.
    public init(target: String, startedAt: Date, duration: Duration, hostname: String = ProcessInfo.processInfo.hostName, results: [FlowResult]) {
        self.target = target
        self.startedAt = startedAt
        self.duration = duration
        self.hostname = hostname
        self.results = results
    }

    /// Flows that passed only on a retry (counted in ``passedCount`` too).
    public var flakyCount: Int { results.count(where: \.isFlaky) }
    /// Flows that passed.
    public var passedCount: Int { results.count { $0.status == .passed } }
    /// Flows whose expectations failed.
    public var failedCount: Int { results.count { $0.status == .failed } }
    /// Flows that could not be carried out (transport or template errors).
    public var erroredCount: Int { results.count { $0.status == .errored } }
    /// Flows that did not run.
    public var skippedCount: Int { results.count { $0.status == .skipped } }

    /// `N passed, N failed, N skipped`; errored flows count as failed.
    public var tally: String { "\(passedCount) passed, \(failedCount + erroredCount) failed, \(skippedCount) skipped" }

    /// Results grouped by flow file, files in first-seen order.
    public var resultsByFile: [(suiteName: String, results: [FlowResult])] {
        var order: [String] = []
        var groups: [String: [FlowResult]] = [:]
        for result in results {
            if groups[result.source.suiteName] == nil { order.append(result.source.suiteName) }
            groups[result.source.suiteName, default: []].append(result)
        }
        return order.map { ($0, groups[$0] ?? []) }
    }
}
