import Foundation

/// How long Sentry asked this sender to stop sending errors (Sentry's SDK development guide, "Rate Limiting"):
///
/// - `X-Sentry-Rate-Limits: RETRY_AFTER:CATEGORIES:SCOPE[:REASON[:NAMESPACES]], …` — on any answer, 429 or not. Each
///   group stops the `;`-separated data categories for `RETRY_AFTER` seconds; an empty category list means every
///   category. The service sends only events, whose category is `error`, so groups naming neither `error` nor nothing
///   (e.g. `transaction`) are ignored. When several groups apply, the longest wins. When this header is present it
///   is the whole truth and `Retry-After` is ignored.
/// - otherwise, on a 429, `Retry-After: SECONDS` (a whole or decimal number; an HTTP date or anything else counts as
///   ``defaultRetryAfter``, as Sentry's SDKs do).
///
/// While a limit lasts, queued events are not sent (they are counted `rate_limited` and dropped: Sentry would drop
/// them too, and holding them would only fill the queue).
public struct SentryRateLimit: Sendable {
    /// What a 429 without a usable `Retry-After` stops sending for.
    public static let defaultRetryAfter: Duration = .seconds(60)

    /// Until when errors are not sent, or `nil` when nothing stops them.
    public private(set) var disabledUntil: ContinuousClock.Instant?

    public init() {}

    /// Whether errors may not be sent at `now`.
    public func isLimited(at now: ContinuousClock.Instant) -> Bool {
        disabledUntil.map { now < $0 } ?? false
    }

    /// Learns the limit an answer sets: `status` and the two headers' values (`nil` when absent), received at `now`.
    public mutating func update(status: Int, retryAfter: String?, sentryRateLimits: String?, now: ContinuousClock.Instant) {
        if let header = sentryRateLimits, let seconds = Self.errorLimitSeconds(in: header) {
            extend(to: now + .milliseconds(Int64((seconds * 1000).rounded(.up))))
        } else if status == 429 {
            let seconds = retryAfter.flatMap { Double($0.trimmingCharacters(in: .whitespaces)) }.flatMap { $0 >= 0 ? $0 : nil }
            extend(to: now + (seconds.map { .milliseconds(Int64(($0 * 1000).rounded(.up))) } ?? Self.defaultRetryAfter))
        }
    }

    /// The longest `RETRY_AFTER` of the groups of `header` that stop the `error` category, or `nil` when none does.
    static func errorLimitSeconds(in header: String) -> Double? {
        var longest: Double?
        for group in header.split(separator: ",") {
            let fields = group.split(separator: ":", omittingEmptySubsequences: false)
            guard fields.count >= 2, let seconds = Double(fields[0].trimmingCharacters(in: .whitespaces)), seconds >= 0 else { continue }
            let categories = fields[1].split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard categories.isEmpty || categories.contains("error") else { continue }
            longest = max(longest ?? 0, seconds)
        }
        return longest
    }

    private mutating func extend(to instant: ContinuousClock.Instant) {
        disabledUntil = max(disabledUntil ?? instant, instant)
    }
}
