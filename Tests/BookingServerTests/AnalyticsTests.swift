import BookingCore
import BookingServer
import Foundation
import IllajwalaTesting
import Testing

/// `GET /api/waitlists/analytics`.
struct WaitlistFigures: Decodable, Equatable {
    struct Totals: Decodable, Equatable { var active, invited, promoted, cancelled, expired: Int }
    var totals: Totals
    var promotionRate: Double
    var expiryRate: Double
    var cancellationRate: Double
    var averageHoursToPromotion: Double?
    var currentQueueSize: Int
}

/// `GET /api/analytics/ops/pulse`.
struct Pulse: Decodable, Equatable {
    var activeConsultations: Int
    var waitingPatients: Int
    var noShowRate: Double
    var revenueToday: Int
    var clinicsActive: Int
    var clinicsPending: Int
}

/// One row of `GET /api/analytics/clinics/metrics`.
struct ClinicFigures: Decodable, Equatable {
    var clinicId: UUID
    var clinicName: String
    var activeDoctors: Int
    var appointmentsToday: Int
    var revenueToday: Int
    var status: String
}

struct ClinicRow: Decodable {
    var id: UUID
    var slug: String
    var name: String
    var timezone: String
}

extension APIClient {
    func bookSlot(_ doctor: Doctor, _ slot: Slot) async throws -> Appointment {
        try await send(
            "POST", "/api/appointments",
            json: Body([
                "doctorId": .string(doctor.id.uuidString), "clinicId": .string(slot.clinicId.uuidString),
                "scheduledAt": .string(slot.start), "mode": .string("in-person"),
            ])
        ).data(as: Appointment.self, expecting: 201)
    }

    /// Pays an appointment's order through the sandbox checkout and the real verify path.
    func pay(_ appointment: Appointment) async throws {
        let order = try #require(appointment.payment)
        let checkout = try await send(
            "POST", "/api/payments/sandbox/checkout",
            json: Body([
                "orderId": .string(order.orderId), "outcome": .string("success"),
            ])
        ).data(as: Checkout.self, expecting: 200)
        let verified = try await send(
            "POST", "/api/payments/verify",
            json: Body([
                "orderId": .string(order.orderId), "paymentId": .string(try #require(checkout.paymentId)),
                "signature": .string(try #require(checkout.signature)),
            ])
        ).data(as: PaymentView.self, expecting: 200)
        #expect(verified.status == "captured")
    }

    func move(_ appointment: Appointment, through statuses: [String]) async throws {
        for status in statuses {
            _ = try await send("PATCH", "/api/appointments/\(appointment.id)/status", json: Body(["status": .string(status)]))
                .data(as: Appointment.self, expecting: 200)
        }
    }
}

private func instant(_ text: String) throws -> Date { try #require(JSONCoding.parseInstant(text)) }

@Suite("Analytics: waitlist figures, ops pulse, clinic metrics")
struct AnalyticsTests {
    @Test(
        "waitlist analytics: exact totals, rates and hours to promotion; range, doctor and clinic scopes; roles; bad input", arguments: DatabaseKind.available)
    func waitlist(_ database: DatabaseKind) async throws {
        try await withSeededServer(database) { server, client in
            let admin = try await client.admin()
            let doctor = try await client.doctorSession(FixtureCredentials.freeDoctorEmail)
            let patients = try await (0..<6).asyncMap { _ in try await client.newPatient() }
            let arjun = try await patients[0].doctor(email: FixtureCredentials.freeDoctorEmail)
            let meera = try await patients[0].doctor(email: FixtureCredentials.paidDoctorEmail)
            let slots = try await patients[0].freeSlots(arjun.id)
            let windowEnd = try instant(try #require(slots.last).end)
            let joinedAt = Date().addingTimeInterval(-3 * 3600)
            let operatorIdentity = Identity(userID: UUID(), role: .admin, tenantID: .default)
            for (index, hours) in [2.0, 3.0].enumerated() {
                let me = try await patients[index].send("GET", "/api/patients/me").data(as: Me.self)
                let entry = try await server.services.waitlists.join(
                    Identity(userID: me.id, role: .patient, tenantID: .default),
                    .init(doctorID: arjun.id, clinicID: nil, windowStart: joinedAt, windowEnd: windowEnd, reason: nil), now: joinedAt)
                _ = try await server.services.waitlists.promote(
                    operatorIdentity, entryID: entry.id, scheduledAt: try instant(slots[index].start), clinicID: slots[index].clinicId,
                    now: joinedAt.addingTimeInterval(hours * 3600))
            }
            let cancelled = try await patients[2].joinWaitlist(arjun).data(as: ManagedEntry.self, expecting: 201)
            let expired = try await patients[3].joinWaitlist(arjun).data(as: ManagedEntry.self, expecting: 201)
            _ = try await patients[4].joinWaitlist(arjun, clinicID: slots[0].clinicId).data(as: ManagedEntry.self, expecting: 201)
            _ = try await patients[5].joinWaitlist(meera).data(as: ManagedEntry.self, expecting: 201)
            _ = try await doctor.send("PATCH", "/api/waitlists/\(cancelled.id)/status", rawJSON: #"{"status":"cancelled"}"#)
                .data(as: ManagedEntry.self, expecting: 200)
            _ = try await admin.send("PATCH", "/api/waitlists/\(expired.id)/status", rawJSON: #"{"status":"expired"}"#)
                .data(as: ManagedEntry.self, expecting: 200)
            func figures(_ who: APIClient, _ query: String = "") async throws -> WaitlistFigures {
                try await who.send("GET", "/api/waitlists/analytics\(query)").data(as: WaitlistFigures.self, expecting: 200)
            }
            typealias Totals = WaitlistFigures.Totals

            #expect(
                try await figures(admin)
                    == WaitlistFigures(
                        totals: Totals(active: 2, invited: 0, promoted: 2, cancelled: 1, expired: 1),
                        promotionRate: 0.3333, expiryRate: 0.1667, cancellationRate: 0.1667, averageHoursToPromotion: 2.5, currentQueueSize: 2))
            let own = WaitlistFigures(
                totals: Totals(active: 1, invited: 0, promoted: 2, cancelled: 1, expired: 1),
                promotionRate: 0.4, expiryRate: 0.2, cancellationRate: 0.2, averageHoursToPromotion: 2.5, currentQueueSize: 1)
            #expect(try await figures(doctor) == own, "a doctor sees only their own queue")
            #expect(try await figures(doctor, "?doctorId=\(arjun.id)") == own)
            #expect(try await figures(admin, "?doctorId=\(arjun.id)") == own)
            #expect(
                try await figures(admin, "?doctorId=\(meera.id)")
                    == WaitlistFigures(
                        totals: Totals(active: 1, invited: 0, promoted: 0, cancelled: 0, expired: 0),
                        promotionRate: 0, expiryRate: 0, cancellationRate: 0, averageHoursToPromotion: nil, currentQueueSize: 1))
            #expect(
                try await figures(admin, "?clinicId=\(slots[0].clinicId)")
                    == WaitlistFigures(
                        totals: Totals(active: 1, invited: 0, promoted: 0, cancelled: 0, expired: 0),
                        promotionRate: 0, expiryRate: 0, cancellationRate: 0, averageHoursToPromotion: nil, currentQueueSize: 1))
            let twoHoursAgo = JSONCoding.formatInstant(Date().addingTimeInterval(-2 * 3600))
            #expect(
                try await figures(admin, "?from=\(twoHoursAgo)")
                    == WaitlistFigures(
                        totals: Totals(active: 2, invited: 0, promoted: 0, cancelled: 1, expired: 1),
                        promotionRate: 0, expiryRate: 0.25, cancellationRate: 0.25, averageHoursToPromotion: nil, currentQueueSize: 2))
            #expect(
                try await figures(admin, "?to=\(twoHoursAgo)")
                    == WaitlistFigures(
                        totals: Totals(active: 0, invited: 0, promoted: 2, cancelled: 0, expired: 0),
                        promotionRate: 1, expiryRate: 0, cancellationRate: 0, averageHoursToPromotion: 2.5, currentQueueSize: 2))
            let later = LocalDate(containing: Date().addingTimeInterval(3 * 86_400), in: TimeZone(identifier: "UTC")!)
            #expect(
                try await figures(admin, "?from=\(later)")
                    == WaitlistFigures(
                        totals: Totals(active: 0, invited: 0, promoted: 0, cancelled: 0, expired: 0),
                        promotionRate: 0, expiryRate: 0, cancellationRate: 0, averageHoursToPromotion: nil, currentQueueSize: 2))

            #expect(try await client.send("GET", "/api/waitlists/analytics").status == 401)
            #expect(try await patients[0].send("GET", "/api/waitlists/analytics").status == 403)
            #expect(try await doctor.send("GET", "/api/waitlists/analytics?doctorId=\(meera.id)").status == 404)
            #expect(try await admin.send("GET", "/api/waitlists/analytics?clinicId=\(UUID())").status == 404)
            let sunrise = try await client.sunriseAdmin()
            #expect(
                try await figures(sunrise)
                    == WaitlistFigures(
                        totals: Totals(active: 0, invited: 0, promoted: 0, cancelled: 0, expired: 0),
                        promotionRate: 0, expiryRate: 0, cancellationRate: 0, averageHoursToPromotion: nil, currentQueueSize: 0))
            #expect(try await sunrise.send("GET", "/api/waitlists/analytics?doctorId=\(arjun.id)").status == 404)
            #expect(try await sunrise.send("GET", "/api/waitlists/analytics?clinicId=\(slots[0].clinicId)").status == 404)
            for (query, field) in [
                ("?from=2030-01-10&to=2030-01-01", "to"), ("?from=yesterday", "from"), ("?to=2030-02-30", "to"),
                ("?clinicId=nope", "clinicId"), ("?doctorId=nope", "doctorId"),
            ] {
                let response = try await admin.send("GET", "/api/waitlists/analytics\(query)")
                #expect(response.status == 400, "\(query)")
                #expect(response.apiError?.error.details?[field] != nil, "\(query): \(String(describing: response.apiError))")
            }
            #expect(try await figures(doctor) == own, "bad requests changed nothing")
        }
    }

    @Test("ops pulse: exact consultations, waiting room, no-show rate, revenue and clinic counts of the caller's tenant", arguments: DatabaseKind.available)
    func pulse(_ database: DatabaseKind) async throws {
        try await withSeededServer(database) { _, client in
            let admin = try await client.admin()
            func pulse(_ who: APIClient) async throws -> Pulse {
                try await who.send("GET", "/api/analytics/ops/pulse").data(as: Pulse.self, expecting: 200)
            }
            #expect(
                try await pulse(admin)
                    == Pulse(
                        activeConsultations: 0, waitingPatients: 0, noShowRate: 0, revenueToday: 0, clinicsActive: 3, clinicsPending: 0))

            let clinics = try await admin.send("GET", "/api/clinics").data(as: [ClinicRow].self)
            let jersey = try #require(clinics.first { $0.slug == "jersey-city" })
            _ = try await admin.send("PATCH", "/api/clinics/\(jersey.id)", json: Body(["status": .string("pending")]))
                .data(as: ClinicRow.self, expecting: 200)

            let patient = try await client.newPatient()
            let arjun = try await patient.doctor(email: FixtureCredentials.freeDoctorEmail)
            let doctor = try await client.doctorSession(FixtureCredentials.freeDoctorEmail)
            let free = try await patient.freeSlots(arjun.id)
            let journeys: [[String]] = [
                ["checked-in"], ["checked-in", "in-session"], ["checked-in", "in-session", "completed"], ["no-show"], ["no-show"],
            ]
            for (index, statuses) in journeys.enumerated() {
                let appointment = try await patient.bookSlot(arjun, free[index])
                try await doctor.move(appointment, through: statuses)
            }
            let meera = try await patient.doctor(email: FixtureCredentials.paidDoctorEmail)
            let paid = try await patient.freeSlots(meera.id)
            let kept = try await patient.bookSlot(meera, paid[0])
            try await patient.pay(kept)
            let refunded = try await patient.bookSlot(meera, paid[1])
            try await patient.pay(refunded)
            _ = try await patient.send("DELETE", "/api/appointments/\(refunded.id)").data(as: Appointment.self, expecting: 200)
            _ = try await patient.bookSlot(meera, paid[2])

            #expect(
                try await pulse(admin)
                    == Pulse(
                        activeConsultations: 1, waitingPatients: 1, noShowRate: 0.6667, revenueToday: 300_000, clinicsActive: 2, clinicsPending: 1))
            #expect(try await client.send("GET", "/api/analytics/ops/pulse").status == 401)
            #expect(try await patient.send("GET", "/api/analytics/ops/pulse").status == 403)
            #expect(try await doctor.send("GET", "/api/analytics/ops/pulse").status == 403)
            #expect(
                try await pulse(try await client.sunriseAdmin())
                    == Pulse(
                        activeConsultations: 0, waitingPatients: 0, noShowRate: 0, revenueToday: 0, clinicsActive: 1, clinicsPending: 0),
                "another tenant's rows never count")
        }
    }

    @Test(
        "clinic metrics: doctors, today's appointments in the clinic's zone, revenue, status; filter, roles, tenants, bad input",
        arguments: DatabaseKind.available)
    func clinicMetrics(_ database: DatabaseKind) async throws {
        try await withSeededServer(database) { _, client in
            let admin = try await client.admin()
            func metrics(_ who: APIClient, _ query: String = "") async throws -> [ClinicFigures] {
                try await who.send("GET", "/api/analytics/clinics/metrics\(query)").data(as: [ClinicFigures].self, expecting: 200)
            }
            let clinics = try await admin.send("GET", "/api/clinics").data(as: [ClinicRow].self)
            func clinic(_ slug: String) throws -> ClinicRow { try #require(clinics.first { $0.slug == slug }) }
            let bandra = try clinic("mumbai-bandra")
            let indiranagar = try clinic("bengaluru-indiranagar")
            let jersey = try clinic("jersey-city")
            func row(_ clinic: ClinicRow, doctors: Int, appointments: Int = 0, revenue: Int = 0, status: String = "active") -> ClinicFigures {
                ClinicFigures(
                    clinicId: clinic.id, clinicName: clinic.name, activeDoctors: doctors, appointmentsToday: appointments,
                    revenueToday: revenue, status: status)
            }
            #expect(try await metrics(admin) == [row(bandra, doctors: 3), row(indiranagar, doctors: 2), row(jersey, doctors: 1)])

            let patient = try await client.newPatient()
            let zone = try #require(TimeZone(identifier: indiranagar.timezone))
            let today = DayWindow(containing: Date(), in: zone)
            func split(_ slots: [Slot]) throws -> (today: [Slot], later: [Slot]) {
                (try slots.filter { today.contains(try instant($0.start)) }, try slots.filter { try instant($0.start) >= today.end })
            }
            let meera = try await patient.doctor(email: FixtureCredentials.paidDoctorEmail)
            let arjun = try await patient.doctor(email: FixtureCredentials.freeDoctorEmail)
            let meeraSlots = try split(try await patient.freeSlots(meera.id))
            let arjunSlots = try split(try await patient.freeSlots(arjun.id).filter { $0.clinicId == indiranagar.id })
            var expectedToday = 0
            if let slot = meeraSlots.today.first {
                _ = try await patient.bookSlot(meera, slot)
                expectedToday += 1
            }
            let paid = try await patient.bookSlot(meera, try #require(meeraSlots.later.first))
            try await patient.pay(paid)
            if arjunSlots.today.count >= 2 {
                _ = try await patient.bookSlot(arjun, arjunSlots.today[0])
                let dropped = try await patient.bookSlot(arjun, arjunSlots.today[1])
                _ = try await patient.send("DELETE", "/api/appointments/\(dropped.id)").data(as: Appointment.self, expecting: 200)
                expectedToday += 1
            }
            _ = try await patient.bookSlot(arjun, try #require(arjunSlots.later.first))
            _ = try await admin.send("PATCH", "/api/clinics/\(jersey.id)", json: Body(["status": .string("suspended")]))
                .data(as: ClinicRow.self, expecting: 200)

            let busy = row(indiranagar, doctors: 2, appointments: expectedToday, revenue: 150_000)
            #expect(try await metrics(admin) == [row(bandra, doctors: 3), busy, row(jersey, doctors: 1, status: "suspended")])
            #expect(try await metrics(admin, "?clinicId=\(indiranagar.id)") == [busy])

            #expect(try await client.send("GET", "/api/analytics/clinics/metrics").status == 401)
            #expect(try await patient.send("GET", "/api/analytics/clinics/metrics").status == 403)
            #expect(try await client.doctorSession(FixtureCredentials.freeDoctorEmail).send("GET", "/api/analytics/clinics/metrics").status == 403)
            #expect(try await admin.send("GET", "/api/analytics/clinics/metrics?clinicId=\(UUID())").status == 404)
            let invalid = try await admin.send("GET", "/api/analytics/clinics/metrics?clinicId=nope")
            #expect(invalid.status == 400)
            #expect(invalid.apiError?.error.details?["clinicId"] != nil)
            let sunrise = try await client.sunriseAdmin()
            #expect(try await sunrise.send("GET", "/api/analytics/clinics/metrics?clinicId=\(indiranagar.id)").status == 404)
            let theirs = try await metrics(sunrise)
            #expect(theirs.map(\.clinicName) == ["Sunrise Koregaon Park"])
            #expect(theirs.first?.activeDoctors == 1)
            #expect(theirs.first?.revenueToday == 0)
        }
    }
}

extension Range where Bound == Int {
    /// Maps sequentially with an async transform.
    func asyncMap<T>(_ transform: (Int) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for value in self { results.append(try await transform(value)) }
        return results
    }
}
