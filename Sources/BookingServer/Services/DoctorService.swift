import BookingCore
import Foundation
import SQLKit

/// Doctors: onboarding, review, search, schedules and availability (API.md "Doctors", "Admin").
public struct DoctorService: Sendable {
    let database: BookingDatabase
    let accounts: AccountService

    /// Fields of a doctor an admin onboards.
    public struct Onboarding: Sendable {
        public var name: String
        public var email: String
        public var phone: String
        public var password: String
        public var specialization: String
        /// Fee in paise.
        public var fee: Int
        public var consultationModes: [ConsultationMode]
        public var clinicIDs: [UUID]
        public var city: String
        public var reviewStatus: ReviewStatus

        public init(
            name: String, email: String, phone: String, password: String, specialization: String, fee: Int,
            consultationModes: [ConsultationMode], clinicIDs: [UUID], city: String, reviewStatus: ReviewStatus = .pending
        ) {
            self.name = name
            self.email = email
            self.phone = phone
            self.password = password
            self.specialization = specialization
            self.fee = fee
            self.consultationModes = consultationModes
            self.clinicIDs = clinicIDs
            self.city = city
            self.reviewStatus = reviewStatus
        }
    }

    /// Creates the doctor's account and profile in `sql` (review status `pending` unless given).
    /// - Throws: ``ValidationError`` for bad fields or unknown clinics; 409 for a duplicate e-mail.
    /// - Parameter password: the doctor's password, hashed before the transaction (``AccountService/hashedPassword(_:field:)``).
    func onboard(
        _ sql: any SQLDatabase, tenant: TenantID, _ new: Onboarding, password: AccountService.HashedPassword, id: UUID = UUID(), now: Date = Date()
    ) async throws -> Doctor {
        try Doctor.validateFee(new.fee)
        let specialization = try ContactRules.name(new.specialization, field: "specialization", maxLength: 100)
        let city = try ContactRules.name(new.city, field: "city", maxLength: 100)
        guard !new.consultationModes.isEmpty else {
            throw ValidationError(field: "consultationModes", problem: "must name at least one mode")
        }
        guard !new.clinicIDs.isEmpty, new.clinicIDs.count <= 20 else {
            throw ValidationError(field: "clinicIds", problem: "must name 1 to 20 clinics")
        }
        for (index, clinicID) in new.clinicIDs.enumerated() where try await ClinicStore(sql).find(clinicID, tenant: tenant) == nil {
            throw ValidationError(field: "clinicIds[\(index)]", problem: "is not a clinic of this tenant")
        }
        _ = try await accounts.createAccount(
            sql, tenant: tenant, role: .doctor, name: new.name, email: new.email, phone: new.phone, password: password,
            id: id, now: now)
        let modes = Array(Set(new.consultationModes)).sorted { $0.rawValue < $1.rawValue }
        try await DoctorStore(sql).insert(
            id, tenant: tenant, specialization: specialization, fee: new.fee, modes: modes, reviewStatus: new.reviewStatus, city: city,
            clinicIDs: Set(new.clinicIDs), at: now)
        return try await Self.get(sql, tenant: tenant, id: id, visibleTo: nil)!
    }

    public func onboard(tenant: TenantID, _ new: Onboarding) async throws -> Doctor {
        try accounts.validateContact(name: new.name, email: new.email, phone: new.phone)
        let password = try await accounts.hashedPassword(new.password)
        return try await database.transaction { sql in try await onboard(sql, tenant: tenant, new, password: password) }
    }

    /// Search filters of `GET /api/doctors`.
    public struct Search: Sendable {
        public var specialization: String?
        public var city: String?
        public var mode: ConsultationMode?
        /// Case-insensitive substring of name or specialization.
        public var text: String?
        public var reviewStatus: ReviewStatus?

        public init(specialization: String? = nil, city: String? = nil, mode: ConsultationMode? = nil, text: String? = nil, reviewStatus: ReviewStatus? = nil) {
            self.specialization = specialization
            self.city = city
            self.mode = mode
            self.text = text
            self.reviewStatus = reviewStatus
        }
    }

    /// One page of doctors by name. Patients only ever see `active` doctors.
    public func list(tenant: TenantID, role: Role, search: Search, page: Int, pageSize: Int) async throws -> ([Doctor], Int) {
        try await database.withConnection { sql in
            try await DoctorStore(sql).page(
                .init(tenant: tenant, activeOnly: role == .patient, reviewStatus: search.reviewStatus, search: search), page: page, pageSize: pageSize)
        }
    }

    /// The doctor as `role` may see it (patients: active only), or 404.
    public func get(tenant: TenantID, id: UUID, visibleTo role: Role?) async throws -> Doctor {
        try await database.withConnection { sql in
            guard let doctor = try await Self.get(sql, tenant: tenant, id: id, visibleTo: role) else {
                throw BookingError.notFound(resource: "doctor")
            }
            return doctor
        }
    }

    static func get(_ sql: any SQLDatabase, tenant: TenantID, id: UUID, visibleTo role: Role?) async throws -> Doctor? {
        guard let doctor = try await DoctorStore(sql).find(id, tenant: tenant) else { return nil }
        if role == .patient && !doctor.isBookable { return nil }
        return doctor
    }

    /// Moves a doctor through the review workflow (API.md `PUT /api/admin/doctors/:id/review`).
    /// - Throws: 404 for an unknown doctor, 409 INVALID_TRANSITION for a move the workflow forbids.
    public func review(tenant: TenantID, id: UUID, to status: ReviewStatus, notes: String?) async throws -> Doctor {
        let notes = try notes.map { try ContactRules.name($0, field: "notes", maxLength: 2000) }
        return try await database.transaction { sql in
            guard let doctor = try await Self.get(sql, tenant: tenant, id: id, visibleTo: nil) else {
                throw BookingError.notFound(resource: "doctor")
            }
            guard doctor.reviewStatus.canMove(to: status) else {
                throw BookingError.invalidTransition(from: doctor.reviewStatus.rawValue, to: status.rawValue)
            }
            try await DoctorStore(sql).setReview(id, status: status, notes: notes)
            return try await Self.get(sql, tenant: tenant, id: id, visibleTo: nil)!
        }
    }

    /// Replaces the doctor's schedule at one of their clinics.
    /// - Throws: ``ValidationError`` when the clinic is not the doctor's.
    func setSchedule(_ sql: any SQLDatabase, tenant: TenantID, _ schedule: DoctorSchedule, now: Date = Date()) async throws {
        let doctors = DoctorStore(sql)
        guard try await doctors.worksAt(schedule.clinicID, doctorID: schedule.doctorID, tenant: tenant) else {
            throw ValidationError(field: "clinicId", problem: "is not one of the doctor's clinics")
        }
        try await doctors.replaceSchedule(schedule, at: now)
    }

    public func setSchedule(tenant: TenantID, _ schedule: DoctorSchedule) async throws -> DoctorSchedule {
        try await database.transaction { sql in
            try await setSchedule(sql, tenant: tenant, schedule)
            return schedule
        }
    }

    /// A free slot as `GET /api/doctors/:id/availability` lists it.
    public struct AvailableSlot: Encodable, Sendable {
        public var start: Date
        public var end: Date
        public var clinicId: UUID
        /// The doctor's first consultation mode; `modes` lists all.
        public var mode: ConsultationMode
        public var modes: [ConsultationMode]
    }

    /// Free slots of the doctor from `from` to `to` (local dates in each clinic's zone, inclusive).
    /// - Throws: 400 when `to` precedes `from` or the range exceeds 31 days; 404 for an unknown doctor.
    public func availability(
        tenant: TenantID, doctorID: UUID, visibleTo role: Role, from: LocalDate, to: LocalDate, clinicID: UUID?, now: Date = Date()
    ) async throws -> [AvailableSlot] {
        guard from <= to else { throw ValidationError(field: "to", problem: "must not be before from") }
        guard from.days(to: to) < 31 else { throw ValidationError(field: "to", problem: "range must be at most 31 days") }
        return try await database.withConnection { sql in
            guard let doctor = try await Self.get(sql, tenant: tenant, id: doctorID, visibleTo: role) else {
                throw BookingError.notFound(resource: "doctor")
            }
            let booked = try await AppointmentStore(sql).bookedIntervals(
                tenant: tenant, doctorID: doctorID, from: from.adding(days: -1).startInUTC, to: to.adding(days: 2).startInUTC)
            var slots: [AvailableSlot] = []
            for (schedule, clinic) in try await DoctorStore(sql).schedules(of: doctorID)
            where clinicID == nil || clinic.id == clinicID {
                guard clinic.status == .active, let zone = TimeZone(identifier: clinic.timeZone) else { continue }
                for slot in SlotGenerator(zone: zone).freeSlots(for: schedule, from: from, to: to, now: now, booked: booked) {
                    slots.append(
                        AvailableSlot(
                            start: slot.start, end: slot.end, clinicId: slot.clinicID,
                            mode: doctor.consultationModes.first ?? .inPerson, modes: doctor.consultationModes))
                }
            }
            return slots.sorted { $0.start < $1.start }
        }
    }
}
