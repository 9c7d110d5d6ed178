/// Credentials of the payment gateway (API.md "Payments").
///
/// Only the built-in sandbox gateway exists in this build: it signs like the real gateway, with the
/// configured secrets, and its checkout stand-in route is mounted only when it is selected. Production
/// refuses the sandbox, so a production deployment cannot take fake payments.
public struct PaymentGatewayConfiguration: Sendable {
    public enum Gateway: String, Sendable { case sandbox }

    public var gateway: Gateway
    /// Public key id handed to clients with each order.
    public var keyID: String
    /// Secret for checkout signatures (`orderId|paymentId`).
    public var keySecret: String
    /// Secret for webhook body signatures (`X-Razorpay-Signature`).
    public var webhookSecret: String
    /// ISO 4217 currency of all orders.
    public var currency: String

    /// Development-only sandbox credentials (also in `Flows/targets.yaml` for the local target).
    public static let developmentKeyID = "rzp_test_sandbox"
    public static let developmentKeySecret = "dev-only-payment-key-secret"
    public static let developmentWebhookSecret = "dev-only-webhook-secret"

    public init(gateway: Gateway, keyID: String, keySecret: String, webhookSecret: String, currency: String = "INR") {
        self.gateway = gateway
        self.keyID = keyID
        self.keySecret = keySecret
        self.webhookSecret = webhookSecret
        self.currency = currency
    }

    /// - Throws: ``ConfigurationError`` for an unknown gateway, or the sandbox in production.
    init(variables: [String: String], production: Bool) throws {
        func value(_ name: String) -> String? {
            guard let raw = variables[name], !raw.isEmpty else { return nil }
            return raw
        }
        let name = value("PAYMENT_GATEWAY") ?? "sandbox"
        guard let gateway = Gateway(rawValue: name) else {
            throw ConfigurationError(variable: "PAYMENT_GATEWAY", value: name, problem: "expected sandbox")
        }
        if production {
            throw ConfigurationError(
                variable: "PAYMENT_GATEWAY", value: name,
                problem: "the sandbox gateway is refused in production and no live gateway is configured")
        }
        self.init(
            gateway: gateway,
            keyID: value("PAYMENT_KEY_ID") ?? Self.developmentKeyID,
            keySecret: value("PAYMENT_KEY_SECRET") ?? Self.developmentKeySecret,
            webhookSecret: value("PAYMENT_WEBHOOK_SECRET") ?? Self.developmentWebhookSecret)
    }
}
