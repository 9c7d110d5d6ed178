import Foundation
import Hummingbird

/// `/health`, `/health/live`, `/health/ready` (API.md "Operations"): no auth, `application/health+json`
/// shapes (draft-inadarei-api-health-check).
struct HealthRoutes {
    let database: BookingDatabase
    let startedAt: Date

    struct Report: Encodable {
        struct Check: Encodable { var status: String }
        var status: String
        var timestamp: Date
        /// Seconds since start-up.
        var uptime: Double
        var checks: [String: Check]
    }

    func register(on router: Router<AppRequestContext>) {
        router.get("health") { _, _ in try await databaseReport() }
        router.get("health/live") { _, _ in try health(status: .ok, checks: [:]) }
        router.get("health/ready") { _, _ in try await databaseReport() }
    }

    /// 200 `pass` when the database answers, else 503 `fail`, with the database check.
    private func databaseReport() async throws -> Response {
        let up = await databaseAnswers()
        return try health(status: up ? .ok : .serviceUnavailable, checks: ["database": .init(status: up ? "pass" : "fail")])
    }

    /// Whether the database answers within 1 second (API.md "Operations").
    private func databaseAnswers() async -> Bool { await database.ping(timeout: .seconds(1)) }

    private func health(status: HTTPResponse.Status, checks: [String: Report.Check]) throws -> Response {
        let report = Report(
            status: status == .ok ? "pass" : "fail", timestamp: Date(), uptime: Date().timeIntervalSince(startedAt).rounded(),
            checks: checks)
        return ResponseBuilder.json(try JSONCoding.encoder().encode(report), status: status, contentType: "application/health+json")
    }
}
