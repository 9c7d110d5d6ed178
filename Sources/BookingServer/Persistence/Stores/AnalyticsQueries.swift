import BookingCore
import Foundation
import SQLKit

/// The read-only queries behind the analytics routes: counts and sums across appointments, clinics, doctors,
/// payments and waitlists, on one connection or transaction. What they mean (rates, "today" per clinic zone, who
/// may ask) is ``AnalyticsService``'s.
struct AnalyticsQueries {
    let sql: any SQLDatabase

    init(_ sql: any SQLDatabase) { self.sql = sql }

    /// The tenant's appointments in session or checked in, counted by status.
    func liveAppointmentCounts(tenant: TenantID) async throws -> [String: Int] {
        try await counts(
            """
            SELECT status, COUNT(*) AS n FROM appointments WHERE tenant_id = \(bind: tenant.rawValue) AND status IN ('in-session', 'checked-in')
            GROUP BY status
            """)
    }

    /// The tenant's appointments completed or marked no-show in `[from, to]` (by their last change), counted by status.
    func outcomeCounts(tenant: TenantID, from: Date, to: Date) async throws -> [String: Int] {
        try await counts(
            """
            SELECT status, COUNT(*) AS n FROM appointments WHERE tenant_id = \(bind: tenant.rawValue) AND status IN ('completed', 'no-show')
            AND updated_at >= \(bind: Column.instant(from)) AND updated_at <= \(bind: Column.instant(to)) GROUP BY status
            """)
    }

    /// The tenant's clinics counted by status.
    func clinicCounts(tenant: TenantID) async throws -> [String: Int] {
        try await counts("SELECT status, COUNT(*) AS n FROM clinics WHERE tenant_id = \(bind: tenant.rawValue) GROUP BY status")
    }

    /// Doctors attached to the clinic whose review status is `active`.
    func activeDoctors(at clinicID: UUID, tenant: TenantID) async throws -> Int {
        try await sql.raw(
            """
            SELECT COUNT(*) AS n FROM doctor_clinics dc JOIN doctors d ON d.id = dc.doctor_id
            WHERE dc.clinic_id = \(bind: Column.id(clinicID)) AND d.tenant_id = \(bind: tenant.rawValue)
            AND d.review_status = \(bind: ReviewStatus.active.rawValue)
            """
        ).first()?.integer("n") ?? 0
    }

    /// Non-cancelled appointments at the clinic scheduled during `day`.
    func appointmentsScheduled(at clinicID: UUID, tenant: TenantID, during day: DayWindow) async throws -> Int {
        try await sql.raw(
            """
            SELECT COUNT(*) AS n FROM appointments WHERE tenant_id = \(bind: tenant.rawValue)
            AND clinic_id = \(bind: Column.id(clinicID)) AND status <> 'cancelled'
            AND scheduled_at >= \(bind: Column.instant(day.start)) AND scheduled_at < \(bind: Column.instant(day.end))
            """
        ).first()?.integer("n") ?? 0
    }

    /// Paise of the tenant's (or one clinic's) orders that count as revenue — `captured`, and `refund-pending`
    /// (captured, then the appointment was cancelled) — last changed during `day`.
    func revenue(tenant: TenantID, clinicID: UUID?, during day: DayWindow) async throws -> Int {
        var condition = SQLQueryString(
            """
            p.tenant_id = \(bind: tenant.rawValue) AND p.status IN ('captured', 'refund-pending')
            AND p.updated_at >= \(bind: Column.instant(day.start)) AND p.updated_at < \(bind: Column.instant(day.end))
            """)
        if let clinicID { condition += " AND a.clinic_id = \(bind: Column.id(clinicID))" }
        let total =
            try await sql.raw(
                """
                SELECT CAST(COALESCE(SUM(p.amount), 0) AS BIGINT) AS total FROM payment_orders p
                JOIN appointments a ON a.id = p.appointment_id WHERE \(condition)
                """
            ).first()?.decode(column: "total", as: Int64.self) ?? 0
        return Int(total)
    }

    /// Which waitlist entries a waitlist query covers: those `identity` may see, of one clinic or doctor when given,
    /// and — for the figures over a period — created in `[from, to]`.
    struct WaitlistSelection {
        var identity: Identity
        var clinicID: UUID?
        var doctorID: UUID?
        var from: Date?
        var to: Date?

        /// The entries of the queue (whatever their age).
        var queue: SQLQueryString {
            var condition = identity.visibleRowsCondition
            if let value = clinicID { condition += " AND clinic_id = \(bind: Column.id(value))" }
            if let value = doctorID { condition += " AND doctor_id = \(bind: Column.id(value))" }
            return condition
        }

        /// The entries of the queue created in the period.
        var period: SQLQueryString {
            var condition = queue
            if let value = from { condition += " AND created_at >= \(bind: Column.instant(value))" }
            if let value = to { condition += " AND created_at <= \(bind: Column.instant(value))" }
            return condition
        }
    }

    /// The period's entries counted by status.
    func waitlistCounts(_ selection: WaitlistSelection) async throws -> [String: Int] {
        try await counts("SELECT status, COUNT(*) AS n FROM waitlist_entries WHERE \(selection.period) GROUP BY status")
    }

    /// Milliseconds from joining to promotion, summed over the period's promoted entries.
    func promotionMilliseconds(_ selection: WaitlistSelection) async throws -> Int64 {
        try await sql.raw(
            """
            SELECT CAST(COALESCE(SUM(updated_at - created_at), 0) AS BIGINT) AS total FROM waitlist_entries
            WHERE \(selection.period) AND status = 'promoted'
            """
        ).first()?.decode(column: "total", as: Int64.self) ?? 0
    }

    /// Open (`active` or `invited`) entries in the queue now.
    func openQueueSize(_ selection: WaitlistSelection) async throws -> Int {
        try await sql.raw("SELECT COUNT(*) AS n FROM waitlist_entries WHERE \(selection.queue) AND status IN ('active', 'invited')").first()?
            .integer("n") ?? 0
    }

    /// `status → COUNT(*)` from a query selecting `status` and `n`.
    private func counts(_ query: SQLQueryString) async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for row in try await sql.raw(query).all() { counts[try row.text("status")] = try row.integer("n") }
        return counts
    }
}
