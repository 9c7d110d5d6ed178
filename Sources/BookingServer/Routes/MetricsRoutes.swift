import Hummingbird

/// `GET /metrics` (API.md "Operations"): the Prometheus text exposition, without authentication and outside the
/// rate limits, like the health probes. Expose it only to the monitoring network (the load balancer does not
/// route `/metrics` from the internet; docs/observability.md).
///
/// Each scrape pings the database (1 s timeout, as readiness does) and reports it as `database_up`.
struct MetricsRoutes {
    let metrics: ServiceMetrics
    let database: BookingDatabase

    func register(on router: Router<AppRequestContext>) {
        router.get("metrics") { _, _ in
            metrics.setDatabaseUp(await database.ping(timeout: .seconds(1)))
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: metrics.exposition())))
        }
    }
}
