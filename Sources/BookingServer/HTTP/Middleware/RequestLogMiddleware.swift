import Foundation
import Hummingbird
import Logging

/// One log line per request (docs/observability.md, "Logs"): `request` with `method`, `route` (the template, never the raw
/// path — it may carry ids or personal data), `status`, `duration_ms`, `tenant` when a token was verified, and the
/// `request_id`/`trace_id` the logger already carries, and the error envelope's `code` when there is one. 2xx/3xx at `info`, 4xx at `notice` (429 at `warning`).
/// A 5xx — except a health probe's 503, logged at `warning` — goes to the ``ErrorReporter`` instead (default ``LogErrorReporter``: the same line at `error` with the
/// internal `error` — the only log line of a 5xx). Query strings, headers and bodies are never logged (passwords,
/// tokens, e-mails and phone numbers travel there).
///
/// Not Hummingbird's `LogRequestMiddleware`: it logs when a request arrives, so its line cannot carry the status,
/// duration, tenant or error code that this single end-of-request line does.
public struct RequestLogMiddleware: RouterMiddleware {
    public typealias Context = AppRequestContext

    /// Receives every 5xx.
    public let reporter: any ErrorReporter

    public init(reporter: any ErrorReporter = LogErrorReporter()) {
        self.reporter = reporter
    }

    public func handle(
        _ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response
    ) async throws -> Response {
        let started = ContinuousClock.now
        do {
            let response = try await next(request, context)
            log(request, context: context, status: response.status.code, since: started)
            return response
        } catch {
            context.requestFacts.recordFailure(error)
            log(request, context: context, status: (error as? any HTTPResponseError)?.status.code ?? 500, since: started)
            throw error
        }
    }

    /// The members of a request line.
    static func metadata(
        method: String, route: String, status: Int, milliseconds: Double, tenant: String?, code: String?, error: String? = nil
    ) -> Logger.Metadata {
        var metadata: Logger.Metadata = [
            "method": .string(method),
            "route": .string(route),
            "status": .stringConvertible(status),
            "duration_ms": .string(String(format: "%.3f", milliseconds)),
        ]
        if let tenant { metadata["tenant"] = .string(tenant) }
        if let code { metadata["code"] = .string(code) }
        if let error { metadata["error"] = .string(error) }
        return metadata
    }

    private func log(_ request: Request, context: AppRequestContext, status: Int, since started: ContinuousClock.Instant) {
        let milliseconds = (ContinuousClock.now - started).seconds * 1000
        let route = RequestMetricsMiddleware.routeLabel(context.endpointPath)
        let tenant = context.requestFacts.tenant
        // A probe's 503 (starting, draining, database down) is the probe doing its job, not a failed request: it is
        // logged at warning and not reported (the error-rate alert leaves probes out for the same reason).
        let probeUnavailable = route.hasPrefix("/health") && status == 503
        if status >= 500 && !probeUnavailable {
            func member(_ key: String) -> String? { context.logger[metadataKey: key].map { "\($0)" } }
            reporter.report(
                ErrorReport(
                    requestID: member("request_id"), traceID: member("trace_id"), method: request.method.rawValue, route: route,
                    status: status, tenant: tenant, code: context.requestFacts.errorCode, durationMilliseconds: milliseconds,
                    error: context.requestFacts.failure ?? "HTTP \(status)", errorType: context.requestFacts.failureType, timestamp: Date()),
                logger: context.logger)
            return
        }
        let level: Logger.Level
        switch status {
        case 500...: level = .warning
        case 429: level = .warning
        case 400..<500: level = .notice
        default: level = .info
        }
        context.logger.log(
            level: level, "request",
            metadata: Self.metadata(
                method: request.method.rawValue, route: route, status: status, milliseconds: milliseconds, tenant: tenant,
                code: context.requestFacts.errorCode))
    }
}
