extension Migration {
    /// Counters of the database-backed rate limiter (``DatabaseRateLimitStore``): one fixed window per key,
    /// shared by every service instance on the database. `resets_at` is BIGINT milliseconds since the Unix epoch.
    static let rateLimitWindows = Migration(
        version: 2, name: "rate_limit_windows",
        up: [
            """
            CREATE TABLE rate_limit_windows (
                bucket_key TEXT PRIMARY KEY, hits INTEGER NOT NULL, resets_at BIGINT NOT NULL)
            """,
            "CREATE INDEX rate_limit_windows_resets_at ON rate_limit_windows (resets_at)",
        ],
        down: [
            "DROP INDEX rate_limit_windows_resets_at",
            "DROP TABLE rate_limit_windows",
        ])
}
