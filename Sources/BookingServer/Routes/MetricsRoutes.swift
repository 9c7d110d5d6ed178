import Hummingbird

/// `GET /metrics` (API.md "Operations"): the Prometheus text exposition, without authentication and outside the
/// rate limits, like the health probes. Expose it only to the monitoring network (the load balancer does not
/// route `/metrics` from the internet; docs/observability.md).
struct MetricsRoutes {
    let metrics: ServiceMetrics

    func register(on router: Router<AppRequestContext>) {
        router.get("metrics") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: metrics.exposition())))
        }
    }
}
