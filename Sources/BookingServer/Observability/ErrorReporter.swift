import Foundation
import Logging

/// One request the service failed (a 5xx answer), as handed to an ``ErrorReporter``: what failed, for whom, how
/// slow, and the ids that find it in logs and traces. Carries no request body, query string or header.
public struct ErrorReport: Sendable {
    /// `X-Request-Id` of the request (shown to the client in the error envelope).
    public var requestID: String?
    /// W3C trace id of the request (`traceparent`).
    public var traceID: String?
    public var method: String
    /// The route template, e.g. `/api/appointments/{id}` (`NotFound` when no route matched).
    public var route: String
    /// The HTTP status answered (500…599).
    public var status: Int
    /// The tenant of the verified token, when there was one.
    public var tenant: String?
    /// The error envelope's code (`INTERNAL_ERROR`, `SERVICE_UNAVAILABLE`).
    public var code: String?
    /// Time from the request's arrival to its answer, in milliseconds.
    public var durationMilliseconds: Double
    /// The internal cause (driver error, thrown error); never sent to the client.
    public var error: String
    /// The Swift type of the internal cause, with the enum case when it has one (`DatabaseError.failed`): a name from
    /// the code, never data — what an APM groups by. `nil` when no error was thrown (a handler answered 5xx itself).
    public var errorType: String?
    /// When the answer was produced.
    public var timestamp: Date

    /// A report of one failed request; the members are described above.
    public init(
        requestID: String?, traceID: String?, method: String, route: String, status: Int, tenant: String?, code: String?,
        durationMilliseconds: Double, error: String, errorType: String? = nil, timestamp: Date = Date()
    ) {
        self.requestID = requestID
        self.traceID = traceID
        self.method = method
        self.route = route
        self.status = status
        self.tenant = tenant
        self.code = code
        self.durationMilliseconds = durationMilliseconds
        self.error = error
        self.errorType = errorType
        self.timestamp = timestamp
    }

    /// The name ``errorType`` holds for `error`: its type without the module (`DatabaseError`, `PSQLError`), and for an
    /// enum case with associated values the case's label (`DatabaseError.failed`). Generic arguments are kept as Swift
    /// prints them.
    public static func typeName(of error: any Error) -> String {
        let name = String(describing: type(of: error))
        let mirror = Mirror(reflecting: error)
        if mirror.displayStyle == .enum, let label = mirror.children.first?.label { return "\(name).\(label)" }
        return name
    }
}

/// Where the service reports the requests it failed (5xx), vendor-neutrally: the default ``LogErrorReporter``
/// writes the request's `error`-level log line, which log shippers already collect; an APM adapter (Sentry, Datadog,
/// New Relic — docs/observability.md "Error tracking") conforms to this protocol and is combined with the log
/// reporter through ``CombinedErrorReporter``, so the log line is never lost.
///
/// `report` is called once per 5xx, synchronously on the request's task after the response is produced:
/// implementations must not block (queue the event and send it from a background task) and cannot fail the request.
public protocol ErrorReporter: Sendable {
    /// Records one failed request. `logger` carries the request's `request_id` and `trace_id` metadata.
    func report(_ report: ErrorReport, logger: Logger)
}

/// The default reporter: the request log line at `error` level with the internal cause — the single log line of a
/// 5xx (the same members as every request line: method, route, status, duration_ms, tenant, request and trace ids).
public struct LogErrorReporter: ErrorReporter {
    public init() {}

    public func report(_ report: ErrorReport, logger: Logger) {
        logger.error(
            "request",
            metadata: RequestLogMiddleware.metadata(
                method: report.method, route: report.route, status: report.status, milliseconds: report.durationMilliseconds,
                tenant: report.tenant, code: report.code, error: report.error))
    }
}

/// Hands every report to each of `reporters` in order (e.g. the log reporter, then an APM adapter).
public struct CombinedErrorReporter: ErrorReporter {
    public let reporters: [any ErrorReporter]

    public init(_ reporters: [any ErrorReporter]) {
        self.reporters = reporters
    }

    public func report(_ report: ErrorReport, logger: Logger) {
        for reporter in reporters { reporter.report(report, logger: logger) }
    }
}
