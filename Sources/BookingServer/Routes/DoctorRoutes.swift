import BookingCore
import Foundation
import Hummingbird

/// `/api/doctors*` (API.md "Doctors").
struct DoctorRoutes {
    let doctors: DoctorService
    /// The directory, a doctor's page and availability are kept here briefly (``ReadResponseCache``); the answers
    /// depend on the tenant and on the caller's role (patients see active doctors only), not on who the caller is.
    let cache: ReadResponseCache

    struct AvailabilityBody: StrictBody {
        static let fields: Set<String> = ["clinicId", "slotMinutes", "weekly", "timeOff"]
        struct Window: Decodable, Sendable {
            var weekday: Int
            var start: String
            var end: String
        }
        struct Period: Decodable, Sendable {
            var from: Date
            var to: Date
        }
        var clinicId: UUID
        var slotMinutes: Int
        var weekly: [Window]
        var timeOff: [Period]?
    }

    func register(on router: Router<AppRequestContext>) {
        router.get("api/doctors") { request, context in
            let identity = try context.requireIdentity()
            let query = QueryParameters(request)
            let (page, pageSize) = try query.page()
            let search = DoctorService.Search(
                specialization: try query.string("specialization"), city: try query.string("city"),
                mode: try query.value("mode", as: ConsultationMode.self), text: try query.string("search"))
            let key = ReadResponseCache.key([
                "doctors", identity.tenantID.rawValue, identity.role.rawValue, "\(page)", "\(pageSize)", search.specialization, search.city,
                search.mode?.rawValue, search.text, search.reviewStatus?.rawValue,
            ])
            return try await ResponseBuilder.cached(cache, key: key) {
                let (items, total) = try await doctors.list(
                    tenant: identity.tenantID, role: identity.role, search: search, page: page, pageSize: pageSize)
                return .init(try ResponseBuilder.successBody(items, meta: .init(page: page, pageSize: pageSize, total: total)))
            }
        }
        router.put("api/doctors/me/availability") { request, context in
            let identity = try context.require(.doctor)
            let body = try await JSONBodyReader.decode(AvailabilityBody.self, from: request, context: context)
            guard body.weekly.count <= 50 else { throw APIError.validation(field: "weekly", problem: "must have at most 50 windows") }
            guard (body.timeOff ?? []).count <= 100 else { throw APIError.validation(field: "timeOff", problem: "must have at most 100 periods") }
            let weekly = try body.weekly.enumerated().map { index, window in
                try WeeklyWindow(
                    weekday: window.weekday, start: try LocalTime(parsing: window.start, field: "weekly[\(index)].start"),
                    end: try LocalTime(parsing: window.end, field: "weekly[\(index)].end"), field: "weekly[\(index)]")
            }
            let timeOff = try (body.timeOff ?? []).enumerated().map { index, period in
                try TimeOff(from: period.from, to: period.to, field: "timeOff[\(index)]")
            }
            let schedule = try DoctorSchedule(
                doctorID: identity.userID, clinicID: body.clinicId, slotMinutes: body.slotMinutes, weekly: weekly, timeOff: timeOff)
            return try ResponseBuilder.success(try await doctors.setSchedule(tenant: identity.tenantID, schedule))
        }
        router.get("api/doctors/:id") { _, context in
            let identity = try context.requireIdentity()
            let id = try context.uuidParameter()
            let key = ReadResponseCache.key(["doctor", identity.tenantID.rawValue, identity.role.rawValue, id.uuidString])
            return try await ResponseBuilder.cached(cache, key: key) {
                .init(try ResponseBuilder.successBody(try await doctors.get(tenant: identity.tenantID, id: id, visibleTo: identity.role)))
            }
        }
        router.get("api/doctors/:id/availability") { request, context in
            let identity = try context.requireIdentity()
            let id = try context.uuidParameter()
            let query = QueryParameters(request)
            let from = try query.date("from") ?? LocalDate(containing: Date(), in: TimeZone(identifier: "UTC")!)
            let to = try query.date("to") ?? from.adding(days: 6)
            let clinicID = try query.uuid("clinicId")
            // The dates are the resolved ones (`from` defaults to today), so a cached answer never outlives its day;
            // and it turns stale when its first slot starts (slots that have started are not offered).
            let key = ReadResponseCache.key([
                "availability", identity.tenantID.rawValue, identity.role.rawValue, id.uuidString, from.description, to.description,
                clinicID?.uuidString,
            ])
            return try await ResponseBuilder.cached(cache, key: key) {
                let slots = try await doctors.availability(
                    tenant: identity.tenantID, doctorID: id, visibleTo: identity.role, from: from, to: to, clinicID: clinicID)
                return .init(ByteBuffer(bytes: try AvailabilityResponseBody.encode(slots)), validUntil: slots.first?.start)
            }
        }
    }
}
