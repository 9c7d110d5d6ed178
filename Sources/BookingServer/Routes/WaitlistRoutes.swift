import BookingCore
import Foundation
import Hummingbird

/// `/api/waitlists*` (API.md "Waitlists").
struct WaitlistRoutes {
    let waitlists: WaitlistService
    let metrics: ServiceMetrics

    struct JoinBody: StrictBody {
        static let fields: Set<String> = ["doctorId", "clinicId", "preferredWindow", "reason"]
        struct Window: Decodable, Sendable {
            var start: Date
            var end: Date
        }
        var doctorId: UUID
        var clinicId: UUID?
        var preferredWindow: Window
        var reason: String?
    }

    struct PromoteBody: StrictBody {
        static let fields: Set<String> = ["scheduledAt", "clinicId"]
        var scheduledAt: Date
        var clinicId: UUID?
    }

    func register(on router: Router<AppRequestContext>) {
        router.post("api/waitlists") { request, context in
            let identity = try context.require(.patient)
            let body = try await JSONBodyReader.decode(JoinBody.self, from: request, context: context)
            let entry = try await waitlists.join(
                identity,
                .init(
                    doctorID: body.doctorId, clinicID: body.clinicId, windowStart: body.preferredWindow.start,
                    windowEnd: body.preferredWindow.end, reason: body.reason))
            metrics.waitlistJoined()
            return try ResponseBuilder.success(entry, status: .created)
        }
        router.get("api/waitlists") { request, context in
            let identity = try context.requireIdentity()
            let query = QueryParameters(request)
            let (page, pageSize) = try query.page()
            let filter = WaitlistService.Filter(
                status: try query.value("status", as: WaitlistStatus.self), doctorID: try query.uuid("doctorId"),
                clinicID: try query.uuid("clinicId"))
            let (items, total) = try await waitlists.list(identity, filter: filter, page: page, pageSize: pageSize)
            return try ResponseBuilder.success(items, meta: .init(page: page, pageSize: pageSize, total: total))
        }
        router.post("api/waitlists/:id/promote") { request, context in
            let identity = try context.require(.doctor, .admin)
            let id = try context.uuidParameter()
            let body = try await JSONBodyReader.decode(PromoteBody.self, from: request, context: context)
            let promotion = try await waitlists.promote(identity, entryID: id, scheduledAt: body.scheduledAt, clinicID: body.clinicId)
            metrics.waitlistPromoted()
            return try ResponseBuilder.success(promotion, status: .created)
        }
    }
}
