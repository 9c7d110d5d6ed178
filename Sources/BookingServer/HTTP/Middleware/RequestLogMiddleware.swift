import Foundation
import Hummingbird
import Logging

/// One log line per request (issue 7 "Logging"): `request` with `method`, `route` (the template, never the raw
/// path — it may carry ids or personal data), `status`, `duration_ms`, `tenant` when a token was verified, and the
/// `request_id`/`trace_id` the logger already carries. 2xx/3xx at `info`, 4xx at `notice` (429 at `warning`), 5xx at
/// `error` with the internal `error` — the only log line of a 5xx. Query strings, headers and bodies are never
/// logged (passwords, tokens, e-mails and phone numbers travel there).
public struct RequestLogMiddleware: RouterMiddleware {
    public typealias Context = AppRequestContext

    public init() {}

    public func handle(
        _ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response
    ) async throws -> Response {
        let started = ContinuousClock.now
        do {
            let response = try await next(request, context)
            log(request, context: context, status: response.status.code, since: started)
            return response
        } catch {
            context.requestFacts.failure = context.requestFacts.failure ?? String(describing: error)
            log(request, context: context, status: (error as? any HTTPResponseError)?.status.code ?? 500, since: started)
            throw error
        }
    }

    private func log(_ request: Request, context: AppRequestContext, status: Int, since started: ContinuousClock.Instant) {
        let milliseconds = (ContinuousClock.now - started).seconds * 1000
        var metadata: Logger.Metadata = [
            "method": .string(request.method.rawValue),
            "route": .string(MetricsMiddleware.routeLabel(context.endpointPath)),
            "status": .stringConvertible(status),
            "duration_ms": .string(String(format: "%.3f", milliseconds)),
        ]
        if let tenant = context.requestFacts.tenant { metadata["tenant"] = .string(tenant) }
        let level: Logger.Level
        switch status {
        case 500...: level = .error
        case 429: level = .warning
        case 400..<500: level = .notice
        default: level = .info
        }
        if status >= 500, let failure = context.requestFacts.failure { metadata["error"] = .string(failure) }
        context.logger.log(level: level, "request", metadata: metadata)
    }
}
