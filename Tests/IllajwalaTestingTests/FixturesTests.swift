import BookingCore
import BookingServer
import Foundation
import IllajwalaSwiftTesting
import Testing

@Suite("Fixtures: entity builders with valid, unique defaults, through the service layer")
struct FixturesTests {
    @Test("defaults are valid and unique; a free doctor's appointment is confirmed, a paid one waits for payment", arguments: DatabaseKind.available)
    func defaults(_ kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { database in
            let fixtures = try await database.fixtures.tenant()
            let patients = try await [fixtures.patient(), fixtures.patient()]
            #expect(patients[0].email != patients[1].email)
            #expect(patients[0].account.phone != patients[1].account.phone)
            let free = try await fixtures.doctor()
            let paid = try await fixtures.doctor(specialization: "Dermatology", fee: 150_000, clinic: free.clinic)
            #expect(free.clinic.id == paid.clinic.id)
            let confirmed = try await fixtures.appointment(patient: patients[0], doctor: free)
            #expect(confirmed.appointment.status == .confirmed)
            let pending = try await fixtures.appointment(patient: patients[1], doctor: paid)
            #expect(pending.appointment.status == .pendingPayment)
            #expect(pending.payment?.amount == 150_000)
            let slots = try await fixtures.freeSlots(of: free)
            #expect(!slots.contains { $0.start == confirmed.appointment.scheduledAt }, "the booked slot is no longer free")
            let entry = try await fixtures.waitlistEntry(patient: patients[0], doctor: paid)
            #expect(entry.status == .active)
            let admin = try await fixtures.admin()
            #expect(admin.account.role == .admin && admin.account.tenantID == fixtures.tenant)
        }
    }

    @Test("builders refuse what the service refuses", .isolatedDatabase())
    func invalid() async throws {
        let fixtures = try TestDatabase.required().fixtures
        await #expect(throws: ValidationError.self) { try await fixtures.patient(phone: "12345") }
        await #expect(throws: (any Error).self) { try await fixtures.doctor(fee: -1) }
        let doctor = try await fixtures.doctor()
        let patient = try await fixtures.patient()
        let taken = try await fixtures.appointment(patient: patient, doctor: doctor)
        do {
            _ = try await fixtures.appointment(patient: try await fixtures.patient(), doctor: doctor, at: taken.appointment.scheduledAt)
            Issue.record("a taken slot must be refused")
        } catch let error as APIError {
            #expect(error.code == "SLOT_UNAVAILABLE")
        }
        await #expect(throws: (any Error).self) { try await fixtures.tenant("Not A Valid Id") }
    }

    @Test("free slots start at least the booking lead time ahead, so none passes into the past while a test books it", .isolatedDatabase())
    func leadTime() async throws {
        let fixtures = try TestDatabase.required().fixtures
        // Five-minute slots around the clock: the service always has one starting within the next 15 minutes.
        let doctor = try await fixtures.doctor(schedule: Fixtures.everyDay(from: "00:00", to: "23:59"), slotMinutes: 5)
        let now = Date()
        let zone = TimeZone(identifier: doctor.clinic.timeZone) ?? .gmt
        let today = LocalDate(containing: now, in: zone)
        let all = try await fixtures.services.doctors.availability(
            tenant: fixtures.tenant, doctorID: doctor.id, visibleTo: .patient, from: today, to: today.adding(days: 1), clinicID: doctor.clinic.id)
        let earliest = now.addingTimeInterval(Fixtures.bookingLeadTime)
        #expect(all.contains { $0.start < earliest }, "the service lists slots starting sooner than the lead time")
        let offered = try await fixtures.freeSlots(of: doctor)
        #expect(!offered.isEmpty && offered.allSatisfy { $0.start >= earliest })
        let booked = try await fixtures.appointment(patient: try await fixtures.patient(), doctor: doctor)
        #expect(booked.appointment.scheduledAt >= earliest)
    }

    @Test("a patient with a medical history ranks higher on a waitlist", .isolatedDatabase())
    func priority() async throws {
        let fixtures = try TestDatabase.required().fixtures
        let doctor = try await fixtures.doctor(fee: 50_000)
        let plain = try await fixtures.waitlistEntry(patient: try await fixtures.patient(), doctor: doctor)
        let chronic = try await fixtures.waitlistEntry(patient: try await fixtures.patient(medicalHistory: ["Asthma"]), doctor: doctor)
        #expect(chronic.priorityScore > plain.priorityScore)
    }
}
