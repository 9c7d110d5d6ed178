/// The read cache of the directory, availability and appointment lists (``ReadResponseCache``).
///
/// | variable | meaning | default |
/// |---|---|---|
/// | `READ_CACHE_TTL_MS` | how long a read answer may be reused while the database is unchanged by this instance (changes by other instances are seen after at most this long), 0 (off)–60000 ms | 1000 |
/// | `READ_CACHE_MAX_ENTRIES` | most answers kept, 1–1000000 | 10000 |
public struct ReadCacheSettings: ConfigurationSection {
    public static let variableNames = ["READ_CACHE_TTL_MS", "READ_CACHE_MAX_ENTRIES"]

    /// How long an answer may be reused; `.zero` turns the cache off.
    public var timeToLive: Duration
    /// Most answers kept at once.
    public var maximumEntries: Int

    /// - Throws: ``ConfigurationError`` for a value out of range.
    public init(_ variables: ConfigurationVariables) throws {
        timeToLive = .milliseconds(try variables.integer("READ_CACHE_TTL_MS", default: 1_000, range: 0...60_000))
        maximumEntries = try variables.integer("READ_CACHE_MAX_ENTRIES", default: 10_000, range: 1...1_000_000)
    }
}
