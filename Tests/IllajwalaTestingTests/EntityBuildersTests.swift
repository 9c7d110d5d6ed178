import BookingCore
import BookingServer
import Foundation
import IllajwalaSwiftTesting
import Testing

@Suite("EntityBuilders: entity builders with valid, unique defaults, through the service layer")
struct FixturesTests {
    @Test("defaults are valid and unique; a free doctor's appointment is confirmed, a paid one waits for payment", arguments: DatabaseKind.available)
    func defaults(_ kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { database in
            let builders = try await database.builders.tenant()
            let patients = try await [builders.patient(), builders.patient()]
            #expect(patients[0].email != patients[1].email)
            #expect(patients[0].account.phone != patients[1].account.phone)
            let free = try await builders.doctor()
            let paid = try await builders.doctor(specialization: "Dermatology", fee: 150_000, clinic: free.clinic)
            #expect(free.clinic.id == paid.clinic.id)
            let confirmed = try await builders.appointment(patient: patients[0], doctor: free)
            #expect(confirmed.appointment.status == .confirmed)
            let pending = try await builders.appointment(patient: patients[1], doctor: paid)
            #expect(pending.appointment.status == .pendingPayment)
            #expect(pending.payment?.amount == 150_000)
            let slots = try await builders.freeSlots(of: free)
            #expect(!slots.contains { $0.start == confirmed.appointment.scheduledAt }, "the booked slot is no longer free")
            let entry = try await builders.waitlistEntry(patient: patients[0], doctor: paid)
            #expect(entry.status == .active)
            let admin = try await builders.admin()
            #expect(admin.account.role == .admin && admin.account.tenantID == builders.tenant)
        }
    }

    @Test("builders refuse what the service refuses", .isolatedDatabase())
    func invalid() async throws {
        let builders = try TestDatabase.required().builders
        await #expect(throws: ValidationError.self) { try await builders.patient(phone: "12345") }
        await #expect(throws: (any Error).self) { try await builders.doctor(fee: -1) }
        let doctor = try await builders.doctor()
        let patient = try await builders.patient()
        let taken = try await builders.appointment(patient: patient, doctor: doctor)
        do {
            _ = try await builders.appointment(patient: try await builders.patient(), doctor: doctor, at: taken.appointment.scheduledAt)
            Issue.record("a taken slot must be refused")
        } catch let error as BookingError {
            #expect(error == .slotUnavailable)
        }
        await #expect(throws: (any Error).self) { try await builders.tenant("Not A Valid Id") }
    }

    @Test("free slots start at least the booking lead time ahead, so none passes into the past while a test books it", .isolatedDatabase())
    func leadTime() async throws {
        let builders = try TestDatabase.required().builders
        // Five-minute slots around the clock: the service always has one starting within the next 15 minutes.
        let doctor = try await builders.doctor(schedule: EntityBuilders.everyDay(from: "00:00", to: "23:59"), slotMinutes: 5)
        let now = Date()
        let zone = TimeZone(identifier: doctor.clinic.timeZone) ?? .gmt
        let today = LocalDate(containing: now, in: zone)
        let all = try await builders.services.doctors.availability(
            tenant: builders.tenant, doctorID: doctor.id, visibleTo: .patient, from: today, to: today.adding(days: 1), clinicID: doctor.clinic.id)
        let earliest = now.addingTimeInterval(EntityBuilders.bookingLeadTime)
        #expect(all.contains { $0.start < earliest }, "the service lists slots starting sooner than the lead time")
        let offered = try await builders.freeSlots(of: doctor)
        #expect(!offered.isEmpty && offered.allSatisfy { $0.start >= earliest })
        let booked = try await builders.appointment(patient: try await builders.patient(), doctor: doctor)
        #expect(booked.appointment.scheduledAt >= earliest)
    }

    @Test("a patient with a medical history ranks higher on a waitlist", .isolatedDatabase())
    func priority() async throws {
        let builders = try TestDatabase.required().builders
        let doctor = try await builders.doctor(fee: 50_000)
        let plain = try await builders.waitlistEntry(patient: try await builders.patient(), doctor: doctor)
        let chronic = try await builders.waitlistEntry(patient: try await builders.patient(medicalHistory: ["Asthma"]), doctor: doctor)
        #expect(chronic.priorityScore > plain.priorityScore)
    }
}
