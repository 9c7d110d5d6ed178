import BookingCore
import Foundation
import Synchronization

/// The built-in gateway for development, tests and the local flows: orders and refunds are made up locally, in the
/// shapes Razorpay gives them, and signatures are checked with the configured secrets exactly as the real gateway's
/// are. Its checkout stand-in (`POST /api/payments/sandbox/checkout`) is mounted only when it is selected, and
/// production refuses it, so a production deployment cannot take fake payments.
///
/// Refunds are created `pending` (as Razorpay's normal-speed refunds are); the gateway's `refund.processed` webhook
/// completes them. They are remembered for the life of the process, so reconciliation finds them.
public final class SandboxPaymentGateway: PaymentGateway {
    public let name = "sandbox"
    public let keyID: String
    private let keySecret: String
    private let webhookSecret: String
    private let issuedRefunds = Mutex<[String: [GatewayRefund]]>([:])

    public init(keyID: String, keySecret: String, webhookSecret: String) {
        self.keyID = keyID
        self.keySecret = keySecret
        self.webhookSecret = webhookSecret
    }

    public func createOrder(amount: Int, currency: String, receipt: String, notes: [String: String]) async throws(PaymentGatewayError) -> GatewayOrder {
        GatewayOrder(id: "order_" + Self.randomToken(), amount: amount, currency: currency, receipt: receipt, status: "created")
    }

    public func refund(paymentID: String, amount: Int, receipt: String, notes: [String: String]) async throws(PaymentGatewayError) -> GatewayRefund {
        let refund = GatewayRefund(id: "rfnd_" + Self.randomToken(), paymentID: paymentID, amount: amount, receipt: receipt, status: "pending")
        issuedRefunds.withLock { $0[paymentID, default: []].append(refund) }
        return refund
    }

    public func refunds(ofPayment paymentID: String) async throws(PaymentGatewayError) -> [GatewayRefund] {
        issuedRefunds.withLock { $0[paymentID] ?? [] }
    }

    public func payments(ofOrder orderID: String) async throws(PaymentGatewayError) -> [GatewayPayment] { [] }

    public func verifyCheckout(orderID: String, paymentID: String, signature: String) -> Bool {
        PaymentSignature.verifyCheckout(orderID: orderID, paymentID: paymentID, signature: signature, keySecret: keySecret)
    }

    public func verifyWebhook(body: Data, signature: String) -> Bool {
        PaymentSignature.verifyWebhook(body: body, signature: signature, webhookSecret: webhookSecret)
    }

    /// The checkout signature the real gateway would hand the browser (for the sandbox checkout stand-in).
    func checkoutSignature(orderID: String, paymentID: String) -> String {
        PaymentSignature.checkout(orderID: orderID, paymentID: paymentID, keySecret: keySecret)
    }

    /// 14 random lower-case letters and digits, the length of Razorpay's ids after the prefix.
    static func randomToken() -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<14).map { _ in alphabet[Int(generator.next(upperBound: UInt32(alphabet.count)))] })
    }
}
