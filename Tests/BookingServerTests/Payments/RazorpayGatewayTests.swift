import APITransport
import BookingCore
import BookingServer
import Foundation
import IllajwalaTesting
import Logging
import Testing

/// The Razorpay adapter against a double that speaks Razorpay's documented API, and the service's behaviour when the
/// gateway fails: every case of issue "Production can start" — timeout and 5xx, 4xx, a refund whose answer is lost,
/// a refund that fails, late and duplicate webhooks.
@Suite("Payments through the Razorpay adapter")
struct RazorpayGatewayTests {
    /// The service's settings for the double, with short gateway deadlines so timeouts cost little.
    static func environment(_ double: RazorpayDouble, timeoutMilliseconds: Int = 500) -> [String: String] {
        bulkRateLimits.merging([
            "PAYMENT_GATEWAY": "razorpay", "PAYMENT_GATEWAY_URL": double.baseURL.absoluteString,
            "PAYMENT_GATEWAY_TIMEOUT_MS": String(timeoutMilliseconds), "PAYMENT_KEY_ID": double.keyID,
            "PAYMENT_KEY_SECRET": double.keySecret, "PAYMENT_WEBHOOK_SECRET": double.webhookSecret,
        ]) { $1 }
    }

    func book(_ patient: APIClient, _ doctor: Doctor, _ slot: Slot) async throws -> APIResponse {
        try await patient.send(
            "POST", "/api/appointments",
            json: Body([
                "doctorId": .string(doctor.id.uuidString), "clinicId": .string(slot.clinicId.uuidString),
                "scheduledAt": .string(slot.start), "mode": .string("in-person"),
            ]))
    }

    /// A patient's paid, verified appointment: its id, order id and payment id.
    func paidAppointment(_ client: APIClient, _ double: RazorpayDouble) async throws -> (patient: APIClient, appointment: UUID, order: String, payment: String)
    {
        let patient = try await client.newPatient()
        let doctor = try await patient.doctor(email: FixtureCredentials.paidDoctorEmail)
        let slot = try #require(try await patient.freeSlots(doctor.id).first)
        let booked = try await book(patient, doctor, slot).data(as: Appointment.self, expecting: 201)
        let order = try #require(booked.payment)
        let paid = try double.pay(orderID: order.orderId)
        let verified = try await patient.send(
            "POST", "/api/payments/verify",
            json: Body([
                "orderId": .string(order.orderId), "paymentId": .string(paid.paymentID), "signature": .string(paid.signature),
            ])
        ).data(as: PaymentView.self, expecting: 200)
        #expect(verified.status == "captured")
        return (patient, booked.id, order.orderId, paid.paymentID)
    }

    @Test("the adapter sends Basic credentials, paise and our receipt, and reads Razorpay's answers and errors")
    func adapter() async throws {
        let double = try await RazorpayDouble.start()
        defer { Task { await double.stop() } }
        let gateway = RazorpayPaymentGateway(
            baseURL: double.baseURL.absoluteString + "/", keyID: double.keyID, keySecret: double.keySecret, webhookSecret: double.webhookSecret,
            timeout: .seconds(5))
        let order = try await gateway.createOrder(amount: 150_000, currency: "INR", receipt: "appointment-1", notes: ["k": "v"])
        #expect(order.id.hasPrefix("order_") && order.amount == 150_000 && order.receipt == "appointment-1" && order.status == "created")
        let request = try #require(double.received.last)
        #expect(request.method == "POST" && request.path == "/v1/orders" && request.authorized)
        let body = try #require(try JSONSerialization.jsonObject(with: Data(request.body.utf8)) as? [String: Any])
        #expect(body["amount"] as? Int == 150_000 && body["currency"] as? String == "INR" && body["receipt"] as? String == "appointment-1")

        let paid = try double.pay(orderID: order.id)
        let refund = try await gateway.refund(paymentID: paid.paymentID, amount: 150_000, receipt: "refund-x", notes: [:])
        #expect(refund.id.hasPrefix("rfnd_") && refund.status == "pending" && refund.receipt == "refund-x")
        #expect(try await gateway.refunds(ofPayment: paid.paymentID) == [refund])
        #expect(try await gateway.payments(ofOrder: order.id).map(\.status) == ["captured"])
        #expect(gateway.verifyCheckout(orderID: order.id, paymentID: paid.paymentID, signature: paid.signature))

        await #expect(
            throws: PaymentGatewayError.rejected(
                status: 400, code: "BAD_REQUEST_ERROR", description: "The total refund amount is greater than the refund payment amount")
        ) {
            try await gateway.refund(paymentID: paid.paymentID, amount: 1, receipt: "again", notes: [:])
        }
        let wrongKeys = RazorpayPaymentGateway(
            baseURL: double.baseURL.absoluteString, keyID: double.keyID, keySecret: "not-the-secret-0000", webhookSecret: "w", timeout: .seconds(5))
        await #expect(throws: PaymentGatewayError.rejected(status: 401, code: "BAD_REQUEST_ERROR", description: "The api key provided is invalid")) {
            try await wrongKeys.createOrder(amount: 100, currency: "INR", receipt: "r", notes: [:])
        }
        let nobody = RazorpayPaymentGateway(baseURL: "http://127.0.0.1:9", keyID: "rzp_test_x", keySecret: "s", webhookSecret: "w", timeout: .seconds(2))
        await #expect {
            try await nobody.createOrder(amount: 100, currency: "INR", receipt: "r", notes: [:])
        } throws: { error in
            if case .unavailable = error as? PaymentGatewayError { return true }
            return false
        }
    }

    @Test("a paid journey: order at the gateway, checkout, verify, cancel, one refund at the gateway, refund.processed", arguments: DatabaseKind.available)
    func journey(_ database: DatabaseKind) async throws {
        let double = try await RazorpayDouble.start()
        defer { Task { await double.stop() } }
        try await withSeededServer(database, environment: Self.environment(double)) { server, client in
            let (patient, appointment, order, payment) = try await paidAppointment(client, double)
            #expect(try await patient.send("GET", "/api/appointments/\(appointment)").data(as: Appointment.self).status == "confirmed")
            let cancelled = try await patient.send("DELETE", "/api/appointments/\(appointment)").data(as: Appointment.self, expecting: 200)
            #expect(cancelled.payment?.status == "refund-pending")
            #expect(cancelled.payment?.history.map(\.type).suffix(2) == ["refund.requested", "refund.created"])
            let refunds = double.refunds(ofPayment: payment)
            #expect(refunds.count == 1)
            #expect(refunds.first?["receipt"] == .string("refund-\(order)"))
            #expect(refunds.first?["amount"] == .int(150_000))
            guard case .string(let refundID)? = refunds.first?["id"] else {
                Issue.record("refund id")
                return
            }
            let event = Data(
                #"{"entity":"event","event":"refund.processed","payload":{"refund":{"entity":{"id":"\#(refundID)","payment_id":"\#(payment)","status":"processed"}}}}"#
                    .utf8)
            let hook = try await client.send(
                "POST", "/api/payments/webhook", rawBody: event, contentType: "application/json",
                headers: [
                    (name: "X-Razorpay-Signature", value: PaymentSignature.hmacSHA256Hex(secret: double.webhookSecret, message: event)),
                    (name: "X-Razorpay-Event-Id", value: "evt_1"),
                ])
            #expect(hook.status == 200)
            #expect(try await patient.send("GET", "/api/appointments/\(appointment)").data(as: Appointment.self).payment?.status == "refunded")
            // Every call carried the key pair.
            let received = double.received
            #expect(received.allSatisfy { $0.authorized })
            _ = server
        }
    }

    @Test("a gateway that times out or answers 5xx: 503 PAYMENT_GATEWAY_UNAVAILABLE, nothing stored, the retry works", arguments: DatabaseKind.available)
    func unavailable(_ database: DatabaseKind) async throws {
        let double = try await RazorpayDouble.start()
        defer { Task { await double.stop() } }
        try await withSeededServer(database, environment: Self.environment(double)) { _, client in
            let patient = try await client.newPatient()
            let doctor = try await patient.doctor(email: FixtureCredentials.paidDoctorEmail)
            let slot = try #require(try await patient.freeSlots(doctor.id).first)
            double.inject(.serverError(status: 503), into: .createOrder)
            let booked = try await book(patient, doctor, slot).data(as: Appointment.self, expecting: 201)
            #expect(booked.status == "pending-payment")
            #expect(booked.payment == nil, "the booking stands without an order while the gateway is down")

            double.inject(.delay(.seconds(3)), into: .createOrder)
            let started = ContinuousClock.now
            let timedOut = try await patient.send("POST", "/api/payments", json: Body(["appointmentId": .string(booked.id.uuidString)]))
            #expect(timedOut.status == 503)
            #expect(timedOut.apiError?.error.code == "PAYMENT_GATEWAY_UNAVAILABLE")
            #expect(started.duration(to: .now) < .seconds(3), "answered at the gateway deadline, not when the gateway did")
            double.inject(.serverError(status: 500), into: .createOrder)
            #expect(try await patient.send("POST", "/api/payments", json: Body(["appointmentId": .string(booked.id.uuidString)])).status == 503)
            let stillPending = try await patient.send("GET", "/api/appointments/\(booked.id)").data(as: Appointment.self)
            #expect(stillPending.status == "pending-payment" && stillPending.payment == nil, "nothing was stored")

            let retried = try await patient.send("POST", "/api/payments", json: Body(["appointmentId": .string(booked.id.uuidString)]))
                .data(as: PaymentView.self, expecting: 201)
            #expect(retried.orderId.hasPrefix("order_") && retried.status == "created")
        }
    }

    @Test("a gateway that refuses (4xx): 502 PAYMENT_GATEWAY_REJECTED naming the gateway's code; nothing stored", arguments: [DatabaseKind.sqlite])
    func rejected(_ database: DatabaseKind) async throws {
        let double = try await RazorpayDouble.start()
        defer { Task { await double.stop() } }
        try await withSeededServer(database, environment: Self.environment(double)) { _, client in
            let patient = try await client.newPatient()
            let doctor = try await patient.doctor(email: FixtureCredentials.paidDoctorEmail)
            let slot = try #require(try await patient.freeSlots(doctor.id).first)
            double.inject(.reject(status: 400, code: "BAD_REQUEST_ERROR", description: "The amount must be at least INR 1.00"), into: .createOrder, times: 2)
            let booked = try await book(patient, doctor, slot).data(as: Appointment.self, expecting: 201)
            let refused = try await patient.send("POST", "/api/payments", json: Body(["appointmentId": .string(booked.id.uuidString)]))
            #expect(refused.status == 502)
            #expect(refused.apiError?.error.code == "PAYMENT_GATEWAY_REJECTED")
            #expect(refused.apiError?.error.details?["gatewayCode"] == "BAD_REQUEST_ERROR")
            #expect(try await patient.send("GET", "/api/appointments/\(booked.id)").data(as: Appointment.self).payment == nil)
        }
    }

    @Test("a refund is never made twice, even when the gateway made it and its answer was lost", arguments: DatabaseKind.available)
    func refundAnswerLost(_ database: DatabaseKind) async throws {
        let double = try await RazorpayDouble.start()
        defer { Task { await double.stop() } }
        try await withSeededServer(database, environment: Self.environment(double)) { server, client in
            let (patient, appointment, _, payment) = try await paidAppointment(client, double)
            double.inject(.succeedThenDelay(.seconds(2)), into: .refund)
            let cancelled = try await patient.send("DELETE", "/api/appointments/\(appointment)").data(as: Appointment.self, expecting: 200)
            #expect(cancelled.status == "cancelled")
            #expect(cancelled.payment?.status == "refund-pending")
            #expect(cancelled.payment?.history.last?.type == "refund.requested", "the answer was lost: no refund recorded yet")
            #expect(double.refunds(ofPayment: payment).count == 1, "but the gateway made it")

            let reconciler = RefundReconciler(payments: server.services.payments, logger: Logger(label: "test"))
            for _ in 0..<3 { await reconciler.reconcileOnce(now: Date().addingTimeInterval(300)) }
            #expect(double.refunds(ofPayment: payment).count == 1, "reconciliation found the refund instead of making another")
            let settled = try await patient.send("GET", "/api/appointments/\(appointment)").data(as: Appointment.self)
            #expect(settled.payment?.history.filter { $0.type == "refund.created" }.count == 1)
            let refundCalls = double.received.filter { $0.path.hasSuffix("/refund") }
            #expect(refundCalls.count == 1, "one refund request in all")
        }
    }

    @Test("a refund the gateway refused for a moment is made by the reconciler, once", arguments: [DatabaseKind.sqlite])
    func refundRetried(_ database: DatabaseKind) async throws {
        let double = try await RazorpayDouble.start()
        defer { Task { await double.stop() } }
        try await withSeededServer(database, environment: Self.environment(double)) { server, client in
            let (patient, appointment, _, payment) = try await paidAppointment(client, double)
            double.inject(.serverError(status: 502), into: .refund)
            let cancelled = try await patient.send("DELETE", "/api/appointments/\(appointment)").data(as: Appointment.self, expecting: 200)
            #expect(cancelled.payment?.status == "refund-pending")
            #expect(double.refunds(ofPayment: payment).isEmpty)
            let reconciler = RefundReconciler(payments: server.services.payments, logger: Logger(label: "test"))
            await reconciler.reconcileOnce(now: Date().addingTimeInterval(300))
            await reconciler.reconcileOnce(now: Date().addingTimeInterval(600))
            #expect(double.refunds(ofPayment: payment).count == 1)
            let settled = try await patient.send("GET", "/api/appointments/\(appointment)").data(as: Appointment.self)
            #expect(settled.payment?.history.last?.type == "refund.created")
        }
    }

    @Test("late and duplicate webhooks change nothing", arguments: [DatabaseKind.sqlite])
    func lateWebhooks(_ database: DatabaseKind) async throws {
        let double = try await RazorpayDouble.start()
        defer { Task { await double.stop() } }
        try await withSeededServer(database, environment: Self.environment(double)) { _, client in
            let (patient, appointment, order, payment) = try await paidAppointment(client, double)
            _ = try await patient.send("DELETE", "/api/appointments/\(appointment)").data(as: Appointment.self, expecting: 200)
            func send(_ json: String, id: String) async throws -> APIResponse {
                let body = Data(json.utf8)
                return try await client.send(
                    "POST", "/api/payments/webhook", rawBody: body, contentType: "application/json",
                    headers: [
                        (name: "X-Razorpay-Signature", value: PaymentSignature.hmacSHA256Hex(secret: double.webhookSecret, message: body)),
                        (name: "X-Razorpay-Event-Id", value: id),
                    ])
            }
            let late = #"{"event":"payment.captured","payload":{"payment":{"entity":{"id":"\#(payment)","order_id":"\#(order)","status":"captured"}}}}"#
            #expect(try await send(late, id: "evt_late").status == 200)
            let again = try await send(late, id: "evt_late")
            #expect(again.status == 200)
            let view = try await patient.send("GET", "/api/appointments/\(appointment)").data(as: Appointment.self)
            #expect(view.status == "cancelled" && view.payment?.status == "refund-pending", "a late capture reopens nothing")
            let foreignRefund = #"{"event":"refund.processed","payload":{"refund":{"entity":{"id":"rfnd_other","payment_id":"pay_someone_else"}}}}"#
            #expect(try await send(foreignRefund, id: "evt_foreign").status == 200)
            #expect(try await patient.send("GET", "/api/appointments/\(appointment)").data(as: Appointment.self).payment?.status == "refund-pending")
        }
    }
}
