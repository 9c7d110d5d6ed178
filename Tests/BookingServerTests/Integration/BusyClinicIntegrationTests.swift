import BookingCore
import BookingServer
import Foundation
import IllajwalaTesting
import Testing

/// Waitlists and payments on the busy-clinic scenario: a long queue with different priorities, promotion into
/// a freed slot, and the payment paths that are not the happy one (failure, retry, refund).
@Suite("Integration: waitlist and payments at a busy clinic")
struct BusyClinicIntegrationTests {
    private func admin(_ server: LiveServer) async throws -> APIClient {
        try await APIClient(baseURL: server.baseURL)
            .login(email: FixtureCredentials.adminEmail, password: FixtureCredentials.adminPassword, role: .admin)
    }

    @Test("the queue lists by priority (chronic conditions first); promoting the top entry books it and shortens the queue", arguments: DatabaseKind.available)
    func queueAndPromotion(_ kind: DatabaseKind) async throws {
        try await LiveServer.withServer(database: kind, scenario: .busyClinic) { server in
            let admin = try await admin(server)
            struct Doctor: Decodable {
                var id: UUID
                var email: String
            }
            let doctors = try await admin.send("GET", "/api/admin/doctors?pageSize=100").data(as: [Doctor].self)
            let paid = try #require(doctors.first { $0.email == BusyClinic.paidDoctorEmail })
            let queue = try await admin.send("GET", "/api/waitlists?doctorId=\(paid.id)&status=active&pageSize=100")
                .data(as: [BookingCore.WaitlistEntry].self, expecting: 200)
            #expect(queue.count == BusyClinic.waitlistLength)
            #expect(zip(queue, queue.dropFirst()).allSatisfy { $0.priorityScore >= $1.priorityScore }, "sorted by -priorityScore")
            let chronic = (BusyClinic.patientCount + 2) / 3
            #expect(Set(queue.prefix(chronic).map(\.priorityScore)).count == 1 && queue[0].priorityScore > queue[chronic].priorityScore)

            let top = queue[0]
            let clinicID = try #require(top.clinicID)
            struct Slot: Decodable { var start: Date }
            let earliest = Date().addingTimeInterval(EntityBuilders.bookingLeadTime)
            let free = try #require(
                try await admin.send("GET", "/api/doctors/\(paid.id)/availability?clinicId=\(clinicID)")
                    .data(as: [Slot].self).first { $0.start >= earliest })
            struct Promote: Encodable, Sendable {
                var scheduledAt: Date
                var clinicId: UUID
            }
            struct Promotion: Decodable {
                var entry: BookingCore.WaitlistEntry
                var appointment: BookingCore.Appointment
            }
            let promotion = try await admin.send("POST", "/api/waitlists/\(top.id)/promote", json: Promote(scheduledAt: free.start, clinicId: clinicID))
                .data(as: Promotion.self, expecting: 201)
            #expect(promotion.entry.status == .promoted)
            #expect(promotion.appointment.patientID == top.patientID)
            #expect(promotion.appointment.status == .pendingPayment, "the doctor is paid: the promoted patient still pays")
            let after = try await admin.send("GET", "/api/waitlists?doctorId=\(paid.id)&status=active&pageSize=100").data(as: [BookingCore.WaitlistEntry].self)
            #expect(after.count == BusyClinic.waitlistLength - 1)
            #expect(!after.contains { $0.id == top.id })
        }
    }

    @Test(
        "a declined checkout leaves the appointment pending with payment.failed; a retry pays; cancel and refund.processed mark the refund",
        arguments: DatabaseKind.available)
    func failureRetryAndRefund(_ kind: DatabaseKind) async throws {
        try await LiveServer.withServer(database: kind, scenario: .busyClinic) { server in
            let appointments = try await server.services.appointments.list(
                Identity(userID: UUID(), role: .admin, tenantID: .default), filter: .init(status: .pendingPayment), page: 1, pageSize: 1)
            let pending = try #require(appointments.0.first)
            let profile = try await server.services.accounts.patientProfile(Identity(userID: pending.patientID, role: .patient, tenantID: .default))
            let patient = try await APIClient(baseURL: server.baseURL)
                .login(email: profile.account.email, password: BusyClinic.patientPassword, role: .patient)

            struct OrderRequest: Encodable, Sendable { var appointmentId: UUID }
            struct Order: Decodable {
                var orderId: String
                var amount: Int
            }
            let order = try await patient.send("POST", "/api/payments", json: OrderRequest(appointmentId: pending.id)).data(as: Order.self)
            #expect(order.amount == pending.fee, "the amount is the doctor's fee, computed by the server")

            struct Checkout: Encodable, Sendable {
                var orderId: String
                var outcome: String
            }
            struct CheckoutResult: Decodable {
                var outcome: String
                var paymentId: String?
                var signature: String?
                var reason: String?
            }
            let declined = try await patient.send("POST", "/api/payments/sandbox/checkout", json: Checkout(orderId: order.orderId, outcome: "failure"))
                .data(as: CheckoutResult.self)
            #expect(declined.outcome == "failure" && declined.signature == nil && declined.reason != nil)
            struct View: Decodable {
                var status: String
                var payment: Payment?
                struct Payment: Decodable {
                    var status: String
                    var history: [Event]
                }
                struct Event: Decodable { var type: String }
            }
            var view = try await patient.send("GET", "/api/appointments/\(pending.id)").data(as: View.self)
            #expect(view.status == "pending-payment")
            #expect(view.payment?.status == "failed")
            #expect(view.payment?.history.last?.type == "payment.failed")

            let paid = try await patient.send("POST", "/api/payments/sandbox/checkout", json: Checkout(orderId: order.orderId, outcome: "success"))
                .data(as: CheckoutResult.self)
            struct Verify: Encodable, Sendable {
                var orderId: String
                var paymentId: String
                var signature: String
            }
            let verify = Verify(orderId: order.orderId, paymentId: try #require(paid.paymentId), signature: try #require(paid.signature))
            #expect(try await patient.send("POST", "/api/payments/verify", json: verify).status == 200)
            #expect(try await patient.send("POST", "/api/payments/verify", json: verify).status == 200, "verifying twice answers the same")
            view = try await patient.send("GET", "/api/appointments/\(pending.id)").data(as: View.self)
            #expect(view.status == "confirmed" && view.payment?.status == "captured")

            view = try await patient.send("DELETE", "/api/appointments/\(pending.id)").data(as: View.self)
            #expect(view.payment?.status == "refund-pending")
            let event = Data(
                #"{"id":"evt_refund_\#(UUID().uuidString)","event":"refund.processed","payload":{"refund":{"entity":{"id":"rfnd_1","payment_id":"\#(verify.paymentId)"}}}}"#
                    .utf8)
            let signature = PaymentSignature.hmacSHA256Hex(secret: server.services.configuration.payments.webhookSecret, message: event)
            let hook = try await APIClient(baseURL: server.baseURL).send(
                "POST", "/api/payments/webhook", rawBody: event, contentType: "application/json", headers: [(name: "X-Razorpay-Signature", value: signature)])
            #expect(hook.status == 200)
            view = try await patient.send("GET", "/api/appointments/\(pending.id)").data(as: View.self)
            #expect(view.payment?.status == "refunded")
            #expect(view.payment?.history.map(\.type).suffix(3) == ["refund.requested", "refund.created", "refund.processed"])
        }
    }
}
