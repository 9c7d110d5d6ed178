import Foundation

/// State of a payment order at the gateway.
public enum PaymentStatus: String, Codable, Sendable, CaseIterable {
    /// Order created, not yet paid.
    case created
    /// Money captured; the appointment is confirmed.
    case captured
    /// The last attempt failed; the order may be paid again.
    case failed
    /// Captured, then the appointment was cancelled: a refund is due.
    case refundPending = "refund-pending"
    /// The gateway reported the refund done.
    case refunded
}

/// One gateway event kept in the appointment's payment history.
public struct PaymentEvent: Codable, Sendable, Equatable {
    /// e.g. `order.created`, `payment.verified`, `payment.captured`, `payment.failed`, `refund.requested`.
    public var type: String
    public var at: Date
    public var paymentID: String?
    public var detail: String?

    public init(type: String, at: Date, paymentID: String?, detail: String?) {
        self.type = type
        self.at = at
        self.paymentID = paymentID
        self.detail = detail
    }

    enum CodingKeys: String, CodingKey { case type, at, paymentID = "paymentId", detail }
}

/// A gateway order for one appointment's fee.
public struct PaymentOrder: Codable, Sendable, Equatable {
    /// Gateway order id, e.g. `order_4f9c…`.
    public var orderID: String
    public var tenantID: TenantID
    public var appointmentID: UUID
    /// Amount in the currency's minor unit (paise), always the doctor's fee as stored by the server.
    public var amount: Int
    public var currency: String
    public var status: PaymentStatus
    public var paymentID: String?
    public var history: [PaymentEvent]
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        orderID: String, tenantID: TenantID, appointmentID: UUID, amount: Int, currency: String, status: PaymentStatus,
        paymentID: String?, history: [PaymentEvent], createdAt: Date, updatedAt: Date
    ) {
        self.orderID = orderID
        self.tenantID = tenantID
        self.appointmentID = appointmentID
        self.amount = amount
        self.currency = currency
        self.status = status
        self.paymentID = paymentID
        self.history = history
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case orderID = "orderId", tenantID = "tenantId", appointmentID = "appointmentId", amount, currency, status
        case paymentID = "paymentId", history, createdAt, updatedAt
    }
}
