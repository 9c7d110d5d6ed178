import BookingCore
import Foundation
import SQLKit

/// Doctor waitlists: join, list, promote, invitation on cancellation and expiry (API.md "Waitlists").
public struct WaitlistService: Sendable {
    let database: BookingDatabase
    let appointments: AppointmentService

    /// The policy in force for a clinic: the clinic's own, else the tenant-wide one, else ``WaitlistPolicy/standard``.
    static func policy(_ sql: any SQLDatabase, tenant: TenantID, clinicID: UUID?) async throws -> WaitlistPolicy {
        let keys = [clinicID.map(Column.id), ""].compactMap { $0 }
        for key in keys {
            if let policy = try await WaitlistStore(sql).policy(tenant: tenant, key: key) { return policy }
        }
        return .standard
    }

    /// The policy for a queue at `clinicID` among the tenant's stored `policies`: the clinic's, else the tenant's,
    /// else ``WaitlistPolicy/standard`` (the same order as ``policy(_:tenant:clinicID:)``).
    static func policy(in policies: [String: WaitlistPolicy], clinicID: UUID?) -> WaitlistPolicy {
        clinicID.flatMap { policies[Column.id($0)] } ?? policies[""] ?? .standard
    }

    /// Moves open entries older than their policy's `autoExpiryHours` to `expired`, with an audit line.
    ///
    /// Runs before every waitlist read and change, so it reads with two statements whatever the queue's size — the
    /// tenant's policies, then only the open entries old enough for the shortest expiry among them — plus one update
    /// per entry that expires (it loaded every open entry and queried each one's policy before: 1 + 2N statements that
    /// grew with the queues, docs/performance-tuning.md).
    static func expireStale(_ sql: any SQLDatabase, tenant: TenantID, now: Date) async throws {
        let policies = try await WaitlistStore(sql).policies(tenant: tenant)
        // The standard policy applies only to tenants without a tenant-wide one.
        let applicable = Array(policies.values) + (policies[""] == nil ? [WaitlistPolicy.standard] : [])
        let shortest = applicable.map(\.autoExpiryHours).min()!
        let cutoff = now.addingTimeInterval(-Double(shortest) * 3600)
        for var entry in try await WaitlistStore(sql).openEntries(tenant: tenant, createdAtOrBefore: cutoff) {
            let policy = policy(in: policies, clinicID: entry.clinicID)
            guard now.timeIntervalSince(entry.createdAt) >= Double(policy.autoExpiryHours) * 3600 else { continue }
            entry.status = .expired
            entry.audit.append(.init(action: "expired", actorID: nil, at: now, notes: "older than \(policy.autoExpiryHours) hours"))
            entry.updatedAt = now
            try await save(sql, entry)
        }
    }

    /// A request to join a queue.
    public struct Join: Sendable {
        public var doctorID: UUID
        public var clinicID: UUID?
        public var windowStart: Date
        public var windowEnd: Date
        public var reason: String?

        public init(doctorID: UUID, clinicID: UUID?, windowStart: Date, windowEnd: Date, reason: String?) {
            self.doctorID = doctorID
            self.clinicID = clinicID
            self.windowStart = windowStart
            self.windowEnd = windowEnd
            self.reason = reason
        }
    }

    /// `POST /api/waitlists`: an `active` entry with its computed priority score.
    /// - Throws: 404 unknown doctor, 400 bad window or clinic, 409 ALREADY_WAITLISTED / WAITLIST_FULL.
    public func join(_ identity: Identity, _ join: Join, now: Date = Date()) async throws -> WaitlistEntry {
        guard join.windowStart < join.windowEnd else {
            throw ValidationError(field: "preferredWindow.end", problem: "must be after start")
        }
        guard join.windowEnd > now else { throw ValidationError(field: "preferredWindow.end", problem: "must be in the future") }
        guard join.windowEnd.timeIntervalSince(join.windowStart) <= 90 * 86_400 else {
            throw ValidationError(field: "preferredWindow", problem: "must span at most 90 days")
        }
        let reason = try join.reason.map { try ContactRules.name($0, field: "reason", maxLength: 1000) }
        return try await database.transaction { sql in
            try await Self.expireStale(sql, tenant: identity.tenantID, now: now)
            guard let doctor = try await DoctorService.get(sql, tenant: identity.tenantID, id: join.doctorID, visibleTo: .patient) else {
                throw BookingError.notFound(resource: "doctor")
            }
            if let clinicID = join.clinicID, !doctor.clinicIDs.contains(clinicID) {
                throw ValidationError(field: "clinicId", problem: "is not one of the doctor's clinics")
            }
            let waitlists = WaitlistStore(sql)
            let open = try await waitlists.openPatients(doctorID: doctor.id, tenant: identity.tenantID)
            if open.contains(identity.userID) { throw BookingError.alreadyWaitlisted }
            let policy = try await Self.policy(sql, tenant: identity.tenantID, clinicID: join.clinicID)
            if open.count >= policy.maxQueueSize { throw BookingError.waitlistFull }
            let profile = try await AccountService.patientProfile(sql, identity: identity)
            let membership = try await waitlists.membershipLevel(of: identity.userID)
            let entry = WaitlistEntry(
                id: UUID(), tenantID: identity.tenantID, patientID: identity.userID, doctorID: doctor.id, clinicID: join.clinicID,
                preferredWindow: .init(start: join.windowStart, end: join.windowEnd), reason: reason, status: .active,
                priorityScore: policy.priorityScore(hoursWaiting: 0, membershipLevel: membership, hasChronicCondition: !profile.medicalHistory.isEmpty),
                promotedAppointmentID: nil, audit: [.init(action: "joined", actorID: identity.userID, at: now, notes: nil)],
                createdAt: now, updatedAt: now)
            try await waitlists.insert(entry)
            return entry
        }
    }

    /// List filters of `GET /api/waitlists`.
    public struct Filter: Sendable {
        public var status: WaitlistStatus?
        public var doctorID: UUID?
        public var clinicID: UUID?

        public init(status: WaitlistStatus? = nil, doctorID: UUID? = nil, clinicID: UUID? = nil) {
            self.status = status
            self.doctorID = doctorID
            self.clinicID = clinicID
        }
    }

    /// One page of entries visible to the caller (patients their own, doctors their queue, admins all),
    /// sorted `-priorityScore, createdAt`.
    public func list(_ identity: Identity, filter: Filter, page: Int, pageSize: Int, now: Date = Date()) async throws -> ([WaitlistEntry], Int) {
        try await database.transaction { sql in
            try await Self.expireStale(sql, tenant: identity.tenantID, now: now)
            return try await WaitlistStore(sql).page(visibleTo: identity, filter, page: page, pageSize: pageSize)
        }
    }

    /// The result of a promotion: the entry and the appointment created for it.
    public struct Promotion: Encodable, Sendable {
        public var entry: WaitlistEntry
        public var appointment: AppointmentService.View
    }

    /// `POST /api/waitlists/:id/promote`: books the slot for the entry's patient and marks the entry `promoted`,
    /// in one transaction (both or neither).
    /// - Throws: 403 for patients; 404 when not visible; 409 INVALID_TRANSITION when the entry is not open;
    ///   400 when no clinic is known; the booking's errors (409 SLOT_UNAVAILABLE …).
    public func promote(_ identity: Identity, entryID: UUID, scheduledAt: Date, clinicID: UUID?, now: Date = Date()) async throws -> Promotion {
        guard identity.role != .patient else { throw BookingError.forbidden() }
        var promotion = try await database.transaction { sql in
            try await Self.expireStale(sql, tenant: identity.tenantID, now: now)
            var entry = try await Self.visible(sql, identity, id: entryID)
            guard entry.status.isOpen else {
                throw BookingError.invalidTransition(from: entry.status.rawValue, to: WaitlistStatus.promoted.rawValue)
            }
            guard let clinic = clinicID ?? entry.clinicID else {
                throw ValidationError(field: "clinicId", problem: "is required when the entry names no clinic")
            }
            guard let doctor = try await DoctorService.get(sql, tenant: identity.tenantID, id: entry.doctorID, visibleTo: nil) else {
                throw BookingError.notFound(resource: "doctor")
            }
            let appointment = try await appointments.book(
                sql, tenant: identity.tenantID, patientID: entry.patientID,
                .init(
                    doctorID: entry.doctorID, clinicID: clinic, scheduledAt: scheduledAt,
                    mode: doctor.consultationModes.first ?? .inPerson, reasonForVisit: entry.reason),
                now: now)
            entry.status = .promoted
            entry.promotedAppointmentID = appointment.appointment.id
            entry.audit.append(.init(action: "promoted", actorID: identity.userID, at: now, notes: nil))
            entry.updatedAt = now
            try await Self.save(sql, entry)
            return Promotion(entry: entry, appointment: appointment)
        }
        promotion.appointment = await appointments.withPaymentOrder(promotion.appointment)
        return promotion
    }

    /// After a cancellation: the highest-priority open `active` entry for the doctor (same clinic or none)
    /// whose window covers the freed slot becomes `invited`. Entries past their policy's `autoExpiryHours` are expired
    /// first (API.md "Waitlists": they become `expired`), so a stale entry is never the one invited.
    static func inviteTopEntry(_ sql: any SQLDatabase, freed: Appointment, actor: UUID, now: Date) async throws {
        try await expireStale(sql, tenant: freed.tenantID, now: now)
        guard var entry = try await WaitlistStore(sql).topEntry(covering: freed) else { return }
        entry.status = .invited
        entry.audit.append(
            .init(
                action: "invited", actorID: actor, at: now, notes: "slot \(JSONCoding.formatInstant(freed.scheduledAt)) freed"))
        entry.updatedAt = now
        try await save(sql, entry)
    }

    /// The entry if `identity` may see it, else 404.
    static func visible(_ sql: any SQLDatabase, _ identity: Identity, id: UUID) async throws -> WaitlistEntry {
        guard let entry = try await WaitlistStore(sql).find(id, tenant: identity.tenantID),
            identity.canSee(patientID: entry.patientID, doctorID: entry.doctorID)
        else { throw BookingError.notFound(resource: "waitlist entry") }
        return entry
    }

    static func save(_ sql: any SQLDatabase, _ entry: WaitlistEntry) async throws {
        try await WaitlistStore(sql).save(entry)
    }
}
