import Synchronization

/// A number that grows whenever this process has changed the database: read caches compare it to tell current
/// answers from stale ones (``ReadResponseCache``).
///
/// ``BookingDatabase`` advances it when a connection lease that ran a statement other than a read (`SELECT`) or a
/// transaction marker ends — after `COMMIT`, so a reader that saw the old version can never store an answer as
/// current that misses the write. Writes by other processes (another instance, `illajwala-api seed`) do not move it;
/// caches bound that staleness by their time to live.
public final class DataVersion: Sendable {
    private let value = Atomic<UInt64>(0)

    public init() {}

    /// The version now; compare it with the version a cached answer was computed at.
    public var current: UInt64 { value.load(ordering: .acquiring) }

    /// Marks a change (called once a lease that wrote has ended).
    func advance() { value.add(1, ordering: .releasing) }
}

/// Whether a lease ran a statement that may have written (one per lease, shared by its statements).
final class LeaseWrites: Sendable {
    private let wrote = Atomic(false)

    func note() { wrote.store(true, ordering: .relaxed) }
    var happened: Bool { wrote.load(ordering: .relaxed) }

    /// Whether `sql` (a serialized statement) may change data: anything but `SELECT` and the transaction markers
    /// `BEGIN`, `COMMIT`, `ROLLBACK` counts as a write — `PRAGMA`, `WITH … INSERT` and unknown verbs included, so a
    /// mistake costs a cache miss, never a stale answer.
    static func mayWrite(_ sql: String) -> Bool {
        var verb = Substring(sql).drop { $0.isWhitespace || $0 == "(" }.prefix { $0.isLetter }
        verb = Substring(verb.uppercased())
        return !(verb == "SELECT" || verb == "BEGIN" || verb == "COMMIT" || verb == "ROLLBACK")
    }
}
