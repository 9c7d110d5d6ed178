import BookingCore
import Foundation
import SQLKit

/// A payment order as the API returns it (API.md "Payments").
public struct PaymentOrderView: Encodable, Sendable {
    public var orderId: String
    /// Amount in paise.
    public var amount: Int
    public var currency: String
    /// Gateway key id the client's checkout needs.
    public var keyId: String
    public var status: PaymentStatus
    public var paymentId: String?
    /// Every payment event of the appointment, oldest first.
    public var history: [PaymentEvent]
}

/// Payment orders, checkout verification and gateway webhooks (API.md "Payments").
///
/// The amount is always the fee stored on the appointment, never a client value. Signatures are
/// HMAC-SHA256 checks from ``PaymentSignature``; webhooks are idempotent by event id.
public struct PaymentService: Sendable {
    let database: BookingDatabase
    let gateway: PaymentGatewayConfiguration

    /// The open order of the appointment, created when there is none.
    func openOrder(_ sql: any SQLDatabase, for appointment: Appointment, now: Date) async throws -> PaymentOrderView {
        if let existing = try await Self.latest(sql, appointmentID: appointment.id),
            existing.status == .created || existing.status == .failed || existing.status == .captured
        {
            return view(existing)
        }
        let order = PaymentOrder(
            orderID: "order_" + Self.randomToken(), tenantID: appointment.tenantID, appointmentID: appointment.id,
            amount: appointment.fee, currency: gateway.currency, status: .created, paymentID: nil,
            history: [PaymentEvent(type: "order.created", at: now, paymentID: nil, detail: nil)], createdAt: now, updatedAt: now)
        try await sql.raw(
            """
            INSERT INTO payment_orders (order_id, tenant_id, appointment_id, amount, currency, status, payment_id, history, created_at, updated_at)
            VALUES (\(bind: order.orderID), \(bind: order.tenantID.rawValue), \(bind: Column.id(order.appointmentID)),
            \(bind: order.amount), \(bind: order.currency), \(bind: order.status.rawValue), NULL, \(bind: try Column.json(order.history)),
            \(bind: Column.instant(now)), \(bind: Column.instant(now)))
            """
        ).run()
        return view(order)
    }

    /// `POST /api/payments`: the order for the caller's appointment awaiting payment.
    /// - Throws: 404 when the appointment is not the caller's; 409 CONFLICT when it needs no payment.
    public func createOrder(_ identity: Identity, appointmentID: UUID, now: Date = Date()) async throws -> PaymentOrderView {
        try await database.transaction { sql in
            let appointment = try await AppointmentService.visible(sql, identity, id: appointmentID)
            guard appointment.status == .pendingPayment else {
                throw APIError.conflict("appointment is \(appointment.status.rawValue) and needs no payment")
            }
            return try await openOrder(sql, for: appointment, now: now)
        }
    }

    /// The sandbox checkout's answer.
    public struct CheckoutResult: Encodable, Sendable {
        public var orderId: String
        public var outcome: String
        public var paymentId: String?
        public var signature: String?
        public var reason: String?
    }

    /// `POST /api/payments/sandbox/checkout`: stands in for the gateway's checkout widget. On success it hands
    /// back a payment id and the signature the real checkout would, computed with the key secret; on failure
    /// it records `payment.failed` as the gateway would report it.
    public func sandboxCheckout(_ identity: Identity, orderID: String, succeed: Bool, now: Date = Date()) async throws -> CheckoutResult {
        try await database.transaction { sql in
            var order = try await ownedOrder(sql, identity, orderID: orderID)
            guard order.status == .created || order.status == .failed else {
                throw APIError.conflict("order is \(order.status.rawValue)")
            }
            let paymentID = "pay_" + Self.randomToken()
            if succeed {
                let signature = PaymentSignature.checkout(orderID: order.orderID, paymentID: paymentID, keySecret: gateway.keySecret)
                return CheckoutResult(orderId: order.orderID, outcome: "success", paymentId: paymentID, signature: signature, reason: nil)
            }
            order.status = .failed
            order.history.append(PaymentEvent(type: "payment.failed", at: now, paymentID: paymentID, detail: "card declined (sandbox)"))
            try await save(sql, order, now: now)
            return CheckoutResult(orderId: order.orderID, outcome: "failure", paymentId: paymentID, signature: nil, reason: "card declined (sandbox)")
        }
    }

    /// `POST /api/payments/verify`: checks the checkout signature; on success captures the payment and
    /// confirms the appointment, together. A repeated verification of the same payment answers the same.
    /// - Throws: 400 VALIDATION_ERROR (`details.signature`) for a bad signature, changing nothing; 404 for an
    ///   order that is not the caller's.
    public func verify(_ identity: Identity, orderID: String, paymentID: String, signature: String, now: Date = Date()) async throws -> PaymentOrderView {
        guard PaymentSignature.verifyCheckout(orderID: orderID, paymentID: paymentID, signature: signature, keySecret: gateway.keySecret) else {
            throw APIError.validation(field: "signature", problem: "does not match the order and payment")
        }
        return try await database.transaction { sql in
            var order = try await ownedOrder(sql, identity, orderID: orderID)
            if order.status == .captured || order.status == .refundPending || order.status == .refunded {
                guard order.paymentID == paymentID else { throw APIError.conflict("order is already paid by another payment") }
                return view(order)
            }
            try await capture(sql, &order, paymentID: paymentID, event: "payment.verified", now: now)
            return view(order)
        }
    }

    /// `POST /api/payments/webhook`: applies a gateway event after checking `X-Razorpay-Signature` over the raw
    /// body. Events are recorded by id: a replay changes nothing. Unknown orders and event types are recorded
    /// and ignored.
    /// - Returns: whether the event was new.
    /// - Throws: 400 VALIDATION_ERROR for a bad signature or a body without event id/type.
    public func webhook(body: Data, signature: String?, eventIDHeader: String?, now: Date = Date()) async throws -> Bool {
        guard let signature, PaymentSignature.verifyWebhook(body: body, signature: signature, webhookSecret: gateway.webhookSecret) else {
            throw APIError.validation(field: "X-Razorpay-Signature", problem: "does not match the body")
        }
        guard let event = try? JSONDecoder().decode(WebhookEvent.self, from: body) else {
            throw APIError.validation(field: "body", problem: "is not a gateway event")
        }
        guard let eventID = eventIDHeader ?? event.id, !eventID.isEmpty, eventID.count <= 100 else {
            throw APIError.validation(field: "id", problem: "event id is required")
        }
        return try await database.transaction { sql in
            if try await sql.raw("SELECT event_id FROM payment_webhook_events WHERE event_id = \(bind: eventID)").first() != nil {
                return false
            }
            let payment = event.payload?.payment?.entity
            let refund = event.payload?.refund?.entity
            var order: PaymentOrder?
            if let orderID = payment?.order_id {
                order = try await Self.order(sql, orderID: orderID)
            } else if let paymentID = refund?.payment_id {
                order = try await sql.raw("SELECT * FROM payment_orders WHERE payment_id = \(bind: paymentID)").first().map(Self.order(from:))
            }
            try await sql.raw(
                "INSERT INTO payment_webhook_events (event_id, order_id, type, received_at) VALUES (\(bind: eventID), \(bind: order?.orderID), \(bind: event.event), \(bind: Column.instant(now)))"
            ).run()
            guard var order else { return true }
            switch event.event {
            case "payment.captured":
                if order.status == .created || order.status == .failed, let paymentID = payment?.id {
                    try await capture(sql, &order, paymentID: paymentID, event: "payment.captured", now: now)
                }
            case "payment.failed":
                if order.status == .created {
                    order.status = .failed
                    order.history.append(PaymentEvent(type: "payment.failed", at: now, paymentID: payment?.id, detail: payment?.error_description))
                    try await save(sql, order, now: now)
                }
            case "refund.processed":
                if order.status == .captured || order.status == .refundPending {
                    order.status = .refunded
                    order.history.append(PaymentEvent(type: "refund.processed", at: now, paymentID: order.paymentID, detail: refund?.id))
                    try await save(sql, order, now: now)
                }
            default:
                break
            }
            return true
        }
    }

    /// Marks a captured payment of a cancelled appointment as due for refund.
    func markRefundDue(_ sql: any SQLDatabase, appointmentID: UUID, now: Date) async throws {
        guard var order = try await Self.latest(sql, appointmentID: appointmentID), order.status == .captured else { return }
        order.status = .refundPending
        order.history.append(PaymentEvent(type: "refund.requested", at: now, paymentID: order.paymentID, detail: "appointment cancelled"))
        try await save(sql, order, now: now)
    }

    /// The appointment's newest order with history, if any.
    func latestOrder(_ sql: any SQLDatabase, appointmentID: UUID) async throws -> PaymentOrderView? {
        try await Self.latest(sql, appointmentID: appointmentID).map(view)
    }

    private func capture(_ sql: any SQLDatabase, _ order: inout PaymentOrder, paymentID: String, event: String, now: Date) async throws {
        order.status = .captured
        order.paymentID = paymentID
        order.history.append(PaymentEvent(type: event, at: now, paymentID: paymentID, detail: nil))
        guard let row = try await sql.raw("SELECT * FROM appointments WHERE id = \(bind: Column.id(order.appointmentID))").first() else {
            throw APIError.notFound("appointment")
        }
        var appointment = try AppointmentService.appointment(from: row)
        if appointment.status == .pendingPayment {
            appointment.status = .confirmed
            appointment.updatedAt = now
            try await AppointmentService.saveStatus(sql, appointment)
        } else if appointment.status == .cancelled {
            order.status = .refundPending
            order.history.append(PaymentEvent(type: "refund.requested", at: now, paymentID: paymentID, detail: "appointment was cancelled before payment"))
        }
        try await save(sql, order, now: now)
    }

    private func ownedOrder(_ sql: any SQLDatabase, _ identity: Identity, orderID: String) async throws -> PaymentOrder {
        guard orderID.count <= 100, let order = try await Self.order(sql, orderID: orderID), order.tenantID == identity.tenantID else {
            throw APIError.notFound("payment order")
        }
        _ = try await AppointmentService.visible(sql, identity, id: order.appointmentID)
        return order
    }

    private func save(_ sql: any SQLDatabase, _ order: PaymentOrder, now: Date) async throws {
        try await sql.raw(
            """
            UPDATE payment_orders SET status = \(bind: order.status.rawValue), payment_id = \(bind: order.paymentID),
            history = \(bind: try Column.json(order.history)), updated_at = \(bind: Column.instant(now))
            WHERE order_id = \(bind: order.orderID)
            """
        ).run()
    }

    private func view(_ order: PaymentOrder) -> PaymentOrderView {
        PaymentOrderView(
            orderId: order.orderID, amount: order.amount, currency: order.currency, keyId: gateway.keyID, status: order.status,
            paymentId: order.paymentID, history: order.history)
    }

    static func order(_ sql: any SQLDatabase, orderID: String) async throws -> PaymentOrder? {
        try await sql.raw("SELECT * FROM payment_orders WHERE order_id = \(bind: orderID)").first().map(order(from:))
    }

    static func latest(_ sql: any SQLDatabase, appointmentID: UUID) async throws -> PaymentOrder? {
        try await sql.raw(
            "SELECT * FROM payment_orders WHERE appointment_id = \(bind: Column.id(appointmentID)) ORDER BY created_at DESC LIMIT 1"
        ).first().map(order(from:))
    }

    static func order(from row: any SQLRow) throws -> PaymentOrder {
        guard let tenant = TenantID(rawValue: try row.text("tenant_id")), let status = PaymentStatus(rawValue: try row.text("status")) else {
            throw DatabaseError.failed("payment_orders row is malformed")
        }
        return PaymentOrder(
            orderID: try row.text("order_id"), tenantID: tenant, appointmentID: try row.uuid("appointment_id"),
            amount: try row.integer("amount"), currency: try row.text("currency"), status: status,
            paymentID: try row.optionalText("payment_id"), history: try row.json("history", as: [PaymentEvent].self),
            createdAt: try row.instant("created_at"), updatedAt: try row.instant("updated_at"))
    }

    static func randomToken() -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<14).map { _ in alphabet[Int(generator.next(upperBound: UInt32(alphabet.count)))] })
    }

    /// The parts of a Razorpay-style webhook event the service reads.
    struct WebhookEvent: Decodable {
        struct Payload: Decodable {
            struct PaymentWrapper: Decodable { var entity: PaymentEntity }
            struct RefundWrapper: Decodable { var entity: RefundEntity }
            var payment: PaymentWrapper?
            var refund: RefundWrapper?
        }
        struct PaymentEntity: Decodable {
            var id: String?
            var order_id: String?
            var error_description: String?
        }
        struct RefundEntity: Decodable {
            var id: String?
            var payment_id: String?
        }
        var id: String?
        var event: String
        var payload: Payload?
    }
}
