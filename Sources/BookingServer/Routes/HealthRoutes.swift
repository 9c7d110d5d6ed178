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
        router.get("health") { _, _ in
            let up = await databaseAnswers()
            let report = Report(
                status: up ? "pass" : "fail", timestamp: Date(), uptime: Date().timeIntervalSince(startedAt).rounded(),
                checks: ["database": .init(status: up ? "pass" : "fail")])
            return try health(report, status: up ? .ok : .serviceUnavailable)
        }
        router.get("health/live") { _, _ in
            try health(Report(status: "pass", timestamp: Date(), uptime: Date().timeIntervalSince(startedAt).rounded(), checks: [:]), status: .ok)
        }
        router.get("health/ready") { _, _ in
            let up = await databaseAnswers()
            let report = Report(
                status: up ? "pass" : "fail", timestamp: Date(), uptime: Date().timeIntervalSince(startedAt).rounded(),
                checks: ["database": .init(status: up ? "pass" : "fail")])
            return try health(report, status: up ? .ok : .serviceUnavailable)
        }
    }

    /// Whether the database answers within 1 second (API.md "Operations").
    private func databaseAnswers() async -> Bool { await database.ping(timeout: .seconds(1)) }

    private func health(_ report: Report, status: HTTPResponse.Status) throws -> Response {
        ResponseBuilder.json(try JSONCoding.encoder().encode(report), status: status, contentType: "application/health+json")
    }
}
