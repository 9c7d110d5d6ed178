import BookingCore
import BookingServer
import Foundation
import IllajwalaTesting
import Testing

/// Appointment booking end to end on data made by the library's builders: a doctor with a schedule of the
/// test's own, slots as the API lists them, conflicts, cancellation and who may cancel.
@Suite("Integration: slots, conflicts and cancellation on a doctor built for the test")
struct ScheduleBookingIntegrationTests {
    @Test(
        "a 10:00–12:00 schedule of 20-minute slots in New York lists exactly those slots; off-grid and taken starts are 409", arguments: DatabaseKind.available)
    func slotsFollowTheSchedule(_ kind: DatabaseKind) async throws {
        try await LiveServer.withServer(database: kind) { server in
            let builders = server.testDatabase.builders
            let clinic = try await builders.clinic(city: "Jersey City", timeZone: "America/New_York")
            let doctor = try await builders.doctor(
                clinic: clinic, schedule: EntityBuilders.everyDay(from: "10:00", to: "12:00"), slotMinutes: 20)
            let patient = try await builders.patient()
            let api = try await APIClient(baseURL: server.baseURL).login(email: patient.email, password: patient.password, role: .patient)

            let zone = try #require(TimeZone(identifier: "America/New_York"))
            let tomorrow = LocalDate(containing: Date(), in: zone).adding(days: 1)
            struct Slot: Decodable {
                var start: Date
                var end: Date
                var clinicId: UUID
            }
            let slots = try await api.send("GET", "/api/doctors/\(doctor.id)/availability?from=\(tomorrow)&to=\(tomorrow)")
                .data(as: [Slot].self, expecting: 200)
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = zone
            let starts = slots.map { calendar.dateComponents([.hour, .minute], from: $0.start) }.map { "\($0.hour!):\($0.minute!)" }
            #expect(starts == ["10:0", "10:20", "10:40", "11:0", "11:20", "11:40"])
            #expect(slots.allSatisfy { $0.end.timeIntervalSince($0.start) == 20 * 60 && $0.clinicId == clinic.id })

            struct Booking: Encodable, Sendable {
                var doctorId: UUID
                var clinicId: UUID
                var scheduledAt: Date
                var mode: String
            }
            let first = try #require(slots.first)
            let offGrid = try await api.send(
                "POST", "/api/appointments",
                json: Booking(doctorId: doctor.id, clinicId: clinic.id, scheduledAt: first.start.addingTimeInterval(600), mode: "video"))
            #expect(offGrid.apiError?.error.code == "SLOT_UNAVAILABLE")
            let booked = try await api.send(
                "POST", "/api/appointments", json: Booking(doctorId: doctor.id, clinicId: clinic.id, scheduledAt: first.start, mode: "video")
            )
            .data(as: BookingCore.Appointment.self, expecting: 201)
            #expect(booked.status == .confirmed)
            #expect(booked.mode == .video)
            let latecomer = try await builders.patient()
            await #expect(throws: BookingError.slotUnavailable, "the builder goes through the same rule: a taken slot is refused") {
                try await builders.appointment(patient: latecomer, doctor: doctor, at: first.start)
            }
        }
    }

    @Test(
        "cancelling frees the slot; a second cancel is 409; another patient's cancel is 404; a doctor may cancel their own", arguments: DatabaseKind.available)
    func cancellation(_ kind: DatabaseKind) async throws {
        try await LiveServer.withServer(database: kind) { server in
            let builders = server.testDatabase.builders
            let doctor = try await builders.doctor()
            let owner = try await builders.patient()
            let stranger = try await builders.patient()
            let api = APIClient(baseURL: server.baseURL)
            let ownerAPI = try await api.login(email: owner.email, password: owner.password, role: .patient)
            let strangerAPI = try await api.login(email: stranger.email, password: stranger.password, role: .patient)
            let doctorAPI = try await api.login(email: doctor.email, password: doctor.password, role: .doctor)

            let first = try await builders.appointment(patient: owner, doctor: doctor).appointment
            #expect(try await strangerAPI.send("DELETE", "/api/appointments/\(first.id)").status == 404)
            let cancelled = try await ownerAPI.send("DELETE", "/api/appointments/\(first.id)").data(as: BookingCore.Appointment.self, expecting: 200)
            #expect(cancelled.status == .cancelled)
            let again = try await ownerAPI.send("DELETE", "/api/appointments/\(first.id)")
            #expect(again.status == 409)
            #expect(again.apiError?.error.code == "INVALID_TRANSITION")
            #expect(try await builders.freeSlots(of: doctor).contains { $0.start == first.scheduledAt }, "the slot is free again")
            let rebooked = try await builders.appointment(patient: stranger, doctor: doctor, at: first.scheduledAt).appointment
            #expect(
                try await doctorAPI.send("DELETE", "/api/appointments/\(rebooked.id)").data(as: BookingCore.Appointment.self, expecting: 200).status
                    == .cancelled)
        }
    }
}
