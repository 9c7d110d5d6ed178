import BookingCore
import Foundation
import Hummingbird

/// `GET /api/analytics/ops/pulse`, `GET /api/analytics/clinics/metrics` (API.md "Analytics", admins) and
/// `GET /api/waitlists/analytics` (API.md "Waitlists", doctors and admins).
struct AnalyticsRoutes {
    let analytics: AnalyticsService

    func register(on router: Router<AppRequestContext>) {
        let adminAnalytics = router.group("api/analytics").add(middleware: RoleRequirementMiddleware(.admin))
        adminAnalytics.get("ops/pulse") { _, context in
            let identity = try context.requireIdentity()
            return try ResponseBuilder.success(try await analytics.opsPulse(identity))
        }
        adminAnalytics.get("clinics/metrics") { request, context in
            let identity = try context.requireIdentity()
            let clinicID = try QueryParameters(request).uuid("clinicId")
            return try ResponseBuilder.success(try await analytics.clinicMetrics(identity, clinicID: clinicID))
        }
        router.get("api/waitlists/analytics") { request, context in
            let identity = try context.require(.doctor, .admin)
            let query = QueryParameters(request)
            let scope = AnalyticsService.WaitlistScope(
                from: try query.instant("from"), to: try query.instant("to", endOfDay: true),
                clinicID: try query.uuid("clinicId"), doctorID: try query.uuid("doctorId"))
            return try ResponseBuilder.success(try await analytics.waitlist(identity, scope: scope))
        }
    }
}
