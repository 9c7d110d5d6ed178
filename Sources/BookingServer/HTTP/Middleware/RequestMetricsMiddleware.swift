import Foundation
import Hummingbird

/// Records every request in ``ServiceMetrics``: `http_requests_total{method,route,status}`,
/// `http_request_duration_seconds{method,route}` and `http_requests_in_flight`.
///
/// `route` is the route template the router matched (`context.endpointPath`, e.g. `/api/appointments/{id}`);
/// unmatched paths share the single value `NotFound`, so scanners probing random paths cannot create series.
/// The duration runs until the response is handed to the server (its body is small JSON, written at once).
///
/// Not Hummingbird's `MetricsMiddleware`: that one reports through the process-wide swift-metrics backend under its
/// own names (`hb.requests`, `http.server.request.duration`), while the alert rules and dashboard need these names,
/// a histogram whose buckets include the 2 s alert threshold, and one registry per service instance (tests run many
/// servers in one process and assert exact counts).
public struct RequestMetricsMiddleware: RouterMiddleware {
    public typealias Context = AppRequestContext
    let metrics: ServiceMetrics

    public init(metrics: ServiceMetrics) { self.metrics = metrics }

    public func handle(
        _ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response
    ) async throws -> Response {
        let started = ContinuousClock.now
        metrics.requestInFlight(1)
        defer { metrics.requestInFlight(-1) }
        let response: Response
        do {
            response = try await next(request, context)
        } catch {
            // Errors become envelopes further in; anything that still escapes is answered 500 by Hummingbird.
            record(request, context: context, status: (error as? any HTTPResponseError)?.status.code ?? 500, since: started)
            throw error
        }
        record(request, context: context, status: response.status.code, since: started)
        return response
    }

    private func record(_ request: Request, context: AppRequestContext, status: Int, since started: ContinuousClock.Instant) {
        metrics.recordRequest(
            method: request.method.rawValue, route: Self.routeLabel(context.endpointPath), status: status,
            seconds: (ContinuousClock.now - started).seconds)
    }

    /// The route label: the matched template, or `NotFound` for anything the router did not match.
    static func routeLabel(_ endpointPath: String?) -> String {
        guard let path = endpointPath, !path.isEmpty else { return "NotFound" }
        return path
    }
}
