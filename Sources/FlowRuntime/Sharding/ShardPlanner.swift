import FlowCore

/// Splits flows into shards of about equal running time (`run --shard I/N`).
///
/// The unit is the flow file: its matrix rows, setup and teardown stay together. Each file weighs its duration in
/// an earlier run (``FlowDurations``; a file missing from it weighs the median of the known ones) or, without
/// durations, its step count (setup, steps and teardown, times its matrix rows). Files are placed heaviest first,
/// each on the shard with the least weight so far (lowest index on a tie) — the LPT rule, whose longest shard is
/// at most 4/3 of the optimum and, with many files, close to the ideal total / N. Ties between equal weights are
/// broken by suite name, so the same inputs give the same shards on every machine.
public struct ShardPlanner: Sendable {
    /// What the weights are.
    public enum Basis: String, Sendable {
        /// Milliseconds from an earlier run.
        case durations
        /// Step counts.
        case steps
    }

    /// One shard's files and weight.
    public struct Shard: Sendable, Equatable {
        /// Suite names (flow files under the flows root) in the order they were loaded.
        public var suites: [String]
        /// Sum of their weights (milliseconds or steps, see ``Plan/basis``).
        public var weight: Double
    }

    /// Every shard of a run.
    public struct Plan: Sendable, Equatable {
        public var basis: Basis
        public var shards: [Shard]

        /// A short text that is the same exactly when two plans put the same files in the same shards: shards of one
        /// run record it (`flows.json` `shardPlan`) and `merge-reports` refuses shards planned differently (another
        /// selection, another `--durations`). FNV-1a 64 of the shards' suite lists, in hexadecimal.
        public var fingerprint: String {
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            let text = shards.map { $0.suites.joined(separator: "\u{1F}") }.joined(separator: "\u{1E}")
            for byte in text.utf8 {
                hash ^= UInt64(byte)
                hash = hash &* 0x100_0000_01b3
            }
            let hex = String(hash, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }

        /// The largest shard's weight over the ideal (total / shards): 1.0 is a perfect split.
        public var imbalance: Double {
            let total = shards.reduce(0) { $0 + $1.weight }
            guard total > 0 else { return 1 }
            return (shards.map(\.weight).max() ?? 0) / (total / Double(shards.count))
        }
    }

    public init() {}

    /// The plan for `flows` (as loaded and filtered, matrix rows expanded) over `count` shards.
    public func plan(_ flows: [Flow], count: Int, durations: FlowDurations?) -> Plan {
        var order: [String] = []
        var steps: [String: Int] = [:]
        for flow in flows {
            if steps[flow.source.suiteName] == nil { order.append(flow.source.suiteName) }
            steps[flow.source.suiteName, default: 0] += max(1, flow.allSteps.count)
        }
        let known = durations.map { durations in order.compactMap { durations.milliseconds[$0] } } ?? []
        let basis: Basis = known.isEmpty ? .steps : .durations
        let fallback = FlowDurations.median(of: known) ?? 1
        func weight(_ suite: String) -> Double {
            switch basis {
            case .durations: return durations?.milliseconds[suite] ?? fallback
            case .steps: return Double(steps[suite] ?? 1)
            }
        }
        let heaviestFirst = order.sorted { left, right in
            let (a, b) = (weight(left), weight(right))
            return a != b ? a > b : left < right
        }
        var shards = Array(repeating: Shard(suites: [], weight: 0), count: max(1, count))
        for suite in heaviestFirst {
            let lightest = shards.indices.min { shards[$0].weight != shards[$1].weight ? shards[$0].weight < shards[$1].weight : $0 < $1 }!
            shards[lightest].suites.append(suite)
            shards[lightest].weight += weight(suite)
        }
        let position = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($0.element, $0.offset) })
        for index in shards.indices { shards[index].suites.sort { position[$0]! < position[$1]! } }
        return Plan(basis: basis, shards: shards)
    }

    /// The flows of `shard`, in their loaded order.
    public func flows(_ flows: [Flow], of shard: FlowShard, durations: FlowDurations?) -> (flows: [Flow], plan: Plan) {
        let plan = plan(flows, count: shard.count, durations: durations)
        let mine = Set(plan.shards[shard.index - 1].suites)
        return (flows.filter { mine.contains($0.source.suiteName) }, plan)
    }
}
