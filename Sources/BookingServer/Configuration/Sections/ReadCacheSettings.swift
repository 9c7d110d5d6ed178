/// The read cache of the doctor directory and doctor pages, availability, clinics and appointment lists
/// (``ReadResponseCache``).
///
/// | variable | meaning | default |
/// |---|---|---|
/// | `READ_CACHE_TTL_MS` | how long a read answer may be reused while the database is unchanged by this instance (changes by other instances are seen after at most this long), 0 (off)–60000 ms | 1000 |
/// | `READ_CACHE_MAX_MB` | memory the cached answers may take, 1–4096 MiB; an answer larger than a sixteenth of it is not kept | 64 |
public struct ReadCacheSettings: ConfigurationSection {
    public static let variableNames = ["READ_CACHE_TTL_MS", "READ_CACHE_MAX_MB"]

    /// How long an answer may be reused; `.zero` turns the cache off.
    public var timeToLive: Duration
    /// Most bytes the cached answers may take.
    public var maximumBytes: Int

    /// - Throws: ``ConfigurationError`` for a value out of range.
    public init(_ variables: ConfigurationVariables) throws {
        timeToLive = .milliseconds(try variables.integer("READ_CACHE_TTL_MS", default: 1_000, range: 0...60_000))
        maximumBytes = try variables.integer("READ_CACHE_MAX_MB", default: 64, range: 1...4_096) * 1_048_576
    }
}
