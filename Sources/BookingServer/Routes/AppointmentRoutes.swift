import BookingCore
import Foundation
import Hummingbird

/// `/api/appointments*` (API.md "Appointments").
struct AppointmentRoutes {
    let appointments: AppointmentService
    let metrics: ServiceMetrics
    /// Appointment lists are kept here briefly, per caller (``ReadResponseCache``).
    let cache: ReadResponseCache

    struct BookBody: StrictBody {
        static let fields: Set<String> = ["doctorId", "clinicId", "scheduledAt", "mode", "reasonForVisit"]
        var doctorId: UUID
        var clinicId: UUID
        var scheduledAt: Date
        var mode: ConsultationMode
        var reasonForVisit: String?
    }

    struct StatusBody: StrictBody {
        static let fields: Set<String> = ["status", "notes"]
        var status: AppointmentStatus
        var notes: String?
    }

    func register(on router: Router<AppRequestContext>) {
        router.post("api/appointments") { request, context in
            let identity = try context.require(.patient)
            let body = try await JSONBodyReader.decode(BookBody.self, from: request, context: context)
            let view = try await appointments.book(
                tenant: identity.tenantID, patientID: identity.userID,
                .init(
                    doctorID: body.doctorId, clinicID: body.clinicId, scheduledAt: body.scheduledAt, mode: body.mode,
                    reasonForVisit: body.reasonForVisit))
            metrics.appointmentBooked()
            return try ResponseBuilder.success(view, status: .created)
        }
        router.get("api/appointments") { request, context in
            let identity = try context.requireIdentity()
            let query = QueryParameters(request)
            let (page, pageSize) = try query.page()
            let filter = AppointmentService.Filter(
                status: try query.value("status", as: AppointmentStatus.self), doctorID: try query.uuid("doctorId"),
                patientID: try query.uuid("patientId"), clinicID: try query.uuid("clinicId"),
                from: try query.instant("from"), to: try query.instant("to", endOfDay: true),
                sort: try query.string("sort") ?? "scheduledAt")
            // Personal: the caller is part of the key (patients and doctors see their own appointments).
            let key = ReadResponseCache.key([
                "appointments", identity.tenantID.rawValue, identity.role.rawValue, identity.userID.uuidString, "\(page)", "\(pageSize)",
                filter.status?.rawValue, filter.doctorID?.uuidString, filter.patientID?.uuidString, filter.clinicID?.uuidString,
                filter.from.map { "\($0.timeIntervalSince1970)" }, filter.to.map { "\($0.timeIntervalSince1970)" }, filter.sort,
            ])
            return try await ResponseBuilder.cached(cache, key: key) {
                let (items, total) = try await appointments.list(identity, filter: filter, page: page, pageSize: pageSize)
                return .init(try ResponseBuilder.successBody(items, meta: .init(page: page, pageSize: pageSize, total: total)))
            }
        }
        router.get("api/appointments/:id") { _, context in
            let identity = try context.requireIdentity()
            return try ResponseBuilder.success(try await appointments.get(identity, id: try context.uuidParameter()))
        }
        router.patch("api/appointments/:id/status") { request, context in
            let identity = try context.require(.doctor, .admin)
            let id = try context.uuidParameter()
            let body = try await JSONBodyReader.decode(StatusBody.self, from: request, context: context)
            let changed = try await appointments.changeStatus(identity, id: id, to: body.status, notes: body.notes)
            if body.status == .cancelled { metrics.appointmentCancelled() }
            return try ResponseBuilder.success(changed)
        }
        router.delete("api/appointments/:id") { _, context in
            let identity = try context.requireIdentity()
            let cancelled = try await appointments.cancel(identity, id: try context.uuidParameter())
            metrics.appointmentCancelled()
            return try ResponseBuilder.success(cancelled)
        }
    }
}
