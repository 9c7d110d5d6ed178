import BookingCore
import BookingServer
import Foundation
import Synchronization

/// Builders for every entity, with valid and unique defaults, persisted through the service layer (the same
/// validation and code paths as the API), so a test states only what matters to it:
///
/// ```swift
/// let builders = testDatabase.builders
/// let doctor = try await builders.doctor(specialization: "Dermatology", fee: 150_000)
/// let patient = try await builders.patient(name: "Asha Rao")
/// let appointment = try await builders.appointment(patient: patient, doctor: doctor)
/// ```
///
/// Every builder throws what the service throws (``ValidationError``, ``BookingError``) for values it rejects.
public struct EntityBuilders: Sendable {
    public let services: BookingServices
    /// The tenant the builders create data in.
    public let tenant: TenantID

    /// The password of every account the builders make unless one is given (development only).
    public static let password = "Fixture-pass-2026"

    /// Builders for `tenant` (which must exist, see ``tenant(_:name:)``) on `services`.
    public init(services: BookingServices, tenant: TenantID = .default) {
        self.services = services
        self.tenant = tenant
    }

    /// A per-process counter that makes names, e-mails, phones and slugs unique.
    private static let counter = Atomic<Int>(0)

    private static func next() -> (number: Int, tag: String) {
        let number = counter.add(1, ordering: .relaxed).newValue
        return (number, String(UUID().uuidString.lowercased().prefix(6)))
    }

    /// A unique E.164 mobile number (`+9190…`).
    private static func phone(_ number: Int) -> String { "+9190" + String(format: "%08d", number % 100_000_000) }

    // MARK: Tenants and clinics

    /// Creates a tenant and returns builders for it.
    /// - Parameters:
    ///   - id: tenant id (default `t-<unique>`); lowercase letters, digits and `-`.
    ///   - name: display name (default "Tenant <n>").
    public func tenant(_ id: String? = nil, name: String? = nil) async throws -> EntityBuilders {
        let (number, tag) = Self.next()
        let raw = id ?? "t-\(number)-\(tag)"
        guard let tenantID = TenantID(rawValue: raw) else { throw ValidationError(field: "tenant", problem: "\(raw) is not a valid tenant id") }
        try await services.accounts.createTenant(tenantID, name: name ?? "Tenant \(number)")
        return EntityBuilders(services: services, tenant: tenantID)
    }

    /// Creates a clinic.
    /// - Parameters:
    ///   - timeZone: IANA zone the clinic's schedules are in (default Asia/Kolkata).
    public func clinic(
        name: String? = nil, city: String = "Bengaluru", timeZone: String = "Asia/Kolkata", status: ClinicStatus = .active
    ) async throws -> Clinic {
        let (number, tag) = Self.next()
        return try await services.clinics.create(
            tenant: tenant,
            .init(
                name: name ?? "Test Clinic \(number)", slug: "clinic-\(number)-\(tag)", timeZone: timeZone,
                address: "\(number) Test Road", city: city, status: status))
    }

    // MARK: Accounts

    /// Creates an admin of the tenant.
    public func admin(name: String? = nil, password: String = EntityBuilders.password) async throws -> BuiltAccount {
        try await account(.admin, name: name, phone: nil, password: password)
    }

    /// Creates a patient, with a medical history when given (it raises their waitlist priority).
    public func patient(
        name: String? = nil, phone: String? = nil, medicalHistory: [String] = [], password: String = EntityBuilders.password
    ) async throws -> BuiltAccount {
        let patient = try await account(.patient, name: name, phone: phone, password: password)
        if !medicalHistory.isEmpty {
            _ = try await services.accounts.updatePatientProfile(patient.identity, name: nil, phone: nil, medicalHistory: medicalHistory)
        }
        return patient
    }

    private func account(_ role: Role, name: String?, phone: String?, password: String) async throws -> BuiltAccount {
        let (number, tag) = Self.next()
        let account = try await services.accounts.createAccount(
            tenant: tenant, role: role, name: name ?? "Test \(role.rawValue.capitalized) \(number)",
            email: "\(role.rawValue)-\(number)-\(tag)@fixtures.test", phone: phone ?? Self.phone(number), password: password)
        return BuiltAccount(account: account, password: password)
    }

    // MARK: Doctors

    /// Every day of the week, 08:00–20:00 in the clinic's zone: a test at any hour finds free slots today or tomorrow.
    public static func everyDay(from start: String = "08:00", to end: String = "20:00") -> [WeeklyWindow] {
        (1...7).map { try! WeeklyWindow(weekday: $0, start: LocalTime(parsing: start), end: LocalTime(parsing: end)) }
    }

    /// Onboards a doctor with a schedule at `clinic` (a new clinic when `nil`).
    /// - Parameters:
    ///   - fee: consultation fee in paise (0 = free: bookings are confirmed at once; paid bookings wait for payment).
    ///   - schedule: weekly windows in the clinic's zone (default ``everyDay(from:to:)``).
    ///   - slotMinutes: slot length in minutes.
    ///   - reviewStatus: `active` (bookable) unless a test needs the review workflow.
    public func doctor(
        name: String? = nil, specialization: String = "General Medicine", fee: Int = 0,
        modes: [ConsultationMode] = [.inPerson, .video], clinic: Clinic? = nil, schedule: [WeeklyWindow] = EntityBuilders.everyDay(),
        slotMinutes: Int = 30, reviewStatus: ReviewStatus = .active, password: String = EntityBuilders.password
    ) async throws -> BuiltDoctor {
        let home: Clinic
        if let clinic { home = clinic } else { home = try await self.clinic() }
        let (number, tag) = Self.next()
        let doctor = try await services.doctors.onboard(
            tenant: tenant,
            .init(
                name: name ?? "Dr. Test \(number)", email: "doctor-\(number)-\(tag)@fixtures.test", phone: Self.phone(number),
                password: password, specialization: specialization, fee: fee, consultationModes: modes, clinicIDs: [home.id],
                city: home.city, reviewStatus: reviewStatus))
        _ = try await services.doctors.setSchedule(
            tenant: tenant, try DoctorSchedule(doctorID: doctor.id, clinicID: home.id, slotMinutes: slotMinutes, weekly: schedule, timeOff: []))
        return BuiltDoctor(doctor: doctor, clinic: home, password: password)
    }

    // MARK: Appointments and waitlists

    /// How far ahead (seconds) a slot must start to be offered to a test: 15 minutes.
    ///
    /// Availability leaves out the past (API.md "Doctors") and booking refuses it, so a slot that starts while a
    /// test runs turns from free into 409 SLOT_UNAVAILABLE between listing and booking — a failure at one moment of
    /// the day only. No test runs for 15 minutes, so a slot at least this far ahead stays in the future throughout.
    public static let bookingLeadTime: TimeInterval = 15 * 60

    /// Free slots of `doctor` from today to `days` days ahead (clinic dates), earliest first, leaving out those that
    /// start within ``bookingLeadTime`` of now.
    public func freeSlots(of doctor: BuiltDoctor, days: Int = 13) async throws -> [DoctorService.AvailableSlot] {
        let zone = TimeZone(identifier: doctor.clinic.timeZone) ?? .gmt
        let now = Date()
        let today = LocalDate(containing: now, in: zone)
        return try await services.doctors.availability(
            tenant: tenant, doctorID: doctor.id, visibleTo: .patient, from: today, to: today.adding(days: days), clinicID: doctor.clinic.id
        ).filter { $0.start >= now.addingTimeInterval(Self.bookingLeadTime) }
    }

    /// Books an appointment for `patient` with `doctor` at `start` (default: the first of ``freeSlots(of:days:)``).
    /// A free doctor's appointment is `confirmed`; a paid one is `pending-payment` with an open payment order.
    /// - Throws: ``BookingError/slotUnavailable`` when `start` is not a free slot, or when the doctor has none in 2 weeks.
    public func appointment(
        patient: BuiltAccount, doctor: BuiltDoctor, at start: Date? = nil, mode: ConsultationMode? = nil, reason: String? = nil
    ) async throws -> AppointmentService.View {
        let scheduledAt: Date
        if let start {
            scheduledAt = start
        } else {
            guard let slot = try await freeSlots(of: doctor).first else { throw BookingError.slotUnavailable }
            scheduledAt = slot.start
        }
        return try await services.appointments.book(
            tenant: tenant, patientID: patient.id,
            .init(
                doctorID: doctor.id, clinicID: doctor.clinic.id, scheduledAt: scheduledAt,
                mode: mode ?? doctor.doctor.consultationModes.first ?? .inPerson, reasonForVisit: reason))
    }

    /// Puts `patient` on `doctor`'s waitlist for `window` (default: the next 7 days).
    public func waitlistEntry(
        patient: BuiltAccount, doctor: BuiltDoctor, window: DateInterval? = nil, reason: String? = nil
    ) async throws -> WaitlistEntry {
        let window = window ?? DateInterval(start: Date(), duration: 7 * 86_400)
        return try await services.waitlists.join(
            patient.identity, .init(doctorID: doctor.id, clinicID: doctor.clinic.id, windowStart: window.start, windowEnd: window.end, reason: reason))
    }
}
