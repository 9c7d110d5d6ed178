import Foundation
import Hummingbird

/// `/health`, `/health/live`, `/health/ready` (API.md "Operations"): no auth, `application/health+json` shapes
/// (draft-inadarei-api-health-check's media type, `status` pass/fail and `output`; `checks` keeps API.md's shape, one
/// object per component, not the draft's arrays keyed `component:measurement`).
///
/// - `/health/live` is 200 while the process serves, draining included (restarting a draining instance would cut
///   its in-flight requests).
/// - `/health/ready` is 200 only while the instance is ``ServiceReadiness/Phase/serving`` and the database answers
///   within 1 second; 503 while starting or draining, or when the database is down.
/// - `/health` is the readiness report with uptime, for people.
struct HealthRoutes {
    let database: BookingDatabase
    let readiness: ServiceReadiness
    let startedAt: Date

    struct Report: Encodable {
        struct Check: Encodable {
            var status: String
            /// Why a check fails (or the phase), absent when there is nothing to say.
            var output: String?
        }
        var status: String
        var timestamp: Date
        /// Seconds since start-up.
        var uptime: Double
        var checks: [String: Check]
    }

    func register(on router: Router<AppRequestContext>) {
        router.get("health") { _, _ in try await readinessReport() }
        router.get("health/live") { _, _ in try health(ready: true, checks: [:]) }
        router.get("health/ready") { _, _ in try await readinessReport() }
    }

    /// 200 `pass` when the instance is serving and the database answers, else 503 `fail`, with both checks.
    private func readinessReport() async throws -> Response {
        let phase = readiness.phase
        let databaseUp = await databaseAnswers()
        let checks: [String: Report.Check] = [
            "database": .init(status: databaseUp ? "pass" : "fail", output: databaseUp ? nil : "no answer within 1 s"),
            "lifecycle": .init(status: phase == .serving ? "pass" : "fail", output: phase.description),
        ]
        return try health(ready: databaseUp && phase == .serving, checks: checks)
    }

    /// Whether the database answers within 1 second (API.md "Operations").
    private func databaseAnswers() async -> Bool { await database.ping(timeout: .seconds(1)) }

    private func health(ready: Bool, checks: [String: Report.Check]) throws -> Response {
        let report = Report(
            status: ready ? "pass" : "fail", timestamp: Date(), uptime: Date().timeIntervalSince(startedAt).rounded(), checks: checks)
        return ResponseBuilder.json(
            try JSONCoding.encoder().encode(report), status: ready ? .ok : .serviceUnavailable, contentType: "application/health+json")
    }
}
