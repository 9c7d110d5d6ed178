import Foundation

/// Which payment gateway the service uses and its credentials (API.md "Payments"; the README's configuration table).
///
/// | variable | meaning | default |
/// |---|---|---|
/// | `PAYMENT_GATEWAY` | `sandbox` (development and tests; refused in production) or `razorpay` | `sandbox` outside production; required in production |
/// | `PAYMENT_GATEWAY_URL` | the gateway's API base URL (a double's in tests, staging and rehearsals) | `https://api.razorpay.com` |
/// | `PAYMENT_GATEWAY_TIMEOUT_MS` | deadline of each gateway call, 100–60000 ms | 10000 |
/// | `PAYMENT_KEY_ID`, `PAYMENT_KEY_SECRET` | the gateway's key pair (HTTP Basic, checkout signatures) | development values with the sandbox; required with razorpay |
/// | `PAYMENT_WEBHOOK_SECRET` | the secret of `X-Razorpay-Signature` | development value with the sandbox; required with razorpay |
public struct PaymentGatewayConfiguration: ConfigurationSection {
    public static let variableNames = [
        "PAYMENT_GATEWAY", "PAYMENT_GATEWAY_URL", "PAYMENT_GATEWAY_TIMEOUT_MS", "PAYMENT_KEY_ID", "PAYMENT_KEY_SECRET", "PAYMENT_WEBHOOK_SECRET",
    ]

    public enum Gateway: String, Sendable, CaseIterable { case sandbox, razorpay }

    public var gateway: Gateway
    /// Public key id handed to clients with each order.
    public var keyID: String
    /// Secret for the gateway's API (Basic auth) and checkout signatures (`orderId|paymentId`).
    public var keySecret: String
    /// Secret for webhook body signatures (`X-Razorpay-Signature`).
    public var webhookSecret: String
    /// ISO 4217 currency of all orders.
    public var currency: String
    /// The gateway API's base URL (razorpay only).
    public var baseURL: String
    /// Deadline of each gateway call.
    public var timeout: Duration

    /// Development-only sandbox credentials (also in `Flows/targets.yaml` for the local target).
    public static let developmentKeyID = "rzp_test_sandbox"
    public static let developmentKeySecret = "dev-only-payment-key-secret"
    public static let developmentWebhookSecret = "dev-only-webhook-secret"
    /// Shortest secret accepted for a live gateway (Razorpay's key secrets are 24 characters).
    static let minimumSecretLength = 16

    public init(
        gateway: Gateway, keyID: String, keySecret: String, webhookSecret: String, currency: String = "INR",
        baseURL: String = RazorpayPaymentGateway.defaultBaseURL, timeout: Duration = .seconds(10)
    ) {
        self.gateway = gateway
        self.keyID = keyID
        self.keySecret = keySecret
        self.webhookSecret = webhookSecret
        self.currency = currency
        self.baseURL = baseURL
        self.timeout = timeout
    }

    /// The gateway these settings describe.
    public func makeGateway() -> any PaymentGateway {
        switch gateway {
        case .sandbox: return SandboxPaymentGateway(keyID: keyID, keySecret: keySecret, webhookSecret: webhookSecret)
        case .razorpay:
            return RazorpayPaymentGateway(baseURL: baseURL, keyID: keyID, keySecret: keySecret, webhookSecret: webhookSecret, timeout: timeout)
        }
    }

    /// - Throws: ``ConfigurationError`` naming the variable: an unknown gateway, the sandbox in production, a missing
    ///   or development credential with `razorpay`, a base URL that is not http(s), a timeout out of range.
    public init(_ variables: ConfigurationVariables) throws {
        let production = variables.production
        func value(_ name: String) -> String? { variables.value(name) }
        guard let name = value("PAYMENT_GATEWAY") ?? (production ? nil : "sandbox") else {
            throw ConfigurationError(variable: "PAYMENT_GATEWAY", value: nil, problem: "required in production (razorpay)")
        }
        guard let gateway = Gateway(rawValue: name) else {
            throw ConfigurationError(variable: "PAYMENT_GATEWAY", value: name, problem: "expected sandbox or razorpay")
        }
        if production && gateway == .sandbox {
            throw ConfigurationError(
                variable: "PAYMENT_GATEWAY", value: name, problem: "the sandbox takes no real payments and is refused in production; use razorpay")
        }
        let milliseconds = try variables.integer("PAYMENT_GATEWAY_TIMEOUT_MS", default: 10_000, range: 100...60_000)
        let baseURL = value("PAYMENT_GATEWAY_URL") ?? RazorpayPaymentGateway.defaultBaseURL
        guard let url = URL(string: baseURL), url.scheme == "https" || url.scheme == "http", url.host != nil, url.query == nil else {
            throw ConfigurationError(variable: "PAYMENT_GATEWAY_URL", value: baseURL, problem: "expected an http(s) base URL such as https://api.razorpay.com")
        }
        switch gateway {
        case .sandbox:
            self.init(
                gateway: .sandbox, keyID: value("PAYMENT_KEY_ID") ?? Self.developmentKeyID,
                keySecret: value("PAYMENT_KEY_SECRET") ?? Self.developmentKeySecret,
                webhookSecret: value("PAYMENT_WEBHOOK_SECRET") ?? Self.developmentWebhookSecret,
                baseURL: baseURL, timeout: .milliseconds(milliseconds))
        case .razorpay:
            func secret(_ variable: String, development: String) throws -> String {
                guard let secret = value(variable) else {
                    throw ConfigurationError(variable: variable, value: nil, problem: "required with PAYMENT_GATEWAY=razorpay")
                }
                guard secret != development else {
                    throw ConfigurationError(variable: variable, value: nil, problem: "the development value is refused with a live gateway")
                }
                guard secret.count >= Self.minimumSecretLength else {
                    throw ConfigurationError(variable: variable, value: nil, problem: "must be at least \(Self.minimumSecretLength) characters")
                }
                return secret
            }
            guard let keyID = value("PAYMENT_KEY_ID") else {
                throw ConfigurationError(variable: "PAYMENT_KEY_ID", value: nil, problem: "required with PAYMENT_GATEWAY=razorpay (rzp_live_… or rzp_test_…)")
            }
            guard keyID.hasPrefix("rzp_"), keyID != Self.developmentKeyID else {
                throw ConfigurationError(variable: "PAYMENT_KEY_ID", value: keyID, problem: "expected a Razorpay key id (rzp_live_… or rzp_test_…)")
            }
            if production && url.scheme != "https" && !Self.isLoopback(url) {
                throw ConfigurationError(
                    variable: "PAYMENT_GATEWAY_URL", value: baseURL, problem: "must be https in production (plain http only to a loopback double)")
            }
            self.init(
                gateway: .razorpay, keyID: keyID,
                keySecret: try secret("PAYMENT_KEY_SECRET", development: Self.developmentKeySecret),
                webhookSecret: try secret("PAYMENT_WEBHOOK_SECRET", development: Self.developmentWebhookSecret),
                baseURL: baseURL, timeout: .milliseconds(milliseconds))
        }
    }

    static func isLoopback(_ url: URL) -> Bool {
        ["127.0.0.1", "localhost", "::1", "[::1]"].contains(url.host ?? "")
    }
}
