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

/// Payment orders, checkout verification, refunds and gateway webhooks (API.md "Payments").
///
/// The amount is always the fee stored on the appointment, never a client value. Orders and refunds are made at the
/// ``PaymentGateway``; no database transaction is held open while the gateway is called. A gateway that does not
/// answer makes order creation answer 503 `PAYMENT_GATEWAY_UNAVAILABLE` with nothing stored; a refund that cannot be
/// made now stays `refund-pending` and is retried by ``RefundReconciler`` — always after asking the gateway for the
/// refunds it already has (matched by our receipt), so a cancellation is never refunded twice, even when the gateway
/// took a refund and its answer was lost. Signatures are HMAC-SHA256 checks; webhooks are idempotent by event id.
public struct PaymentService: Sendable {
    let database: BookingDatabase
    let settings: PaymentGatewayConfiguration
    /// Where orders and refunds are made (metered: `/metrics` shows its latency and outcomes).
    public let gateway: any PaymentGateway
    /// How long one instance holds a refund it is settling before another may take it over.
    static let refundClaim: TimeInterval = 120

    public init(database: BookingDatabase, settings: PaymentGatewayConfiguration, gateway: any PaymentGateway) {
        self.database = database
        self.settings = settings
        self.gateway = gateway
    }

    /// The appointment's open order (created, failed or captured), if it has one.
    func existingOpenOrder(_ sql: any SQLDatabase, appointmentID: UUID) async throws -> PaymentOrder? {
        guard let existing = try await Self.latest(sql, appointmentID: appointmentID),
            existing.status == .created || existing.status == .failed || existing.status == .captured
        else { return nil }
        return existing
    }

    /// The open order of a `pending-payment` appointment, created at the gateway when there is none. Called outside
    /// any transaction: the gateway is asked first, then the order is stored — unless another request stored one
    /// meanwhile, which is then returned (the extra gateway order is never paid and expires there).
    /// - Throws: ``PaymentGatewayError`` (503 PAYMENT_GATEWAY_UNAVAILABLE or 502 PAYMENT_GATEWAY_REJECTED)
    ///   with nothing stored; 409 CONFLICT when the appointment no longer awaits payment.
    func openOrder(for appointment: Appointment, now: Date) async throws -> PaymentOrderView {
        if let existing = try await database.transaction({ sql in try await existingOpenOrder(sql, appointmentID: appointment.id) }) {
            return view(existing)
        }
        let created = try await gateway.createOrder(
            amount: appointment.fee, currency: settings.currency, receipt: appointment.id.uuidString.lowercased(),
            notes: ["appointmentId": appointment.id.uuidString.lowercased(), "tenant": appointment.tenantID.rawValue])
        return try await database.transaction { sql in
            if let existing = try await existingOpenOrder(sql, appointmentID: appointment.id) { return view(existing) }
            guard let current = try await AppointmentStore(sql).find(appointment.id) else { throw BookingError.notFound(resource: "appointment") }
            guard current.status == .pendingPayment else {
                throw BookingError.conflict("appointment is \(current.status.rawValue) and needs no payment")
            }
            let order = PaymentOrder(
                orderID: created.id, tenantID: appointment.tenantID, appointmentID: appointment.id,
                amount: appointment.fee, currency: settings.currency, status: .created, paymentID: nil,
                history: [PaymentEvent(type: "order.created", at: now, paymentID: nil, detail: nil)], createdAt: now, updatedAt: now)
            try await PaymentStore(sql).insert(order)
            return view(order)
        }
    }

    /// `POST /api/payments`: the order for the caller's appointment awaiting payment.
    /// - Throws: 404 when the appointment is not the caller's; 409 CONFLICT when it needs no payment; 503
    ///   PAYMENT_GATEWAY_UNAVAILABLE or 502 PAYMENT_GATEWAY_REJECTED when the gateway fails (nothing stored).
    public func createOrder(_ identity: Identity, appointmentID: UUID, now: Date = Date()) async throws -> PaymentOrderView {
        let appointment = try await database.transaction { sql in
            let appointment = try await AppointmentService.visible(sql, identity, id: appointmentID)
            guard appointment.status == .pendingPayment else {
                throw BookingError.conflict("appointment is \(appointment.status.rawValue) and needs no payment")
            }
            return appointment
        }
        return try await openOrder(for: appointment, now: now)
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
    /// it records `payment.failed` as the gateway would report it. Mounted only with the sandbox gateway.
    public func sandboxCheckout(_ identity: Identity, orderID: String, succeed: Bool, now: Date = Date()) async throws -> CheckoutResult {
        try await database.transaction { sql in
            var order = try await ownedOrder(sql, identity, orderID: orderID)
            guard order.status == .created || order.status == .failed else {
                throw BookingError.conflict("order is \(order.status.rawValue)")
            }
            let paymentID = "pay_" + SandboxPaymentGateway.randomToken()
            if succeed {
                let signature = PaymentSignature.checkout(orderID: order.orderID, paymentID: paymentID, keySecret: settings.keySecret)
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
        guard gateway.verifyCheckout(orderID: orderID, paymentID: paymentID, signature: signature) else {
            throw ValidationError(field: "signature", problem: "does not match the order and payment")
        }
        let (verified, refundDue) = try await database.transaction { sql in
            var order = try await ownedOrder(sql, identity, orderID: orderID)
            if order.status == .captured || order.status == .refundPending || order.status == .refunded {
                guard order.paymentID == paymentID else { throw BookingError.conflict("order is already paid by another payment") }
                return (view(order), false)
            }
            try await capture(sql, &order, paymentID: paymentID, event: "payment.verified", now: now)
            return (view(order), order.status == .refundPending)
        }
        if refundDue { return try await settleRefund(orderID: orderID, now: now) ?? verified }
        return verified
    }

    /// `POST /api/payments/webhook`: applies a gateway event after checking `X-Razorpay-Signature` over the raw
    /// body. Events are recorded by id: a replay changes nothing. Unknown orders and event types are recorded
    /// and ignored.
    /// - Returns: whether the event was new.
    /// - Throws: 400 VALIDATION_ERROR for a bad signature or a body without event id/type.
    public func webhook(body: Data, signature: String?, eventIDHeader: String?, now: Date = Date()) async throws -> Bool {
        guard let signature, gateway.verifyWebhook(body: body, signature: signature) else {
            throw ValidationError(field: "X-Razorpay-Signature", problem: "does not match the body")
        }
        guard let event = try? JSONDecoder().decode(WebhookEvent.self, from: body) else {
            throw ValidationError(field: "body", problem: "is not a gateway event")
        }
        guard let eventID = eventIDHeader ?? event.id, !eventID.isEmpty, eventID.count <= 100 else {
            throw ValidationError(field: "id", problem: "event id is required")
        }
        return try await database.transaction { sql in
            let payments = PaymentStore(sql)
            if try await payments.webhookEventSeen(eventID) { return false }
            let payment = event.payload?.payment?.entity
            let refund = event.payload?.refund?.entity
            var order: PaymentOrder?
            if let orderID = payment?.order_id {
                order = try await payments.find(orderID: orderID)
            } else if let paymentID = refund?.payment_id {
                order = try await payments.find(paymentID: paymentID)
            }
            try await payments.recordWebhookEvent(eventID, orderID: order?.orderID, type: event.event, at: now)
            guard var order else { return true }
            switch event.event {
            case "payment.captured":
                if order.status == .created || order.status == .failed, let paymentID = payment?.id {
                    try await capture(sql, &order, paymentID: paymentID, event: "payment.captured", now: now)
                }
            // (A payment captured after the appointment was cancelled is now refund-pending: the reconciler refunds it.)
            case "payment.failed":
                if order.status == .created {
                    order.status = .failed
                    order.history.append(PaymentEvent(type: "payment.failed", at: now, paymentID: payment?.id, detail: payment?.error_description))
                    try await save(sql, order, now: now)
                }
            case "refund.processed":
                // Only a refund of this order's payment that we asked for completes it; a late or repeated one changes nothing.
                if order.status == .refundPending, refund?.payment_id == nil || refund?.payment_id == order.paymentID {
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

    /// The receipt our refund of `orderID` carries at the gateway: how a refund whose answer was lost is found again.
    static func refundReceipt(orderID: String) -> String { "refund-" + orderID }

    /// Makes the refund of a `refund-pending` order at the gateway, once: claims the order (so that one instance at a
    /// time settles it), asks the gateway for the payment's refunds, and creates one only if none carries our receipt.
    /// A refund the gateway reports `processed` completes the order; a `pending` one is recorded and completed by the
    /// `refund.processed` webhook (or a later reconciliation).
    /// - Returns: the order as it now is, or `nil` when there was nothing to settle (not refund-pending, already
    ///   claimed by another instance, or the gateway could not be reached — the order then stays refund-pending).
    @discardableResult
    public func settleRefund(orderID: String, now: Date = Date()) async throws -> PaymentOrderView? {
        let claimed = try await database.transaction { sql -> PaymentOrder? in
            guard let order = try await Self.order(sql, orderID: orderID), order.status == .refundPending, let paymentID = order.paymentID,
                !paymentID.isEmpty
            else { return nil }
            let claimed = try await PaymentStore(sql).claimRefund(orderID: orderID, until: now.addingTimeInterval(Self.refundClaim), now: now)
            return claimed ? order : nil
        }
        guard let order = claimed, let paymentID = order.paymentID else { return nil }
        let receipt = Self.refundReceipt(orderID: order.orderID)
        let known = order.history.last { $0.type == "refund.created" }?.detail
        let refund: GatewayRefund
        do {
            let existing = try await gateway.refunds(ofPayment: paymentID).first { $0.receipt == receipt || $0.id == known }
            if let existing {
                refund = existing
            } else {
                refund = try await gateway.refund(
                    paymentID: paymentID, amount: order.amount, receipt: receipt,
                    notes: ["appointmentId": order.appointmentID.uuidString.lowercased(), "reason": "appointment cancelled"])
            }
        } catch {
            // Left refund-pending and released: the reconciler asks again later (and finds the refund if it was made).
            try await release(orderID: order.orderID)
            return nil
        }
        return try await database.transaction { sql in
            guard var current = try await Self.order(sql, orderID: order.orderID), current.status == .refundPending else {
                return try await Self.order(sql, orderID: order.orderID).map(view)
            }
            if !current.history.contains(where: { $0.type == "refund.created" && $0.detail == refund.id }) {
                current.history.append(PaymentEvent(type: "refund.created", at: now, paymentID: paymentID, detail: refund.id))
            }
            if refund.status == "processed" {
                current.status = .refunded
                current.history.append(PaymentEvent(type: "refund.processed", at: now, paymentID: paymentID, detail: refund.id))
            }
            let payments = PaymentStore(sql)
            // Saved only if still refund-pending: a refund.processed webhook may have completed it since it was read.
            let saved = try await payments.save(current, at: now, ifStatusIs: .refundPending)
            try await payments.releaseRefundClaim(orderID: current.orderID)
            return saved ? view(current) : try await Self.order(sql, orderID: order.orderID).map(view)
        }
    }

    private func release(orderID: String) async throws {
        try await database.transaction { sql in try await PaymentStore(sql).releaseRefundClaim(orderID: orderID) }
    }

    /// Orders whose refund is still to be made or completed, oldest first (for ``RefundReconciler``).
    public func ordersAwaitingRefund(limit: Int = 100) async throws -> [String] {
        try await database.transaction { sql in try await PaymentStore(sql).awaitingRefund(limit: limit) }
    }

    /// The appointment's newest order id, if any.
    func latestOrderID(appointmentID: UUID) async throws -> String? {
        try await database.transaction { sql in try await Self.latest(sql, appointmentID: appointmentID)?.orderID }
    }

    /// The appointment's newest order with history, if any.
    func latestOrder(_ sql: any SQLDatabase, appointmentID: UUID) async throws -> PaymentOrderView? {
        try await Self.latest(sql, appointmentID: appointmentID).map(view)
    }

    private func capture(_ sql: any SQLDatabase, _ order: inout PaymentOrder, paymentID: String, event: String, now: Date) async throws {
        order.status = .captured
        order.paymentID = paymentID
        order.history.append(PaymentEvent(type: event, at: now, paymentID: paymentID, detail: nil))
        guard var appointment = try await AppointmentStore(sql).find(order.appointmentID) else { throw BookingError.notFound(resource: "appointment") }
        if appointment.status == .pendingPayment {
            appointment.status = .confirmed
            appointment.updatedAt = now
            try await AppointmentStore(sql).saveStatus(appointment)
        } else if appointment.status == .cancelled {
            order.status = .refundPending
            order.history.append(PaymentEvent(type: "refund.requested", at: now, paymentID: paymentID, detail: "appointment was cancelled before payment"))
        }
        try await save(sql, order, now: now)
    }

    private func ownedOrder(_ sql: any SQLDatabase, _ identity: Identity, orderID: String) async throws -> PaymentOrder {
        guard orderID.count <= 100, let order = try await Self.order(sql, orderID: orderID), order.tenantID == identity.tenantID else {
            throw BookingError.notFound(resource: "payment order")
        }
        _ = try await AppointmentService.visible(sql, identity, id: order.appointmentID)
        return order
    }

    private func save(_ sql: any SQLDatabase, _ order: PaymentOrder, now: Date) async throws {
        try await PaymentStore(sql).save(order, at: now)
    }

    private func view(_ order: PaymentOrder) -> PaymentOrderView {
        PaymentOrderView(
            orderId: order.orderID, amount: order.amount, currency: order.currency, keyId: settings.keyID, status: order.status,
            paymentId: order.paymentID, history: order.history)
    }

    static func order(_ sql: any SQLDatabase, orderID: String) async throws -> PaymentOrder? {
        try await PaymentStore(sql).find(orderID: orderID)
    }

    static func latest(_ sql: any SQLDatabase, appointmentID: UUID) async throws -> PaymentOrder? {
        try await PaymentStore(sql).latest(appointmentID: appointmentID)
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
            var status: String?
        }
        var id: String?
        var event: String
        var payload: Payload?
    }
}
