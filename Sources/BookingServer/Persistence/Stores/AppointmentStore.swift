import BookingCore
import Foundation
import SQLKit

/// The `appointments` table: every SQL statement about appointments, on one connection or transaction. The rules
/// (slots, the status machine, who sees what) are ``AppointmentService``'s.
struct AppointmentStore {
    let sql: any SQLDatabase

    init(_ sql: any SQLDatabase) { self.sql = sql }

    /// Whether a non-cancelled appointment of the doctor overlaps `[start, end)`.
    func overlaps(doctorID: UUID, start: Date, end: Date) async throws -> Bool {
        try await sql.raw(
            """
            SELECT id FROM appointments WHERE doctor_id = \(bind: Column.id(doctorID)) AND status <> 'cancelled'
            AND scheduled_at < \(bind: Column.instant(end)) AND ends_at > \(bind: Column.instant(start))
            """
        ).first() != nil
    }

    /// Stores a new appointment.
    /// - Throws: ``DatabaseError/uniqueViolation`` when the doctor's slot was taken meanwhile.
    func insert(_ appointment: Appointment) async throws {
        try await sql.raw(
            """
            INSERT INTO appointments (id, tenant_id, patient_id, doctor_id, clinic_id, scheduled_at, ends_at, mode, status,
            reason_for_visit, fee, notes, created_at, updated_at)
            VALUES (\(bind: Column.id(appointment.id)), \(bind: appointment.tenantID.rawValue), \(bind: Column.id(appointment.patientID)),
            \(bind: Column.id(appointment.doctorID)), \(bind: Column.id(appointment.clinicID)), \(bind: Column.instant(appointment.scheduledAt)),
            \(bind: Column.instant(appointment.endsAt)), \(bind: appointment.mode.rawValue), \(bind: appointment.status.rawValue),
            \(bind: appointment.reasonForVisit), \(bind: appointment.fee), \(bind: appointment.notes), \(bind: Column.instant(appointment.createdAt)),
            \(bind: Column.instant(appointment.updatedAt)))
            """
        ).run()
    }

    /// One page of the appointments `identity` may see that match `filter`, ordered by `order` (a column and
    /// direction from ``AppointmentService/Filter/sorts``), then id; with the number of all that match.
    func page(visibleTo identity: Identity, _ filter: AppointmentService.Filter, order: String, page: Int, pageSize: Int) async throws -> ([Appointment], Int) {
        var condition = identity.visibleRowsCondition
        if let value = filter.status { condition += " AND status = \(bind: value.rawValue)" }
        if let value = filter.doctorID { condition += " AND doctor_id = \(bind: Column.id(value))" }
        if let value = filter.patientID { condition += " AND patient_id = \(bind: Column.id(value))" }
        if let value = filter.clinicID { condition += " AND clinic_id = \(bind: Column.id(value))" }
        if let value = filter.from { condition += " AND scheduled_at >= \(bind: Column.instant(value))" }
        if let value = filter.to { condition += " AND scheduled_at <= \(bind: Column.instant(value))" }
        let total = try await sql.raw("SELECT COUNT(*) AS n FROM appointments WHERE \(condition)").first()?.integer("n") ?? 0
        let rows = try await sql.raw(
            "SELECT * FROM appointments WHERE \(condition) ORDER BY \(unsafeRaw: order), id LIMIT \(bind: pageSize) OFFSET \(bind: (page - 1) * pageSize)"
        ).all()
        return (try rows.map(Self.appointment(from:)), total)
    }

    /// The appointment `id` of the tenant, or `nil`.
    func find(_ id: UUID, tenant: TenantID) async throws -> Appointment? {
        try await sql.raw("SELECT * FROM appointments WHERE id = \(bind: Column.id(id)) AND tenant_id = \(bind: tenant.rawValue)").first()
            .map(Self.appointment(from:))
    }

    /// The appointment `id` in any tenant (a gateway callback names it by id), or `nil`.
    func find(_ id: UUID) async throws -> Appointment? {
        try await sql.raw("SELECT * FROM appointments WHERE id = \(bind: Column.id(id))").first().map(Self.appointment(from:))
    }

    /// Saves the status, notes and update time of a stored appointment.
    func saveStatus(_ appointment: Appointment) async throws {
        try await sql.raw(
            """
            UPDATE appointments SET status = \(bind: appointment.status.rawValue), notes = \(bind: appointment.notes),
            updated_at = \(bind: Column.instant(appointment.updatedAt)) WHERE id = \(bind: Column.id(appointment.id))
            """
        ).run()
    }

    /// Start and end of the doctor's non-cancelled appointments overlapping `[from, to)`.
    func bookedIntervals(tenant: TenantID, doctorID: UUID, from: Date, to: Date) async throws -> [(start: Date, end: Date)] {
        // The tenant leads `appointments_by_doctor_time` (tenant_id, doctor_id, scheduled_at): without it the
        // query scanned the whole table.
        try await sql.raw(
            """
            SELECT scheduled_at, ends_at FROM appointments
            WHERE tenant_id = \(bind: tenant.rawValue) AND doctor_id = \(bind: Column.id(doctorID))
            AND status <> 'cancelled' AND scheduled_at < \(bind: Column.instant(to)) AND ends_at > \(bind: Column.instant(from))
            """
        ).all().map { (start: try $0.instant("scheduled_at"), end: try $0.instant("ends_at")) }
    }

    /// An appointment from an `appointments` row.
    /// - Throws: ``DatabaseError/failed(_:)`` for a row with a malformed tenant, status or mode.
    static func appointment(from row: any SQLRow) throws -> Appointment {
        guard let tenant = TenantID(rawValue: try row.text("tenant_id")),
            let status = AppointmentStatus(rawValue: try row.text("status")),
            let mode = ConsultationMode(rawValue: try row.text("mode"))
        else { throw DatabaseError.failed("appointments row is malformed") }
        return Appointment(
            id: try row.uuid("id"), tenantID: tenant, patientID: try row.uuid("patient_id"), doctorID: try row.uuid("doctor_id"),
            clinicID: try row.uuid("clinic_id"), scheduledAt: try row.instant("scheduled_at"), endsAt: try row.instant("ends_at"),
            mode: mode, status: status, reasonForVisit: try row.optionalText("reason_for_visit"), fee: try row.integer("fee"),
            notes: try row.optionalText("notes"), createdAt: try row.instant("created_at"), updatedAt: try row.instant("updated_at"))
    }
}
