/// One of N shards of a run (`run --shard I/N`): the I-th part of the selected flows, so N machines can run a suite
/// in parallel and `merge-reports` can join what they wrote.
public struct FlowShard: Sendable, Hashable, CustomStringConvertible {
    /// Most shards a run may be split into.
    public static let maximumCount = 256

    /// 1-based position of this shard, 1…``count``.
    public var index: Int
    /// How many shards the run is split into.
    public var count: Int

    /// - Throws: ``FlowShardError`` when `index` is not 1…`count` or `count` is not 1…``maximumCount``.
    public init(index: Int, count: Int) throws(FlowShardError) {
        guard (1...Self.maximumCount).contains(count) else {
            throw FlowShardError("the shard count must be 1 to \(Self.maximumCount), not \(count)")
        }
        guard (1...count).contains(index) else { throw FlowShardError("the shard index must be 1 to \(count), not \(index)") }
        self.index = index
        self.count = count
    }

    /// Parses `I/N`, e.g. `2/4`.
    /// - Throws: ``FlowShardError`` naming what is wrong with `text`.
    public init(parsing text: String) throws(FlowShardError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else {
            throw FlowShardError("expected I/N (e.g. 2/4: the second of four shards), not '\(text)'")
        }
        try self.init(index: index, count: count)
    }

    /// `I/N`.
    public var description: String { "\(index)/\(count)" }
}

/// A `--shard` or `--durations` value that cannot be used.
public struct FlowShardError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
