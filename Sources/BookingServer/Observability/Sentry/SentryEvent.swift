import Foundation

/// One failed request as a Sentry error event (Sentry's SDK development guide, "Event Payloads": the attributes, the
/// `exception`, `contexts` → "Trace Context" and `fingerprint` interfaces), encoded as the event item's JSON payload.
///
/// What it carries, all from an ``ErrorReport``: the route template and method (`transaction`, tags), status, error
/// code, tenant id, request id, trace id, duration, release and environment, and the internal cause as an exception
/// whose `type` is the Swift type (``ErrorReport/errorType``) and whose `value` is the cause's text put through
/// ``ErrorTextScrubber``. What it never carries: a request body, query string, header, cookie, client address, user,
/// or any text the scrubber did not pass — there is no `request` or `user` interface in the event at all.
///
/// `fingerprint` is `[exception type, "METHOD /route/template"]`, so every occurrence of one failure on one endpoint is
/// one Sentry issue whatever the ids and values in its message (Sentry's "Grouping" → "Fingerprint Rules").
///
/// Tags (indexed, searchable): `http.method`, `http.route`, `http.status_code`, `error.code`, `request_id`, and
/// `tenant` — the tenant's opaque id (a slug or UUID naming a clinic group, never a person), kept because "which
/// tenants does this hit" is the first question of an incident and Prometheus cannot answer it per issue.
public struct SentryEvent: Encodable, Sendable {
    /// 32 lowercase hex digits, unique per event (a UUID without dashes).
    public var eventID: String
    /// When the request failed, RFC 3339 in UTC with milliseconds.
    public var timestamp: String
    /// `other`: Sentry has no platform value for server-side Swift.
    public var platform = "other"
    public var level = "error"
    /// The component that reported it.
    public var logger = "illajwala-api.http"
    /// `illajwala-api@VERSION`.
    public var release: String
    public var environment: String
    /// The host that served the request (the pod or machine name), when known.
    public var serverName: String?
    /// `METHOD /route/template`, e.g. `GET /api/clinics/{id}`.
    public var transaction: String
    public var tags: [String: String]
    /// Numbers that are not worth a tag: `duration_ms`, and `suppressed_repeats` (repeats of this fingerprint counted
    /// and not sent since the previous event of it, ``SentryRepeatGrouper``).
    public var extra: [String: Double]
    public var contexts: Contexts
    public var exception: ExceptionList
    public var fingerprint: [String]
    public var sdk: SentrySDK

    /// `contexts`: the trace the request belongs to (W3C `traceparent` ids, ``TraceContext``).
    public struct Contexts: Encodable, Sendable {
        public var trace: Trace?
    }

    /// The "Trace Context": `trace_id` (32 hex) of the request's trace and a `span_id` (16 hex) for this event.
    public struct Trace: Encodable, Sendable {
        public var traceID: String
        public var spanID: String
        public var op = "http.server"
        public var type = "trace"

        enum CodingKeys: String, CodingKey {
            case traceID = "trace_id", spanID = "span_id", op, type
        }
    }

    /// The "Exception Interface": one value.
    public struct ExceptionList: Encodable, Sendable {
        public var values: [Exception]
    }

    /// The failure: its Swift type and scrubbed text; `mechanism` says the service caught it (the client got a 5xx).
    public struct Exception: Encodable, Sendable {
        public var type: String
        public var value: String
        public var mechanism = Mechanism()
    }

    /// How the failure was captured: by the request log middleware, handled (the process did not crash).
    public struct Mechanism: Encodable, Sendable {
        public var type = "illajwala.request"
        public var handled = true
    }

    enum CodingKeys: String, CodingKey {
        case eventID = "event_id", timestamp, platform, level, logger, release, environment, serverName = "server_name", transaction, tags, extra,
            contexts, exception, fingerprint, sdk
    }

    /// The event of `report`.
    /// - Parameters:
    ///   - suppressedRepeats: repeats of this fingerprint counted and not sent since its previous event (0: none).
    ///   - release: `illajwala-api@VERSION`.
    ///   - environment: `SENTRY_ENVIRONMENT` or `ILLAJWALA_ENV`.
    ///   - serverName: the host's name, or `nil` to leave it out.
    ///   - sdk: who sends it.
    public init(report: ErrorReport, suppressedRepeats: Int, release: String, environment: String, serverName: String?, sdk: SentrySDK) {
        eventID = TraceContext.randomHex(bytes: 16)
        timestamp = Self.timestamp(report.timestamp)
        self.release = release
        self.environment = environment
        self.serverName = serverName
        let exceptionType = Self.exceptionType(of: report)
        transaction = "\(report.method) \(report.route)"
        var tags = ["http.method": report.method, "http.route": report.route, "http.status_code": String(report.status)]
        if let code = report.code { tags["error.code"] = code }
        if let tenant = report.tenant { tags["tenant"] = Self.tagValue(tenant) }
        if let requestID = report.requestID { tags["request_id"] = Self.tagValue(requestID) }
        self.tags = tags
        var extra = ["duration_ms": (report.durationMilliseconds * 1000).rounded() / 1000]
        if suppressedRepeats > 0 { extra["suppressed_repeats"] = Double(suppressedRepeats) }
        self.extra = extra
        let trace = report.traceID.flatMap { Self.isHex($0, count: 32) ? Trace(traceID: $0, spanID: TraceContext.randomHex(bytes: 8)) : nil }
        contexts = Contexts(trace: trace)
        exception = ExceptionList(values: [Exception(type: exceptionType, value: ErrorTextScrubber.scrub(report.error))])
        fingerprint = Self.fingerprint(of: report)
        self.sdk = sdk
    }

    /// `[exception type, "METHOD /route/template"]`: one issue per failure and endpoint.
    public static func fingerprint(of report: ErrorReport) -> [String] {
        [exceptionType(of: report), "\(report.method) \(report.route)"]
    }

    /// The exception's `type`: the cause's Swift type, else the error code, else `HTTP <status>`.
    static func exceptionType(of report: ErrorReport) -> String {
        report.errorType ?? report.code ?? "HTTP \(report.status)"
    }

    /// Sentry's limit for a tag value is 200 characters; ids are far shorter, anything longer is cut.
    static func tagValue(_ text: String) -> String { String(text.prefix(200)) }

    static func isHex(_ text: String, count: Int) -> Bool {
        text.utf8.count == count && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    /// RFC 3339 in UTC with milliseconds, e.g. `2026-12-06T13:50:24.123Z`.
    static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
