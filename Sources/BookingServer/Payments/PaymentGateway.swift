import Foundation

/// The payment gateway the service takes payments through (API.md "Payments"): orders to pay, refunds of captured
/// payments, and what it knows about them for reconciliation. The checkout itself happens between the patient's
/// browser and the gateway; the service verifies what comes back (``verifyCheckout(orderID:paymentID:signature:)``)
/// and the gateway's webhooks (``verifyWebhook(body:signature:)``).
///
/// Two gateways implement it: ``SandboxPaymentGateway`` (development, tests, the local flows; refused in production)
/// and ``RazorpayPaymentGateway`` (Razorpay's REST API, or a double of it at `PAYMENT_GATEWAY_URL`).
public protocol PaymentGateway: Sendable {
    /// `sandbox` or `razorpay`, for logs and metrics.
    var name: String { get }
    /// The public key id the client's checkout needs (handed out with each order).
    var keyID: String { get }

    /// Creates an order to pay `amount` (in paise) with `receipt` as our reference.
    /// - Throws: ``PaymentGatewayError``: `.unavailable` for a timeout, a transport failure or a 5xx (nothing was
    ///   created that we know of), `.rejected` for a 4xx naming the gateway's error code.
    func createOrder(amount: Int, currency: String, receipt: String, notes: [String: String]) async throws(PaymentGatewayError) -> GatewayOrder

    /// Refunds `amount` paise of a captured payment, tagged with `receipt` (our reference, used to find the refund again
    /// when the answer was lost: see ``refunds(ofPayment:)``).
    /// - Throws: ``PaymentGatewayError`` as for ``createOrder(amount:currency:receipt:notes:)``.
    func refund(paymentID: String, amount: Int, receipt: String, notes: [String: String]) async throws(PaymentGatewayError) -> GatewayRefund

    /// Every refund of a payment, for reconciliation before a refund is retried.
    /// - Throws: ``PaymentGatewayError``.
    func refunds(ofPayment paymentID: String) async throws(PaymentGatewayError) -> [GatewayRefund]

    /// Every payment attempt of an order, for reconciliation of a checkout whose answer was lost.
    /// - Throws: ``PaymentGatewayError``.
    func payments(ofOrder orderID: String) async throws(PaymentGatewayError) -> [GatewayPayment]

    /// Whether `signature` is the checkout's proof of payment: HMAC-SHA256 of `orderID|paymentID` with the key secret.
    func verifyCheckout(orderID: String, paymentID: String, signature: String) -> Bool

    /// Whether `signature` (`X-Razorpay-Signature`) is the HMAC-SHA256 of the raw `body` with the webhook secret.
    func verifyWebhook(body: Data, signature: String) -> Bool
}

/// An order as the gateway created it.
public struct GatewayOrder: Sendable, Hashable {
    /// The gateway's order id (`order_…`).
    public var id: String
    /// Amount in paise.
    public var amount: Int
    public var currency: String
    /// Our reference (`receipt`).
    public var receipt: String?
    /// `created`, `attempted` or `paid`.
    public var status: String

    public init(id: String, amount: Int, currency: String, receipt: String?, status: String) {
        self.id = id
        self.amount = amount
        self.currency = currency
        self.receipt = receipt
        self.status = status
    }
}

/// A refund as the gateway reports it.
public struct GatewayRefund: Sendable, Hashable {
    /// The gateway's refund id (`rfnd_…`).
    public var id: String
    public var paymentID: String
    /// Amount in paise.
    public var amount: Int
    /// Our reference given when the refund was created.
    public var receipt: String?
    /// `pending`, `processed` or `failed`.
    public var status: String

    public init(id: String, paymentID: String, amount: Int, receipt: String?, status: String) {
        self.id = id
        self.paymentID = paymentID
        self.amount = amount
        self.receipt = receipt
        self.status = status
    }
}

/// A payment attempt as the gateway reports it.
public struct GatewayPayment: Sendable, Hashable {
    /// The gateway's payment id (`pay_…`).
    public var id: String
    public var orderID: String?
    /// Amount in paise.
    public var amount: Int
    /// `created`, `authorized`, `captured`, `refunded` or `failed`.
    public var status: String

    public init(id: String, orderID: String?, amount: Int, status: String) {
        self.id = id
        self.orderID = orderID
        self.amount = amount
        self.status = status
    }
}

/// Why the gateway could not do what was asked.
public enum PaymentGatewayError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No usable answer: a timeout, a refused connection, a 5xx, or an answer that is not the gateway's JSON. The
    /// request may or may not have taken effect (reconcile before retrying anything that moves money).
    case unavailable(reason: String)
    /// A 4xx: the gateway refused the request, with its error code and description (e.g. `BAD_REQUEST_ERROR`).
    case rejected(status: Int, code: String, description: String)

    public var description: String {
        switch self {
        case .unavailable(let reason): return "payment gateway unavailable: \(reason)"
        case .rejected(let status, let code, let description): return "payment gateway refused the request (\(status) \(code)): \(description)"
        }
    }
}
