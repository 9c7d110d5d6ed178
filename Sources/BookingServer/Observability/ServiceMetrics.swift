import Foundation
import Prometheus
import Synchronization

/// The service's Prometheus metrics (`GET /metrics`), one registry per service instance so that servers in one
/// test process never share counters.
///
/// Names follow the Prometheus naming guide (base units — seconds, bytes — and `_total` for counters). Label
/// values are bounded: `route` is the route *template* (`/api/appointments/{id}`, unmatched paths are
/// `NotFound`), `method` one of the HTTP methods the router serves or `OTHER`, `status` a three-digit code,
/// and every business label comes from a fixed list — so the number of series cannot grow with traffic.
public final class ServiceMetrics: Sendable {
    /// Where every metric is registered; ``exposition()`` renders it.
    public let registry: PrometheusCollectorRegistry
    private let process: ProcessMetricsCollector

    /// Bucket upper bounds of request and query durations, in seconds: the usual 5 ms … 10 s set plus 2 s, the
    /// latency alert's threshold (`ops/prometheus/alerts.yml`), so the p95 alert compares against a real bucket.
    public static let durationBuckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 2.5, 5, 10]
    /// HTTP methods kept as label values; any other is `OTHER`.
    static let knownMethods: Set<String> = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]

    public init() {
        registry = PrometheusCollectorRegistry()
        process = ProcessMetricsCollector(registry: registry)
        inFlight = registry.makeGauge(descriptor: Self.descriptor("http_requests_in_flight", "", "Requests being served now."))
        databaseUp = registry.makeGauge(
            descriptor: Self.descriptor("database_up", "", "1 when the database answered within 1 s at the last scrape, else 0."))
        registerBusinessCounters()
    }

    /// Every business series at 0 from the start, so that `rate()` and `increase()` see the first event and the
    /// dashboard shows 0 rather than "no data".
    private func registerBusinessCounters() {
        for name in ["appointments_booked", "appointments_cancelled", "waitlist_joins", "waitlist_promotions", "login_failures"] {
            _ = counter(name, Self.businessHelp[name]!)
        }
        for outcome in PaymentOutcome.allCases {
            _ = registry.makeCounter(descriptor: Self.paymentVerifications, labels: [("outcome", outcome.rawValue)])
            _ = registry.makeCounter(descriptor: Self.paymentWebhooks, labels: [("outcome", outcome.rawValue)])
        }
        for reason in [PaymentOutcome.failed, .rejected] {
            _ = registry.makeCounter(descriptor: Self.paymentFailures, labels: [("reason", reason.rawValue)])
        }
        for operation in Self.gatewayOperations {
            for outcome in ["ok", "unavailable", "rejected"] {
                _ = registry.makeCounter(descriptor: Self.gatewayRequests, labels: [("operation", operation), ("outcome", outcome)])
            }
        }
        for rule in ["login", "registration", "payments", "api"] {
            _ = registry.makeCounter(descriptor: Self.rateLimitRejections, labels: [("rule", rule)])
        }
        for kind in ["unique_violation", "unavailable", "failed"] {
            _ = registry.makeCounter(descriptor: Self.databaseErrors, labels: [("kind", kind)])
        }
        for result in ["hit", "miss"] {
            _ = registry.makeCounter(descriptor: Self.readCacheLookups, labels: [("result", result)])
        }
        for outcome in ErrorReportOutcome.allCases {
            _ = registry.makeCounter(descriptor: Self.errorReports, labels: [("outcome", outcome.rawValue)])
        }
        updatePoolGauges()
    }

    static let businessHelp = [
        "appointments_booked": "Appointments booked.", "appointments_cancelled": "Appointments cancelled.",
        "waitlist_joins": "Waitlist entries created.", "waitlist_promotions": "Waitlist entries promoted into appointments.",
        "login_failures": "Logins refused for wrong credentials.",
    ]
    static var paymentVerifications: MetricNameDescriptor { descriptor("payment_verifications", "total", "Checkout signature verifications, by outcome.") }
    static var paymentWebhooks: MetricNameDescriptor { descriptor("payment_webhooks", "total", "Payment gateway webhooks received, by outcome.") }
    static var paymentFailures: MetricNameDescriptor {
        descriptor(
            "payment_failures", "total", "Declined payments (failed) and refused payment messages (rejected), by reason.")
    }
    /// Calls the service makes to the payment gateway (``PaymentGateway``).
    static let gatewayOperations = ["create_order", "refund", "list_refunds", "list_payments"]
    static var gatewayRequests: MetricNameDescriptor {
        descriptor("payment_gateway_requests", "total", "Calls to the payment gateway, by operation and outcome (ok, unavailable, rejected).")
    }
    static var gatewayDuration: MetricNameDescriptor {
        descriptor("payment_gateway_request_duration", "seconds", "Time calls to the payment gateway take, by operation.")
    }
    static var readCacheLookups: MetricNameDescriptor {
        descriptor("read_cache_lookups", "total", "Cacheable reads answered from the read cache (hit) or the database (miss).")
    }
    static var errorReports: MetricNameDescriptor {
        descriptor("error_reports", "total", "5xx reports meant for Sentry, by outcome: sent, suppressed, dropped, rate_limited, failed.")
    }
    static var rateLimitRejections: MetricNameDescriptor { descriptor("rate_limit_rejections", "total", "Requests refused with 429 by a rate-limit rule.") }

    // MARK: HTTP

    let inFlight: Gauge
    let databaseUp: Gauge

    /// Records whether the database answered (checked at each scrape, like readiness: 1 s timeout).
    public func setDatabaseUp(_ up: Bool) { databaseUp.set(to: up ? 1 : 0) }

    /// Counts one finished request and records its duration.
    /// - Parameters:
    ///   - route: the route template (never the raw path).
    ///   - seconds: time from the request's arrival to its response.
    public func recordRequest(method: String, route: String, status: Int, seconds: Double) {
        let method = Self.knownMethods.contains(method) ? method : "OTHER"
        registry.makeCounter(
            descriptor: Self.descriptor("http_requests", "total", "HTTP requests answered, by method, route template and status."),
            labels: [("method", method), ("route", route), ("status", String(status))]
        ).increment()
        registry.makeValueHistogram(
            descriptor: Self.descriptor("http_request_duration", "seconds", "Time to answer HTTP requests, by method and route template."),
            labels: [("method", method), ("route", route)], buckets: Self.durationBuckets
        ).record(seconds)
    }

    /// Records one call to the payment gateway.
    /// - Parameters:
    ///   - operation: one of `create_order`, `refund`, `list_refunds`, `list_payments`.
    ///   - outcome: `ok`, `unavailable` (timeout, transport failure, 5xx) or `rejected` (4xx).
    ///   - seconds: the call's duration.
    public func recordGatewayCall(operation: String, outcome: String, seconds: Double) {
        registry.makeCounter(descriptor: Self.gatewayRequests, labels: [("operation", operation), ("outcome", outcome)]).increment()
        registry.makeValueHistogram(descriptor: Self.gatewayDuration, labels: [("operation", operation)], buckets: Self.durationBuckets).record(seconds)
    }

    /// Marks a request as started (`+1`) or finished (`-1`).
    public func requestInFlight(_ delta: Double) {
        if delta >= 0 { inFlight.increment(by: delta) } else { inFlight.decrement(by: -delta) }
    }

    // MARK: Database

    /// Records one SQL statement: its duration, and its error kind when it failed (`unique_violation`,
    /// `unavailable`, `failed`).
    public func recordQuery(seconds: Double, errorKind: String?) {
        registry.makeValueHistogram(
            descriptor: Self.descriptor("db_query_duration", "seconds", "Time SQL statements take, by outcome."),
            labels: [("outcome", errorKind == nil ? "ok" : "error")], buckets: Self.durationBuckets
        ).record(seconds)
        if let errorKind {
            registry.makeCounter(descriptor: Self.databaseErrors, labels: [("kind", errorKind)]).increment()
        }
    }

    /// Sets the pool's size (connections the service may hold; 1 for SQLite).
    public func setPoolSize(_ size: Int) {
        poolSize.withLock { $0 = size }
        updatePoolGauges()
    }

    /// A unit of work took (`+1`) or gave back (`-1`) a connection.
    public func connectionInUse(_ delta: Int) {
        connectionsInUse.withLock { $0 += delta }
        updatePoolGauges()
    }

    private func updatePoolGauges() {
        let inUse = connectionsInUse.withLock { $0 }
        let size = poolSize.withLock { $0 }
        registry.makeGauge(descriptor: Self.poolConnections, labels: [("state", "in_use")]).set(to: Double(inUse))
        registry.makeGauge(descriptor: Self.poolConnections, labels: [("state", "idle")]).set(to: Double(max(size - inUse, 0)))
    }

    private let poolSize = Mutex(0)
    private let connectionsInUse = Mutex(0)
    static var databaseErrors: MetricNameDescriptor { descriptor("db_errors", "total", "Failed SQL statements, by kind.") }
    static var poolConnections: MetricNameDescriptor {
        descriptor("db_pool_connections", "", "Database connections of the service's pool, by state (in_use, idle).")
    }

    // MARK: Business events

    /// Appointments booked (`POST /api/appointments` answered 201).
    public func appointmentBooked() { business("appointments_booked") }
    /// Appointments moved to `cancelled`.
    public func appointmentCancelled() { business("appointments_cancelled") }
    /// Patients who joined a waitlist.
    public func waitlistJoined() { business("waitlist_joins") }
    /// Waitlist entries promoted into an appointment.
    public func waitlistPromoted() { business("waitlist_promotions") }

    /// Outcomes of payment events.
    public enum PaymentOutcome: String, Sendable, CaseIterable {
        /// Paid (a verified checkout or a `payment.captured` webhook).
        case captured
        /// Declined by the gateway (`payment.failed`).
        case failed
        /// A refund went through (`refund.processed`).
        case refunded
        /// A webhook event seen before (answered 200, nothing changed).
        case duplicate
        /// Refused with 400: a bad signature or a malformed message.
        case rejected
    }

    /// A checkout signature verification (`POST /api/payments/verify`) and its outcome (`captured` or `rejected`).
    public func paymentVerification(_ outcome: PaymentOutcome) {
        registry.makeCounter(descriptor: Self.paymentVerifications, labels: [("outcome", outcome.rawValue)]).increment()
        if outcome == .failed || outcome == .rejected { paymentFailure(outcome) }
    }

    /// A gateway webhook (`POST /api/payments/webhook`) and its outcome.
    public func paymentWebhook(_ outcome: PaymentOutcome) {
        registry.makeCounter(descriptor: Self.paymentWebhooks, labels: [("outcome", outcome.rawValue)]).increment()
        if outcome == .failed || outcome == .rejected { paymentFailure(outcome) }
    }

    private func paymentFailure(_ outcome: PaymentOutcome) {
        registry.makeCounter(descriptor: Self.paymentFailures, labels: [("reason", outcome.rawValue)]).increment()
    }

    /// A request refused by a rate-limit rule (`login`, `registration`, `payments`, `api`).
    public func rateLimitRejected(rule: String) {
        registry.makeCounter(descriptor: Self.rateLimitRejections, labels: [("rule", rule)]).increment()
    }

    /// A read answered from ``ReadResponseCache`` (`hit`) or computed (`miss`).
    public func readCacheLookup(hit: Bool) {
        registry.makeCounter(descriptor: Self.readCacheLookups, labels: [("result", hit ? "hit" : "miss")]).increment()
    }

    /// A login refused for wrong credentials.
    public func loginFailed() { business("login_failures") }

    // MARK: Error tracking

    /// What became of a 5xx report meant for the error tracker (``SentryErrorReporter``).
    public enum ErrorReportOutcome: String, Sendable, CaseIterable {
        /// Accepted by Sentry (2xx).
        case sent
        /// A repeat of a fingerprint already sent within the grouping window: counted, carried by the next event.
        case suppressed
        /// Not queued (the queue was full) or still queued when the shutdown's flush time ran out.
        case dropped
        /// Refused by Sentry with 429, or not sent while its rate limit (`Retry-After`, `X-Sentry-Rate-Limits`) lasts.
        case rateLimited = "rate_limited"
        /// Sentry answered another error, or did not answer in time, or could not be reached.
        case failed
    }

    /// Counts one report's outcome (`error_reports_total{outcome}`).
    public func errorReport(_ outcome: ErrorReportOutcome) {
        registry.makeCounter(descriptor: Self.errorReports, labels: [("outcome", outcome.rawValue)]).increment()
    }

    // MARK: Exposition

    /// The Prometheus text exposition format 0.0.4 of every metric, process metrics read just now.
    public func exposition() -> String {
        process.update()
        return registry.emitToString()
    }

    private func business(_ name: String) { counter(name, Self.businessHelp[name]!).increment() }

    private func counter(_ name: String, _ help: String) -> Counter {
        registry.makeCounter(descriptor: Self.descriptor(name, "total", help))
    }

    static func descriptor(_ name: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: unit, helpText: help)
    }
}
