import BookingCore
import Foundation
import SQLKit

/// The `payment_orders` and `payment_webhook_events` tables: every SQL statement about payments, on one connection or
/// transaction. The rules (capture, refunds, webhook replays, gateway calls) are ``PaymentService``'s.
struct PaymentStore {
    let sql: any SQLDatabase

    init(_ sql: any SQLDatabase) { self.sql = sql }

    /// Stores a new order (no payment yet).
    func insert(_ order: PaymentOrder) async throws {
        try await sql.raw(
            """
            INSERT INTO payment_orders (order_id, tenant_id, appointment_id, amount, currency, status, payment_id, history, created_at, updated_at)
            VALUES (\(bind: order.orderID), \(bind: order.tenantID.rawValue), \(bind: Column.id(order.appointmentID)),
            \(bind: order.amount), \(bind: order.currency), \(bind: order.status.rawValue), \(bind: order.paymentID), \(bind: try Column.json(order.history)),
            \(bind: Column.instant(order.createdAt)), \(bind: Column.instant(order.updatedAt)))
            """
        ).run()
    }

    /// The order `orderID`, or `nil`.
    func find(orderID: String) async throws -> PaymentOrder? {
        try await sql.raw("SELECT * FROM payment_orders WHERE order_id = \(bind: orderID)").first().map(Self.order(from:))
    }

    /// The order paid by `paymentID`, or `nil`.
    func find(paymentID: String) async throws -> PaymentOrder? {
        try await sql.raw("SELECT * FROM payment_orders WHERE payment_id = \(bind: paymentID)").first().map(Self.order(from:))
    }

    /// The appointment's newest order, or `nil`.
    func latest(appointmentID: UUID) async throws -> PaymentOrder? {
        try await sql.raw("SELECT * FROM payment_orders WHERE appointment_id = \(bind: Column.id(appointmentID)) ORDER BY created_at DESC LIMIT 1")
            .first().map(Self.order(from:))
    }

    /// Saves the status, payment and history of a stored order, updated at `now`.
    func save(_ order: PaymentOrder, at now: Date) async throws {
        try await sql.raw(
            """
            UPDATE payment_orders SET status = \(bind: order.status.rawValue), payment_id = \(bind: order.paymentID),
            history = \(bind: try Column.json(order.history)), updated_at = \(bind: Column.instant(now))
            WHERE order_id = \(bind: order.orderID)
            """
        ).run()
    }

    /// Saves a stored order as ``save(_:at:)`` does, but only while its stored status is still `expected` — so a
    /// change committed meanwhile by another request (a webhook completing the refund) is never overwritten.
    /// - Returns: whether the order was saved.
    func save(_ order: PaymentOrder, at now: Date, ifStatusIs expected: PaymentStatus) async throws -> Bool {
        try await !sql.raw(
            """
            UPDATE payment_orders SET status = \(bind: order.status.rawValue), payment_id = \(bind: order.paymentID),
            history = \(bind: try Column.json(order.history)), updated_at = \(bind: Column.instant(now))
            WHERE order_id = \(bind: order.orderID) AND status = \(bind: expected.rawValue)
            RETURNING order_id
            """
        ).all().isEmpty
    }

    /// Claims a `refund-pending` order until `until` unless another claim is still running at `now`.
    /// - Returns: whether this claim got it.
    func claimRefund(orderID: String, until: Date, now: Date) async throws -> Bool {
        try await !sql.raw(
            """
            UPDATE payment_orders SET refund_claimed_until = \(bind: Column.instant(until))
            WHERE order_id = \(bind: orderID) AND status = 'refund-pending'
            AND (refund_claimed_until IS NULL OR refund_claimed_until < \(bind: Column.instant(now)))
            RETURNING order_id
            """
        ).all().isEmpty
    }

    /// Ends a refund claim.
    func releaseRefundClaim(orderID: String) async throws {
        try await sql.raw("UPDATE payment_orders SET refund_claimed_until = NULL WHERE order_id = \(bind: orderID)").run()
    }

    /// Orders still `refund-pending`, least recently updated first.
    func awaitingRefund(limit: Int) async throws -> [String] {
        try await sql.raw("SELECT order_id FROM payment_orders WHERE status = 'refund-pending' ORDER BY updated_at LIMIT \(bind: limit)").all()
            .map { try $0.text("order_id") }
    }

    /// Whether a webhook event with `eventID` was received before.
    func webhookEventSeen(_ eventID: String) async throws -> Bool {
        try await sql.raw("SELECT event_id FROM payment_webhook_events WHERE event_id = \(bind: eventID)").first() != nil
    }

    /// Records a received webhook event (and the order it concerns, when known).
    func recordWebhookEvent(_ eventID: String, orderID: String?, type: String, at now: Date) async throws {
        try await sql.raw(
            "INSERT INTO payment_webhook_events (event_id, order_id, type, received_at) VALUES (\(bind: eventID), \(bind: orderID), \(bind: type), \(bind: Column.instant(now)))"
        ).run()
    }

    /// An order from a `payment_orders` row.
    /// - Throws: ``DatabaseError/failed(_:)`` for a row with a malformed tenant or status.
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
}
