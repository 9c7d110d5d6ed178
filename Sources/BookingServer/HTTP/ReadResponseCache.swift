import NIOCore
import Synchronization

/// Remembers the bodies of the read-heavy answers — the doctor directory, doctors' availability, clinics, a caller's
/// appointment list — for a short time, so a burst of the same read costs one database round trip
/// (docs/performance-tuning.md: these reads reached 7–16 % of the `/health/live` ceiling uncached).
///
/// An answer is served from the cache only while it is younger than ``timeToLive`` **and** the database has not
/// changed since it was computed (``DataVersion``): a booking, a cancellation or a doctor's review in this process
/// takes effect on the next read, not after the time to live. Only changes made by other processes (a second
/// instance on the same PostgreSQL) can be missed, for at most ``timeToLive``; booking stays correct then, because
/// the database's constraints — not this cache — decide whether a slot is free (409 SLOT_UNAVAILABLE).
///
/// Keys must hold everything the answer depends on: the route, the tenant, the caller's role (visibility rules) and,
/// for personal lists, the caller, plus the full query string (``key(_:_:)``). Failures are never stored.
/// At most ``maximumEntries`` answers are kept; when full, stale ones are dropped first, then all.
public final class ReadResponseCache: Sendable {
    private struct Entry {
        var version: UInt64
        var expires: ContinuousClock.Instant
        var body: ByteBuffer
    }

    /// How long an answer may be served while the database is unchanged; `.zero` turns the cache off.
    public let timeToLive: Duration
    /// Most answers kept at once.
    public let maximumEntries: Int
    /// Longest key (route and query) worth caching, in bytes; longer requests are answered uncached.
    public static let maximumKeyBytes = 512
    private let changes: DataVersion
    private let metrics: ServiceMetrics?
    private let entries = Mutex<[String: Entry]>([:])

    /// - Parameters:
    ///   - timeToLive: see ``timeToLive`` (`READ_CACHE_TTL_MS`).
    ///   - maximumEntries: see ``maximumEntries`` (`READ_CACHE_MAX_ENTRIES`).
    ///   - changes: the database's ``BookingDatabase/changes``.
    ///   - metrics: where hits and misses are counted (`read_cache_lookups_total`).
    public init(timeToLive: Duration, maximumEntries: Int, changes: DataVersion, metrics: ServiceMetrics? = nil) {
        self.timeToLive = timeToLive
        self.maximumEntries = max(1, maximumEntries)
        self.changes = changes
        self.metrics = metrics
    }

    /// The cache key of a read: `parts` (route name, tenant, role, caller…) and the request's path and query.
    public static func key(_ parts: [String], _ uri: String) -> String {
        (parts + [uri]).joined(separator: "\u{1F}")
    }

    /// The cached body for `key` when it is current, else `compute()`'s, remembered for the next reader.
    /// - Throws: whatever `compute` throws (nothing is remembered then).
    public func body(for key: String, compute: () async throws -> ByteBuffer) async throws -> ByteBuffer {
        guard timeToLive > .zero, key.utf8.count <= Self.maximumKeyBytes else { return try await compute() }
        // The version is read before the database is: a write that lands while `compute` runs makes the stored
        // answer stale at once, never current.
        let version = changes.current
        let now = ContinuousClock.now
        if let body = entries.withLock({ entries -> ByteBuffer? in
            guard let entry = entries[key], entry.version == version, entry.expires > now else { return nil }
            return entry.body
        }) {
            metrics?.readCacheLookup(hit: true)
            return body
        }
        metrics?.readCacheLookup(hit: false)
        let body = try await compute()
        let entry = Entry(version: version, expires: now + timeToLive, body: body)
        entries.withLock { entries in
            if entries.count >= maximumEntries && entries[key] == nil {
                let current = changes.current
                let now = ContinuousClock.now
                entries = entries.filter { $0.value.version == current && $0.value.expires > now }
                if entries.count >= maximumEntries { entries.removeAll(keepingCapacity: true) }
            }
            if let existing = entries[key], existing.version > version { return }
            entries[key] = entry
        }
        return body
    }

    /// How many answers are held now (stale ones included until they are replaced or dropped).
    public var count: Int { entries.withLock { $0.count } }
}
