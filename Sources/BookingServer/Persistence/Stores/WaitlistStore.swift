import BookingCore
import Foundation
import SQLKit

/// The `waitlist_entries` and `waitlist_policies` tables: every SQL statement about waitlists, on one connection or
/// transaction. The rules (windows, queue size, priority, expiry, invitations) are ``WaitlistService``'s.
struct WaitlistStore {
    let sql: any SQLDatabase

    init(_ sql: any SQLDatabase) { self.sql = sql }

    // MARK: - Policies

    /// The policy stored under `key` (a clinic id, or `""` for the tenant-wide one), or `nil`.
    func policy(tenant: TenantID, key: String) async throws -> WaitlistPolicy? {
        guard let row = try await sql.raw("SELECT * FROM waitlist_policies WHERE tenant_id = \(bind: tenant.rawValue) AND clinic_id = \(bind: key)").first()
        else { return nil }
        return try Self.policy(from: row)
    }

    /// Every policy the tenant has stored, by key (a clinic id, or `""` for the tenant-wide one).
    func policies(tenant: TenantID) async throws -> [String: WaitlistPolicy] {
        var policies: [String: WaitlistPolicy] = [:]
        for row in try await sql.raw("SELECT * FROM waitlist_policies WHERE tenant_id = \(bind: tenant.rawValue)").all() {
            policies[try row.text("clinic_id")] = try Self.policy(from: row)
        }
        return policies
    }

    private static func policy(from row: any SQLRow) throws -> WaitlistPolicy {
        WaitlistPolicy(
            maxQueueSize: try row.integer("max_queue_size"), autoExpiryHours: try row.integer("auto_expiry_hours"),
            priorityWeights: try row.json("priority_weights", as: WaitlistPolicy.PriorityWeights.self))
    }

    /// Replaces the policy stored under `key` (a clinic id, or `""` for the tenant-wide one).
    func replacePolicy(_ policy: WaitlistPolicy, tenant: TenantID, key: String) async throws {
        try await sql.raw("DELETE FROM waitlist_policies WHERE tenant_id = \(bind: tenant.rawValue) AND clinic_id = \(bind: key)").run()
        try await sql.raw(
            """
            INSERT INTO waitlist_policies (tenant_id, clinic_id, max_queue_size, auto_expiry_hours, priority_weights)
            VALUES (\(bind: tenant.rawValue), \(bind: key), \(bind: policy.maxQueueSize),
            \(bind: policy.autoExpiryHours), \(bind: try Column.json(policy.priorityWeights)))
            """
        ).run()
    }

    // MARK: - Entries

    /// The tenant's open (`active` or `invited`) entries.
    func openEntries(tenant: TenantID, createdAtOrBefore cutoff: Date) async throws -> [WaitlistEntry] {
        try await sql.raw(
            """
            SELECT * FROM waitlist_entries WHERE tenant_id = \(bind: tenant.rawValue) AND status IN ('active', 'invited')
            AND created_at <= \(bind: Column.instant(cutoff))
            """
        ).all().map(Self.entry(from:))
    }

    /// The patients with an open entry on the doctor's queue.
    func openPatients(doctorID: UUID, tenant: TenantID) async throws -> [UUID] {
        try await sql.raw(
            """
            SELECT patient_id FROM waitlist_entries WHERE tenant_id = \(bind: tenant.rawValue)
            AND doctor_id = \(bind: Column.id(doctorID)) AND status IN ('active', 'invited')
            """
        ).all().map { try $0.uuid("patient_id") }
    }

    /// The patient's membership level (0 without one).
    func membershipLevel(of patientID: UUID) async throws -> Int {
        try await sql.raw("SELECT membership_level FROM patients WHERE id = \(bind: Column.id(patientID))").first()?.integer("membership_level") ?? 0
    }

    /// Stores a new entry.
    func insert(_ entry: WaitlistEntry) async throws {
        try await sql.raw(
            """
            INSERT INTO waitlist_entries (id, tenant_id, patient_id, doctor_id, clinic_id, window_start, window_end, reason, status,
            priority_score, promoted_appointment_id, audit, created_at, updated_at)
            VALUES (\(bind: Column.id(entry.id)), \(bind: entry.tenantID.rawValue), \(bind: Column.id(entry.patientID)),
            \(bind: Column.id(entry.doctorID)), \(bind: entry.clinicID.map(Column.id)), \(bind: Column.instant(entry.preferredWindow.start)),
            \(bind: Column.instant(entry.preferredWindow.end)), \(bind: entry.reason), \(bind: entry.status.rawValue), \(bind: entry.priorityScore),
            \(bind: entry.promotedAppointmentID.map(Column.id)), \(bind: try Column.json(entry.audit)), \(bind: Column.instant(entry.createdAt)),
            \(bind: Column.instant(entry.updatedAt)))
            """
        ).run()
    }

    /// One page of the entries `identity` may see that match the filter, by priority (highest first), then age; with
    /// the number of all that match.
    func page(visibleTo identity: Identity, _ filter: WaitlistService.Filter, page: Int, pageSize: Int) async throws -> ([WaitlistEntry], Int) {
        var condition = identity.visibleRowsCondition
        if let value = filter.status { condition += " AND status = \(bind: value.rawValue)" }
        if let value = filter.doctorID { condition += " AND doctor_id = \(bind: Column.id(value))" }
        if let value = filter.clinicID { condition += " AND clinic_id = \(bind: Column.id(value))" }
        let total = try await sql.raw("SELECT COUNT(*) AS n FROM waitlist_entries WHERE \(condition)").first()?.integer("n") ?? 0
        let rows = try await sql.raw(
            """
            SELECT * FROM waitlist_entries WHERE \(condition) ORDER BY priority_score DESC, created_at ASC, id
            LIMIT \(bind: pageSize) OFFSET \(bind: (page - 1) * pageSize)
            """
        ).all()
        return (try rows.map(Self.entry(from:)), total)
    }

    /// The highest-priority (then oldest) `active` entry on the freed appointment's doctor — for its clinic or none —
    /// whose window covers the appointment, or `nil`.
    func topEntry(covering freed: Appointment) async throws -> WaitlistEntry? {
        try await sql.raw(
            """
            SELECT * FROM waitlist_entries WHERE tenant_id = \(bind: freed.tenantID.rawValue)
            AND doctor_id = \(bind: Column.id(freed.doctorID)) AND status = 'active'
            AND (clinic_id IS NULL OR clinic_id = \(bind: Column.id(freed.clinicID)))
            AND window_start <= \(bind: Column.instant(freed.scheduledAt)) AND window_end >= \(bind: Column.instant(freed.endsAt))
            ORDER BY priority_score DESC, created_at ASC, id LIMIT 1
            """
        ).first().map(Self.entry(from:))
    }

    /// The entry `id` of the tenant, or `nil`.
    func find(_ id: UUID, tenant: TenantID) async throws -> WaitlistEntry? {
        try await sql.raw("SELECT * FROM waitlist_entries WHERE id = \(bind: Column.id(id)) AND tenant_id = \(bind: tenant.rawValue)").first()
            .map(Self.entry(from:))
    }

    /// Saves the status, score, promoted appointment, audit trail and update time of a stored entry.
    func save(_ entry: WaitlistEntry) async throws {
        try await sql.raw(
            """
            UPDATE waitlist_entries SET status = \(bind: entry.status.rawValue), priority_score = \(bind: entry.priorityScore),
            promoted_appointment_id = \(bind: entry.promotedAppointmentID.map(Column.id)), audit = \(bind: try Column.json(entry.audit)),
            updated_at = \(bind: Column.instant(entry.updatedAt)) WHERE id = \(bind: Column.id(entry.id))
            """
        ).run()
    }

    /// An entry from a `waitlist_entries` row.
    /// - Throws: ``DatabaseError/failed(_:)`` for a row with a malformed tenant or status.
    static func entry(from row: any SQLRow) throws -> WaitlistEntry {
        guard let tenant = TenantID(rawValue: try row.text("tenant_id")), let status = WaitlistStatus(rawValue: try row.text("status")) else {
            throw DatabaseError.failed("waitlist_entries row is malformed")
        }
        return WaitlistEntry(
            id: try row.uuid("id"), tenantID: tenant, patientID: try row.uuid("patient_id"), doctorID: try row.uuid("doctor_id"),
            clinicID: try row.optionalUUID("clinic_id"),
            preferredWindow: .init(start: try row.instant("window_start"), end: try row.instant("window_end")),
            reason: try row.optionalText("reason"), status: status, priorityScore: try row.double("priority_score"),
            promotedAppointmentID: try row.optionalUUID("promoted_appointment_id"),
            audit: try row.json("audit", as: [WaitlistEntry.AuditEvent].self), createdAt: try row.instant("created_at"),
            updatedAt: try row.instant("updated_at"))
    }
}
