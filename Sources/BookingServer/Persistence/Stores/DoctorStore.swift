import BookingCore
import Foundation
import SQLKit

/// The `doctors`, `doctor_clinics` and `doctor_schedules` tables: every SQL statement about doctors, their clinics
/// and schedules, on one connection or transaction. The rules (fees, review workflow, who sees whom) are
/// ``DoctorService``'s.
struct DoctorStore {
    let sql: any SQLDatabase

    init(_ sql: any SQLDatabase) { self.sql = sql }

    /// Which doctors a page lists: the tenant, only `active` ones (what patients see) or one review status, and the
    /// search filters.
    struct Filter {
        var tenant: TenantID
        var activeOnly: Bool
        var reviewStatus: ReviewStatus?
        var search: DoctorService.Search
    }

    /// Stores a doctor's profile (the account exists already) and links it to `clinicIDs`.
    func insert(
        _ id: UUID, tenant: TenantID, specialization: String, fee: Int, modes: [ConsultationMode], reviewStatus: ReviewStatus,
        city: String, clinicIDs: Set<UUID>, at now: Date
    ) async throws {
        try await sql.raw(
            """
            INSERT INTO doctors (id, tenant_id, specialization, fee, currency, consultation_modes, review_status, city, created_at)
            VALUES (\(bind: Column.id(id)), \(bind: tenant.rawValue), \(bind: specialization), \(bind: fee), 'INR',
            \(bind: try Column.json(modes)), \(bind: reviewStatus.rawValue), \(bind: city), \(bind: Column.instant(now)))
            """
        ).run()
        for clinicID in clinicIDs {
            try await sql.raw("INSERT INTO doctor_clinics (doctor_id, clinic_id) VALUES (\(bind: Column.id(id)), \(bind: Column.id(clinicID)))").run()
        }
    }

    /// The doctor `id` of the tenant, or `nil`.
    func find(_ id: UUID, tenant: TenantID) async throws -> Doctor? {
        guard
            let row = try await sql.raw(
                """
                SELECT d.*, u.name, u.email, u.phone FROM doctors d JOIN users u ON u.id = d.id
                WHERE d.id = \(bind: Column.id(id)) AND d.tenant_id = \(bind: tenant.rawValue)
                """
            ).first()
        else { return nil }
        return try doctor(from: row, clinicIDs: try await clinicIDs(of: [id])[id] ?? [])
    }

    /// One page of doctors by name (then id), with the number of all that match.
    func page(_ filter: Filter, page: Int, pageSize: Int) async throws -> ([Doctor], Int) {
        var condition = SQLQueryString("d.tenant_id = \(bind: filter.tenant.rawValue)")
        if filter.activeOnly {
            condition += " AND d.review_status = 'active'"
        } else if let status = filter.reviewStatus {
            condition += " AND d.review_status = \(bind: status.rawValue)"
        }
        let search = filter.search
        if let value = search.specialization { condition += " AND LOWER(d.specialization) = \(bind: value.lowercased())" }
        if let value = search.city { condition += " AND LOWER(d.city) = \(bind: value.lowercased())" }
        if let mode = search.mode { condition += " AND d.consultation_modes LIKE \(bind: "%\"\(mode.rawValue)\"%")" }
        if let text = search.text {
            let pattern = "%" + Self.escapeLike(text.lowercased()) + "%"
            condition += " AND (LOWER(u.name) LIKE \(bind: pattern) ESCAPE '\\' OR LOWER(d.specialization) LIKE \(bind: pattern) ESCAPE '\\')"
        }
        // The page and the number of all matches in one statement (a window count; SQLite ≥ 3.25, PostgreSQL); only a
        // page past the end, which has no rows to carry the count, needs a second query.
        let rows = try await sql.raw(
            """
            SELECT d.*, u.name, u.email, u.phone, COUNT(*) OVER () AS total_matches FROM doctors d JOIN users u ON u.id = d.id
            WHERE \(condition) ORDER BY u.name, d.id LIMIT \(bind: pageSize) OFFSET \(bind: (page - 1) * pageSize)
            """
        ).all()
        let total: Int
        if let first = rows.first {
            total = try first.integer("total_matches")
        } else {
            total = try await sql.raw("SELECT COUNT(*) AS n FROM doctors d JOIN users u ON u.id = d.id WHERE \(condition)").first()?.integer("n") ?? 0
        }
        // One query for the clinics of the whole page (it was one per doctor).
        let clinics = try await clinicIDs(of: try rows.map { try $0.uuid("id") })
        return (try rows.map { try doctor(from: $0, clinicIDs: clinics[try $0.uuid("id")] ?? []) }, total)
    }

    /// Saves a review decision.
    func setReview(_ id: UUID, status: ReviewStatus, notes: String?) async throws {
        try await sql.raw("UPDATE doctors SET review_status = \(bind: status.rawValue), review_notes = \(bind: notes) WHERE id = \(bind: Column.id(id))").run()
    }

    /// Whether `clinicID` is one of the doctor's clinics in the tenant.
    func worksAt(_ clinicID: UUID, doctorID: UUID, tenant: TenantID) async throws -> Bool {
        try await sql.raw(
            """
            SELECT dc.clinic_id FROM doctor_clinics dc JOIN doctors d ON d.id = dc.doctor_id
            WHERE dc.doctor_id = \(bind: Column.id(doctorID)) AND dc.clinic_id = \(bind: Column.id(clinicID))
            AND d.tenant_id = \(bind: tenant.rawValue)
            """
        ).first() != nil
    }

    /// Replaces the doctor's schedule at its clinic.
    func replaceSchedule(_ schedule: DoctorSchedule, at now: Date) async throws {
        try await sql.raw(
            "DELETE FROM doctor_schedules WHERE doctor_id = \(bind: Column.id(schedule.doctorID)) AND clinic_id = \(bind: Column.id(schedule.clinicID))"
        ).run()
        try await sql.raw(
            """
            INSERT INTO doctor_schedules (doctor_id, clinic_id, slot_minutes, weekly, time_off, updated_at)
            VALUES (\(bind: Column.id(schedule.doctorID)), \(bind: Column.id(schedule.clinicID)), \(bind: schedule.slotMinutes),
            \(bind: try Column.json(schedule.weekly)), \(bind: try Column.json(schedule.timeOff)), \(bind: Column.instant(now)))
            """
        ).run()
    }

    /// The doctor's schedules with their clinics, by clinic name.
    func schedules(of doctorID: UUID) async throws -> [(DoctorSchedule, Clinic)] {
        let rows = try await sql.raw(
            """
            SELECT s.slot_minutes, s.weekly, s.time_off, c.* FROM doctor_schedules s JOIN clinics c ON c.id = s.clinic_id
            WHERE s.doctor_id = \(bind: Column.id(doctorID)) ORDER BY c.name
            """
        ).all()
        return try rows.map { row in
            let clinic = try ClinicStore.clinic(from: row)
            let schedule = try DoctorSchedule(
                doctorID: doctorID, clinicID: clinic.id, slotMinutes: try row.integer("slot_minutes"),
                weekly: try row.json("weekly", as: [WeeklyWindow].self), timeOff: try row.json("time_off", as: [TimeOff].self))
            return (schedule, clinic)
        }
    }

    /// The clinics of each of `doctorIDs` (ordered by clinic id), in one query.
    func clinicIDs(of doctorIDs: [UUID]) async throws -> [UUID: [UUID]] {
        guard !doctorIDs.isEmpty else { return [:] }
        let rows = try await sql.raw(
            "SELECT doctor_id, clinic_id FROM doctor_clinics WHERE doctor_id IN (\(binds: doctorIDs.map(Column.id))) ORDER BY clinic_id"
        ).all()
        var clinics: [UUID: [UUID]] = [:]
        for row in rows { clinics[try row.uuid("doctor_id"), default: []].append(try row.uuid("clinic_id")) }
        return clinics
    }

    /// A doctor from a `doctors` row joined with its `users` columns, with its clinics.
    /// - Throws: ``DatabaseError/failed(_:)`` for a row with a malformed tenant or review status.
    func doctor(from row: any SQLRow, clinicIDs clinics: [UUID]) throws -> Doctor {
        let id = try row.uuid("id")
        guard let tenant = TenantID(rawValue: try row.text("tenant_id")),
            let status = ReviewStatus(rawValue: try row.text("review_status"))
        else { throw DatabaseError.failed("doctors row is malformed") }
        return Doctor(
            id: id, tenantID: tenant, name: try row.text("name"), email: try row.text("email"), phone: try row.text("phone"),
            specialization: try row.text("specialization"), fee: try row.integer("fee"), currency: try row.text("currency"),
            consultationModes: try row.json("consultation_modes", as: [ConsultationMode].self), reviewStatus: status,
            reviewNotes: try row.optionalText("review_notes"), clinicIDs: clinics, city: try row.text("city"),
            createdAt: try row.instant("created_at"))
    }

    /// `text` with `\`, `%` and `_` escaped for `LIKE … ESCAPE '\'`.
    static func escapeLike(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
    }
}
