import Foundation
import NIOCore
import Synchronization

/// Remembers the bodies of the read-heavy answers — the doctor directory and doctor pages, doctors' availability,
/// clinics, a caller's appointment list — for a short time, so a burst of the same read costs one database round trip
/// (docs/performance-tuning.md: these reads reached 6–35 % of the `/health/live` ceiling uncached, 60–110 % cached).
///
/// An answer is served from the cache only while it is younger than ``timeToLive``, **and** the database has not
/// changed since it was computed (``DataVersion``), **and** it has not passed the instant its computation said it
/// turns stale (``Answer/validUntil``: availability lists no slot that has started). A booking, a cancellation or a
/// doctor's review in this process takes effect on the next read, not after the time to live. Only changes made by
/// other processes (a second instance on the same PostgreSQL) can be missed, for at most ``timeToLive``; booking stays
/// correct then, because the database's constraints — not this cache — decide whether a slot is free
/// (409 SLOT_UNAVAILABLE).
///
/// Keys are built from the parsed request (``key(_:)``): the route, the tenant, the caller's role (visibility rules),
/// for personal lists the caller, and every parameter the answer depends on — never the raw URL, so parameters the
/// API ignores cannot multiply entries. Failures are never stored. Memory is bounded by ``maximumBytes`` (bodies and
/// keys); an answer larger than a sixteenth of it is not kept; expired and stale answers are swept every
/// ``sweepInterval`` stores, and when the budget is reached stale ones go first, then all.
public final class ReadResponseCache: Sendable {
    /// What a computation produced: the body and, when the answer turns stale at a known instant, that instant.
    public struct Answer: Sendable {
        public var body: ByteBuffer
        /// When the answer stops being true whatever the database does (the start of the first slot listed), or `nil`.
        public var validUntil: Date?

        public init(_ body: ByteBuffer, validUntil: Date? = nil) {
            self.body = body
            self.validUntil = validUntil
        }
    }

    private struct Entry {
        var version: UInt64
        var expires: ContinuousClock.Instant
        var body: ByteBuffer
        var bytes: Int
    }

    private struct Storage {
        var entries: [String: Entry] = [:]
        var bytes = 0
        var storesSinceSweep = 0

        mutating func remove(_ key: String) {
            if let old = entries.removeValue(forKey: key) { bytes -= old.bytes }
        }

        mutating func removeAll(where stale: (Entry) -> Bool) {
            for (key, entry) in entries where stale(entry) { remove(key) }
        }
    }

    /// How long an answer may be served while the database is unchanged; `.zero` turns the cache off.
    public let timeToLive: Duration
    /// Most bytes of bodies and keys kept at once.
    public let maximumBytes: Int
    /// Longest key worth caching, in bytes (long search texts); longer requests are answered uncached.
    public static let maximumKeyBytes = 512
    /// Stores between two sweeps of expired and stale answers.
    public static let sweepInterval = 256
    private let changes: DataVersion
    private let metrics: ServiceMetrics?
    private let storage = Mutex(Storage())

    /// - Parameters:
    ///   - timeToLive: see ``timeToLive`` (`READ_CACHE_TTL_MS`).
    ///   - maximumBytes: see ``maximumBytes`` (`READ_CACHE_MAX_MB`).
    ///   - changes: the database's ``BookingDatabase/changes``.
    ///   - metrics: where hits and misses are counted (`read_cache_lookups_total`).
    public init(timeToLive: Duration, maximumBytes: Int, changes: DataVersion, metrics: ServiceMetrics? = nil) {
        self.timeToLive = timeToLive
        self.maximumBytes = max(1, maximumBytes)
        self.changes = changes
        self.metrics = metrics
    }

    /// The cache key of a read: the route's name followed by everything its answer depends on (`nil` parameters
    /// spelled apart from empty ones).
    public static func key(_ parts: [String?]) -> String {
        parts.map { $0.map { "=" + $0 } ?? "-" }.joined(separator: "\u{1F}")
    }

    /// The cached body for `key` when it is current, else `compute()`'s, remembered for the next reader.
    /// - Throws: whatever `compute` throws (nothing is remembered then).
    public func body(for key: String, compute: () async throws -> Answer) async throws -> ByteBuffer {
        guard timeToLive > .zero, key.utf8.count <= Self.maximumKeyBytes else { return try await compute().body }
        // The version is read before the database is: a write that lands while `compute` runs makes the stored
        // answer stale at once, never current.
        let version = changes.current
        let now = ContinuousClock.now
        if let body = storage.withLock({ storage -> ByteBuffer? in
            guard let entry = storage.entries[key], entry.version == version, entry.expires > now else { return nil }
            return entry.body
        }) {
            metrics?.readCacheLookup(hit: true)
            return body
        }
        metrics?.readCacheLookup(hit: false)
        let answer = try await compute()
        var expires = now + timeToLive
        if let validUntil = answer.validUntil {
            let left = validUntil.timeIntervalSinceNow
            expires = min(expires, ContinuousClock.now + .milliseconds(Int64((max(0, left) * 1000).rounded(.down))))
        }
        let bytes = answer.body.readableBytes + key.utf8.count
        guard expires > now, bytes <= maximumBytes / 16 else { return answer.body }
        storage.withLock { storage in
            if let existing = storage.entries[key], existing.version > version { return }
            storage.remove(key)
            storage.storesSinceSweep += 1
            if storage.storesSinceSweep >= Self.sweepInterval || storage.bytes + bytes > maximumBytes {
                storage.storesSinceSweep = 0
                let (current, now) = (changes.current, ContinuousClock.now)
                storage.removeAll { $0.version != current || $0.expires <= now }
                if storage.bytes + bytes > maximumBytes { storage.removeAll { _ in true } }
            }
            storage.entries[key] = Entry(version: version, expires: expires, body: answer.body, bytes: bytes)
            storage.bytes += bytes
        }
        return answer.body
    }

    /// How many answers are held now (stale ones included until they are swept or replaced).
    public var count: Int { storage.withLock { $0.entries.count } }
    /// Bytes of bodies and keys held now.
    public var bytes: Int { storage.withLock { $0.bytes } }
}
