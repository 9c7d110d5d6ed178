import BookingCore
import Foundation
import SQLKit

/// Operational figures computed from the caller's tenant's rows (API.md "Analytics" and
/// `GET /api/waitlists/analytics` under "Waitlists").
///
/// Every query is plain `SELECT … COUNT(*) / SUM(…)` with bound parameters; time windows are computed
/// here as epoch milliseconds, so the same SQL runs on SQLite and PostgreSQL.
public struct AnalyticsService: Sendable {
    let database: BookingDatabase

    /// How far back ``OpsPulse/noShowRate`` looks.
    public static let noShowWindow: TimeInterval = 30 * 86_400

    // MARK: Ops pulse

    /// `GET /api/analytics/ops/pulse`.
    public struct OpsPulse: Encodable, Sendable, Equatable {
        /// Appointments `in-session` now.
        public var activeConsultations: Int
        /// Appointments `checked-in` now (patients in the waiting room).
        public var waitingPatients: Int
        /// `no-show / (completed + no-show)` over appointments whose outcome was recorded (last status change)
        /// in the last 30 days; 4 decimals; 0 when there is none.
        public var noShowRate: Double
        /// Paise of captured and refund-pending payment orders last changed during the current UTC calendar
        /// day `[00:00Z, 24:00Z)`.
        public var revenueToday: Int
        /// Clinics with status `active`.
        public var clinicsActive: Int
        /// Clinics with status `pending`.
        public var clinicsPending: Int
    }

    /// The tenant's operations at a glance.
    ///
    /// "Today" is the UTC calendar day containing `now`: one tenant runs clinics in several zones, so no single
    /// clinic's day fits the whole tenant (per-clinic figures use the clinic's own day, see ``clinicMetrics(_:clinicID:now:)``).
    /// - Throws: 403 for non-admins.
    public func opsPulse(_ identity: Identity, now: Date = Date()) async throws -> OpsPulse {
        guard identity.role == .admin else { throw BookingError.forbidden() }
        let tenant = identity.tenantID
        let today = DayWindow(containing: now, in: TimeZone(identifier: "UTC")!)
        return try await database.withConnection { sql in
            let queries = AnalyticsQueries(sql)
            let appointments = try await queries.liveAppointmentCounts(tenant: tenant)
            let outcomes = try await queries.outcomeCounts(tenant: tenant, from: now.addingTimeInterval(-Self.noShowWindow), to: now)
            let clinics = try await queries.clinicCounts(tenant: tenant)
            let revenue = try await queries.revenue(tenant: tenant, clinicID: nil, during: today)
            let noShows = outcomes[AppointmentStatus.noShow.rawValue] ?? 0
            return OpsPulse(
                activeConsultations: appointments[AppointmentStatus.inSession.rawValue] ?? 0,
                waitingPatients: appointments[AppointmentStatus.checkedIn.rawValue] ?? 0,
                noShowRate: Ratio.of(noShows, noShows + (outcomes[AppointmentStatus.completed.rawValue] ?? 0)),
                revenueToday: revenue,
                clinicsActive: clinics[ClinicStatus.active.rawValue] ?? 0,
                clinicsPending: clinics[ClinicStatus.pending.rawValue] ?? 0)
        }
    }

    // MARK: Clinic metrics

    /// One row of `GET /api/analytics/clinics/metrics`.
    public struct ClinicMetrics: Encodable, Sendable, Equatable {
        public var clinicID: UUID
        public var clinicName: String
        /// Doctors attached to the clinic whose review status is `active` (bookable).
        public var activeDoctors: Int
        /// Non-cancelled appointments at the clinic scheduled during the clinic's current local day.
        public var appointmentsToday: Int
        /// Paise of captured and refund-pending orders for the clinic's appointments, last changed during the
        /// clinic's current local day.
        public var revenueToday: Int
        public var status: ClinicStatus

        enum CodingKeys: String, CodingKey {
            case clinicID = "clinicId", clinicName, activeDoctors, appointmentsToday, revenueToday, status
        }
    }

    /// Per-clinic figures for the tenant's clinics (by name), or for one clinic. "Today" is the calendar day
    /// containing `now` in each clinic's own IANA time zone (API.md "Conventions").
    /// - Throws: 403 for non-admins; 404 when `clinicID` names no clinic of the tenant.
    public func clinicMetrics(_ identity: Identity, clinicID: UUID?, now: Date = Date()) async throws -> [ClinicMetrics] {
        guard identity.role == .admin else { throw BookingError.forbidden() }
        let tenant = identity.tenantID
        return try await database.withConnection { sql in
            let clinics: [Clinic]
            if let clinicID {
                clinics = [try await ClinicService.get(sql, tenant: tenant, id: clinicID)]
            } else {
                clinics = try await ClinicStore(sql).all(tenant: tenant)
            }
            var metrics: [ClinicMetrics] = []
            for clinic in clinics {
                let today = DayWindow(containing: now, in: TimeZone(identifier: clinic.timeZone) ?? TimeZone(identifier: "UTC")!)
                let queries = AnalyticsQueries(sql)
                metrics.append(
                    ClinicMetrics(
                        clinicID: clinic.id, clinicName: clinic.name, activeDoctors: try await queries.activeDoctors(at: clinic.id, tenant: tenant),
                        appointmentsToday: try await queries.appointmentsScheduled(at: clinic.id, tenant: tenant, during: today),
                        revenueToday: try await queries.revenue(tenant: tenant, clinicID: clinic.id, during: today),
                        status: clinic.status))
            }
            return metrics
        }
    }

    // MARK: Waitlist analytics

    /// Filters of `GET /api/waitlists/analytics`.
    public struct WaitlistScope: Sendable {
        /// Entries created at or after this instant.
        public var from: Date?
        /// Entries created at or before this instant.
        public var to: Date?
        public var clinicID: UUID?
        public var doctorID: UUID?

        public init(from: Date? = nil, to: Date? = nil, clinicID: UUID? = nil, doctorID: UUID? = nil) {
            self.from = from
            self.to = to
            self.clinicID = clinicID
            self.doctorID = doctorID
        }
    }

    /// Waitlist totals, rates and queue size over the entries created in `[from, to]` (open entries past
    /// their policy's `autoExpiryHours` are expired first, so they count as `expired`). Doctors see only their
    /// own queue; admins the whole tenant.
    /// - Throws: 403 for patients; 400 naming `to` when `from > to`; 404 when `clinicID` names no clinic of the
    ///   tenant, or `doctorID` no doctor the caller may see (a doctor sees only themself).
    public func waitlist(_ identity: Identity, scope: WaitlistScope, now: Date = Date()) async throws -> WaitlistAnalytics {
        guard identity.role != .patient else { throw BookingError.forbidden() }
        if let from = scope.from, let to = scope.to, from > to {
            throw ValidationError(field: "to", problem: "must not be before from")
        }
        if identity.role == .doctor, let doctorID = scope.doctorID, doctorID != identity.userID {
            throw BookingError.notFound(resource: "doctor")
        }
        return try await database.transaction { sql in
            if let clinicID = scope.clinicID { _ = try await ClinicService.get(sql, tenant: identity.tenantID, id: clinicID) }
            if let doctorID = scope.doctorID, try await DoctorService.get(sql, tenant: identity.tenantID, id: doctorID, visibleTo: nil) == nil {
                throw BookingError.notFound(resource: "doctor")
            }
            try await WaitlistService.expireStale(sql, tenant: identity.tenantID, now: now)
            let queries = AnalyticsQueries(sql)
            let selection = AnalyticsQueries.WaitlistSelection(
                identity: identity, clinicID: scope.clinicID, doctorID: scope.doctorID, from: scope.from, to: scope.to)
            let counts = try await queries.waitlistCounts(selection)
            let promotion = try await queries.promotionMilliseconds(selection)
            let open = try await queries.openQueueSize(selection)
            var byStatus: [WaitlistStatus: Int] = [:]
            for (raw, count) in counts {
                if let status = WaitlistStatus(rawValue: raw) { byStatus[status] = count }
            }
            return WaitlistAnalytics(counts: byStatus, promotionMilliseconds: promotion, currentQueueSize: open)
        }
    }
}
