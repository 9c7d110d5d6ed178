import BookingServer
import Testing

/// The sender's two rules, on explicit instants (no clock): Sentry's rate limits (`Retry-After`,
/// `X-Sentry-Rate-Limits`, "Rate Limiting") and the grouping of repeats per fingerprint.
@Suite("Sentry delivery rules: rate limits and grouping of repeats")
struct SentryDeliveryRulesTests {
    let start = ContinuousClock.now

    @Test("429 with Retry-After stops sending for that long; without it for 60 s; a 200 without headers changes nothing")
    func retryAfter() {
        var limit = SentryRateLimit()
        limit.update(status: 200, retryAfter: nil, sentryRateLimits: nil, now: start)
        #expect(!limit.isLimited(at: start))
        limit.update(status: 429, retryAfter: "30", sentryRateLimits: nil, now: start)
        #expect(limit.isLimited(at: start + .seconds(29)) && !limit.isLimited(at: start + .seconds(30)))

        var fallback = SentryRateLimit()
        fallback.update(status: 429, retryAfter: "Wed, 21 Oct 2026 07:28:00 GMT", sentryRateLimits: nil, now: start)
        #expect(fallback.isLimited(at: start + .seconds(59)) && !fallback.isLimited(at: start + .seconds(60)))
        #expect(!SentryRateLimit().isLimited(at: start))
    }

    @Test("X-Sentry-Rate-Limits wins over Retry-After; only groups naming error or every category apply; the longest wins")
    func sentryRateLimitsHeader() {
        var limit = SentryRateLimit()
        limit.update(status: 429, retryAfter: "5", sentryRateLimits: "120:error;transaction:key:quota_exceeded, 600:transaction:organization", now: start)
        #expect(limit.isLimited(at: start + .seconds(119)) && !limit.isLimited(at: start + .seconds(120)))

        var everything = SentryRateLimit()
        everything.update(status: 200, retryAfter: nil, sentryRateLimits: "10::organization", now: start)
        #expect(everything.isLimited(at: start + .seconds(9)), "an empty category list is every category, on any status")

        var other = SentryRateLimit()
        other.update(status: 200, retryAfter: nil, sentryRateLimits: "600:transaction;session:project", now: start)
        #expect(!other.isLimited(at: start), "transactions and sessions are not what this sender sends")

        var longest = SentryRateLimit()
        longest.update(status: 429, retryAfter: nil, sentryRateLimits: "2.5:error:key, 40::organization", now: start)
        #expect(longest.isLimited(at: start + .seconds(39)) && !longest.isLimited(at: start + .seconds(40)))
    }

    @Test("a fingerprint is sent once per window; repeats are suppressed and their count rides on the next event")
    func grouping() {
        var grouper = SentryRepeatGrouper(window: .seconds(60))
        let a = ["DatabaseError.failed", "GET /api/clinics"]
        let b = ["DatabaseError.failed", "GET /api/doctors"]
        #expect(grouper.admit(a, now: start) == .send(suppressedRepeats: 0))
        #expect(grouper.admit(a, now: start + .seconds(1)) == .suppress)
        #expect(grouper.admit(b, now: start + .seconds(2)) == .send(suppressedRepeats: 0), "another route is another issue")
        #expect(grouper.admit(a, now: start + .seconds(59)) == .suppress)
        #expect(grouper.admit(a, now: start + .seconds(61)) == .send(suppressedRepeats: 2))
        #expect(grouper.admit(a, now: start + .seconds(62)) == .suppress)
        #expect(grouper.admit(a, now: start + .seconds(200)) == .send(suppressedRepeats: 1))
    }

    @Test("at capacity, expired fingerprints are forgotten; if none expired a new one is sent untracked")
    func groupingCapacity() {
        var grouper = SentryRepeatGrouper(window: .seconds(60), capacity: 2)
        #expect(grouper.admit(["a"], now: start) == .send(suppressedRepeats: 0))
        #expect(grouper.admit(["b"], now: start) == .send(suppressedRepeats: 0))
        #expect(grouper.admit(["c"], now: start + .seconds(1)) == .send(suppressedRepeats: 0))
        #expect(grouper.admit(["c"], now: start + .seconds(2)) == .send(suppressedRepeats: 0), "untracked while full")
        #expect(grouper.admit(["a"], now: start + .seconds(3)) == .suppress, "tracked ones still group")
        #expect(grouper.admit(["c"], now: start + .seconds(70)) == .send(suppressedRepeats: 0), "a and b expired and made room")
        #expect(grouper.admit(["c"], now: start + .seconds(71)) == .suppress)
    }
}
