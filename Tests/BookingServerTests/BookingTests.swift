import APITransport
import BookingCore
import Foundation
import IllajwalaTesting
import Testing

@Suite("Booking, payment and cancellation over HTTP")
struct BookingTests {
    func book(_ patient: APIClient, _ doctor: Doctor, _ slot: Slot, mode: String = "in-person") async throws -> APIResponse {
        try await patient.send(
            "POST", "/api/appointments",
            json: Body([
                "doctorId": .string(doctor.id.uuidString), "clinicId": .string(slot.clinicId.uuidString),
                "scheduledAt": .string(slot.start), "mode": .string(mode), "reasonForVisit": .string("rash"),
            ]))
    }

    @Test("paid booking → order → sandbox checkout → verify confirms; same slot again is 409; cancel marks refund", arguments: DatabaseKind.available)
    func paidJourney(_ database: DatabaseKind) async throws {
        try await withSeededServer(database) { _, client in
            let patient = try await client.newPatient()
            let doctor = try await patient.doctor(email: FixtureCredentials.paidDoctorEmail)
            // Ten minutes clear of the booking lead time: the slot must still be bookable when the test reads it again.
            let margin = Date().addingTimeInterval(EntityBuilders.bookingLeadTime + 600)
            let slot = try #require(try await patient.freeSlots(doctor.id).first { try Date($0.start, strategy: .iso8601) >= margin })
            let booked = try await book(patient, doctor, slot).data(as: Appointment.self, expecting: 201)
            #expect(booked.status == "pending-payment")
            #expect(booked.fee == 150_000)
            let order = try #require(booked.payment)
            #expect(order.amount == 150_000)

            let again = try await book(try await client.newPatient(), doctor, slot)
            #expect(again.status == 409)
            #expect(again.apiError?.error.code == "SLOT_UNAVAILABLE")
            #expect(!(try await patient.freeSlots(doctor.id)).contains { $0.start == slot.start })

            let checkout = try await patient.send(
                "POST", "/api/payments/sandbox/checkout",
                json: Body([
                    "orderId": .string(order.orderId), "outcome": .string("success"),
                ])
            ).data(as: Checkout.self, expecting: 200)
            let forged = try await patient.send(
                "POST", "/api/payments/verify",
                json: Body([
                    "orderId": .string(order.orderId), "paymentId": .string(checkout.paymentId!), "signature": .string(String(repeating: "0", count: 64)),
                ]))
            #expect(forged.status == 400)
            #expect(forged.apiError?.error.details?["signature"] != nil)
            #expect(try await patient.send("GET", "/api/appointments/\(booked.id)").data(as: Appointment.self).status == "pending-payment")

            let verified = try await patient.send(
                "POST", "/api/payments/verify",
                json: Body([
                    "orderId": .string(order.orderId), "paymentId": .string(checkout.paymentId!), "signature": .string(checkout.signature!),
                ])
            ).data(as: PaymentView.self, expecting: 200)
            #expect(verified.status == "captured")
            #expect(try await patient.send("GET", "/api/appointments/\(booked.id)").data(as: Appointment.self).status == "confirmed")

            let cancelled = try await patient.send("DELETE", "/api/appointments/\(booked.id)").data(as: Appointment.self, expecting: 200)
            #expect(cancelled.status == "cancelled")
            #expect(cancelled.payment?.status == "refund-pending")
            // The refund is made at the gateway right after the cancellation commits (the sandbox's refunds are pending).
            #expect(cancelled.payment?.history.map(\.type) == ["order.created", "payment.verified", "refund.requested", "refund.created"])
            #expect(try await patient.freeSlots(doctor.id).contains { $0.start == slot.start }, "cancellation frees the slot")
        }
    }

    @Test("50 concurrent requests for one slot: exactly one 201 and 49 × 409 SLOT_UNAVAILABLE", arguments: DatabaseKind.available)
    func concurrentBooking(_ database: DatabaseKind) async throws {
        try await withSeededServer(database) { _, client in
            let doctor = try await client.newPatient().doctor(email: FixtureCredentials.freeDoctorEmail)
            var patients: [APIClient] = []
            for _ in 0..<50 { patients.append(try await client.newPatient()) }
            let slot = try #require(try await patients[0].freeSlots(doctor.id).first)
            let responses = try await withThrowingTaskGroup(of: APIResponse.self) { group in
                for patient in patients { group.addTask { try await book(patient, doctor, slot) } }
                return try await group.reduce(into: [APIResponse]()) { $0.append($1) }
            }
            #expect(responses.filter { $0.status == 201 }.count == 1)
            #expect(
                responses.filter { $0.status == 409 && $0.apiError?.error.code == "SLOT_UNAVAILABLE" }.count == 49,
                "others: \(responses.filter { $0.status != 201 && $0.apiError?.error.code != "SLOT_UNAVAILABLE" }.map { "\($0.status) \($0.text)" })")
            let admin = try await client.authenticated(email: FixtureCredentials.adminEmail, password: FixtureCredentials.adminPassword, role: "admin")
            let booked = try await admin.send("GET", "/api/appointments?doctorId=\(doctor.id)&pageSize=100").data(as: [Appointment].self)
            #expect(booked.filter { $0.scheduledAt == slot.start }.count == 1, "exactly one stored appointment for the slot")
        }
    }

    @Test("a waitlist promotion racing a direct booking for the same slot: exactly one appointment", arguments: DatabaseKind.available)
    func promotionRacesBooking(_ database: DatabaseKind) async throws {
        try await withSeededServer(database) { _, client in
            let admin = try await client.authenticated(email: FixtureCredentials.adminEmail, password: FixtureCredentials.adminPassword, role: "admin")
            let doctor = try await client.newPatient().doctor(email: FixtureCredentials.freeDoctorEmail)
            let slots = try await admin.freeSlots(doctor.id)
            for round in 0..<5 {
                let slot = slots[round]
                let waiter = try await client.newPatient()
                let booker = try await client.newPatient()
                let entry = try await waiter.send(
                    "POST", "/api/waitlists",
                    json: Body([
                        "doctorId": .string(doctor.id.uuidString), "preferredWindow": .object(["start": slots[0].start, "end": slots[9].end]),
                    ])
                ).data(as: WaitlistEntry.self, expecting: 201)
                async let promotion = admin.send(
                    "POST", "/api/waitlists/\(entry.id)/promote",
                    json: Body([
                        "scheduledAt": .string(slot.start), "clinicId": .string(slot.clinicId.uuidString),
                    ]))
                async let booking = book(booker, doctor, slot)
                let (promoted, booked) = try await (promotion, booking)
                #expect([promoted.status, booked.status].sorted() == [201, 409], "round \(round): \(promoted.status) / \(booked.status)")
                let stored = try await admin.send("GET", "/api/appointments?doctorId=\(doctor.id)&pageSize=100").data(as: [Appointment].self)
                #expect(stored.filter { $0.scheduledAt == slot.start && $0.status != "cancelled" }.count == 1)
                let after = try await admin.send("GET", "/api/waitlists?doctorId=\(doctor.id)&pageSize=100").data(as: [WaitlistEntry].self)
                let state = try #require(after.first { $0.id == entry.id })
                if promoted.status == 201 {
                    #expect(state.status == "promoted" && state.promotedAppointmentId != nil)
                } else {
                    #expect(state.status == "active" && state.promotedAppointmentId == nil, "a lost promotion leaves the entry untouched")
                }
            }
        }
    }

    @Test("doctor moves an appointment through its lifecycle; illegal moves are 409; patients may not", arguments: DatabaseKind.available)
    func lifecycle(_ database: DatabaseKind) async throws {
        try await withSeededServer(database) { _, client in
            let patient = try await client.newPatient()
            let doctorProfile = try await patient.doctor(email: FixtureCredentials.freeDoctorEmail)
            let slot = try #require(try await patient.freeSlots(doctorProfile.id).first)
            let appointment = try await book(patient, doctorProfile, slot).data(as: Appointment.self, expecting: 201)
            #expect(appointment.status == "confirmed")
            #expect(appointment.payment == nil)
            let doctor = try await client.authenticated(email: FixtureCredentials.freeDoctorEmail, password: FixtureCredentials.doctorPassword, role: "doctor")
            func move(_ who: APIClient, _ status: String) async throws -> APIResponse {
                try await who.send("PATCH", "/api/appointments/\(appointment.id)/status", json: Body(["status": .string(status)]))
            }
            #expect(try await move(patient, "checked-in").status == 403)
            let skip = try await move(doctor, "completed")
            #expect(skip.status == 409)
            #expect(skip.apiError?.error.code == "INVALID_TRANSITION")
            for status in ["checked-in", "in-session", "completed"] {
                #expect(try await move(doctor, status).data(as: Appointment.self, expecting: 200).status == status)
            }
            #expect(try await move(doctor, "cancelled").status == 409, "completed is final")
            let other = try await client.authenticated(email: FixtureCredentials.paidDoctorEmail, password: FixtureCredentials.doctorPassword, role: "doctor")
            #expect(try await other.send("GET", "/api/appointments/\(appointment.id)").status == 404, "another doctor cannot see it")
        }
    }

    @Test("waitlist: join, duplicate, invitation on cancellation, promotion to an appointment", arguments: DatabaseKind.available)
    func waitlist(_ database: DatabaseKind) async throws {
        try await withSeededServer(database) { _, client in
            let booker = try await client.newPatient()
            let waiter = try await client.newPatient()
            let doctor = try await booker.doctor(email: FixtureCredentials.freeDoctorEmail)
            let slots = try await booker.freeSlots(doctor.id)
            let slot = try #require(slots.first)
            let booked = try await book(booker, doctor, slot).data(as: Appointment.self, expecting: 201)
            let window = Body.Value.object(["start": slot.start, "end": try #require(slots.last).end])
            let join = Body(["doctorId": .string(doctor.id.uuidString), "preferredWindow": window, "reason": .string("earlier please")])
            let entry = try await waiter.send("POST", "/api/waitlists", json: join).data(as: WaitlistEntry.self, expecting: 201)
            #expect(entry.status == "active")
            let again = try await waiter.send("POST", "/api/waitlists", json: join)
            #expect(again.apiError?.error.code == "ALREADY_WAITLISTED")

            _ = try await booker.send("DELETE", "/api/appointments/\(booked.id)").data(as: Appointment.self, expecting: 200)
            let invited = try await waiter.send("GET", "/api/waitlists").data(as: [WaitlistEntry].self)
            #expect(invited.first?.status == "invited")
            #expect(invited.first?.audit.map(\.action) == ["joined", "invited"])

            #expect(try await waiter.send("POST", "/api/waitlists/\(entry.id)/promote", json: Body(["scheduledAt": .string(slot.start)])).status == 403)
            let admin = try await client.authenticated(email: FixtureCredentials.adminEmail, password: FixtureCredentials.adminPassword, role: "admin")
            let missingClinic = try await admin.send("POST", "/api/waitlists/\(entry.id)/promote", json: Body(["scheduledAt": .string(slot.start)]))
            #expect(missingClinic.status == 400)
            let promotion = try await admin.send(
                "POST", "/api/waitlists/\(entry.id)/promote",
                json: Body([
                    "scheduledAt": .string(slot.start), "clinicId": .string(slot.clinicId.uuidString),
                ])
            ).data(as: Promotion.self, expecting: 201)
            #expect(promotion.entry.status == "promoted")
            #expect(promotion.entry.promotedAppointmentId == promotion.appointment.id)
            let twice = try await admin.send(
                "POST", "/api/waitlists/\(entry.id)/promote",
                json: Body([
                    "scheduledAt": .string(slot.start), "clinicId": .string(slot.clinicId.uuidString),
                ]))
            #expect(twice.apiError?.error.code == "INVALID_TRANSITION")
        }
    }

    @Test("webhook: signature checked over the raw body, replay by event id changes nothing", arguments: DatabaseKind.available)
    func webhook(_ database: DatabaseKind) async throws {
        try await withSeededServer(database) { server, client in
            let patient = try await client.newPatient()
            let doctor = try await patient.doctor(email: FixtureCredentials.paidDoctorEmail)
            let slot = try #require(try await patient.freeSlots(doctor.id).first)
            let booked = try await book(patient, doctor, slot).data(as: Appointment.self, expecting: 201)
            let orderID = try #require(booked.payment?.orderId)
            let body = Data(#"{"id":"evt_1","event":"payment.captured","payload":{"payment":{"entity":{"id":"pay_hook","order_id":"\#(orderID)"}}}}"#.utf8)
            let secret = server.services.configuration.payments.webhookSecret
            let signature = PaymentSignature.hmacSHA256Hex(secret: secret, message: body)
            let bad = try await client.send(
                "POST", "/api/payments/webhook", rawBody: body, contentType: "application/json",
                headers: [(name: "X-Razorpay-Signature", value: "00")])
            #expect(bad.status == 400)
            struct Ack: Decodable { var duplicate: Bool }
            let first = try await client.send(
                "POST", "/api/payments/webhook", rawBody: body, contentType: "application/json",
                headers: [(name: "X-Razorpay-Signature", value: signature)]
            ).data(as: Ack.self, expecting: 200)
            #expect(!first.duplicate)
            let replay = try await client.send(
                "POST", "/api/payments/webhook", rawBody: body, contentType: "application/json",
                headers: [(name: "X-Razorpay-Signature", value: signature)]
            ).data(as: Ack.self, expecting: 200)
            #expect(replay.duplicate)
            let appointment = try await patient.send("GET", "/api/appointments/\(booked.id)").data(as: Appointment.self)
            #expect(appointment.status == "confirmed")
            #expect(appointment.payment?.history.map(\.type) == ["order.created", "payment.captured"])
        }
    }
}
