import AsyncHTTPClient
import BookingCore
import Foundation
import NIOCore
import NIOHTTP1

/// Razorpay's REST API (https://razorpay.com/docs/api/): orders (`POST /v1/orders`), refunds
/// (`POST /v1/payments/{id}/refund`, `GET /v1/payments/{id}/refunds`) and an order's payments
/// (`GET /v1/orders/{id}/payments`), authenticated with HTTP Basic (key id and key secret), amounts in paise.
///
/// Every call has a deadline (`PAYMENT_GATEWAY_TIMEOUT_MS`); a timeout, a refused connection, a 5xx or an answer
/// that is not Razorpay's JSON is ``PaymentGatewayError/unavailable(reason:)`` — the call may have taken effect, so
/// callers reconcile before they retry anything that moves money. A 4xx is
/// ``PaymentGatewayError/rejected(status:code:description:)`` with Razorpay's error code
/// (`{"error": {"code", "description", …}}`). The base URL (`PAYMENT_GATEWAY_URL`) is Razorpay's public API in
/// production and a loopback double in tests, staging and the deployment rehearsal.
///
/// HTTP client: AsyncHTTPClient's shared client (NIO-native, pooled connections, per-request deadlines). Foundation's
/// URLSession on Linux counts timeouts in whole seconds and has open concurrency bugs (swift-corelibs-foundation), which a
/// service that must answer 503 within a bounded time cannot accept.
public struct RazorpayPaymentGateway: PaymentGateway {
    public let name = "razorpay"
    public let keyID: String
    private let keySecret: String
    private let webhookSecret: String
    /// Base URL without a trailing slash, e.g. `https://api.razorpay.com`.
    public let baseURL: String
    /// Deadline of each call.
    public let timeout: Duration
    private let client: HTTPClient

    /// Razorpay's public API.
    public static let defaultBaseURL = "https://api.razorpay.com"
    /// Largest answer read (Razorpay's collections are paginated far below this).
    static let maximumResponseBytes = 4 << 20

    public init(baseURL: String, keyID: String, keySecret: String, webhookSecret: String, timeout: Duration, client: HTTPClient = .shared) {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.keyID = keyID
        self.keySecret = keySecret
        self.webhookSecret = webhookSecret
        self.timeout = timeout
        self.client = client
    }

    public func createOrder(amount: Int, currency: String, receipt: String, notes: [String: String]) async throws(PaymentGatewayError) -> GatewayOrder {
        let body: [String: Any] = ["amount": amount, "currency": currency, "receipt": receipt, "notes": notes]
        let object = try await call(.POST, "/v1/orders", body: body)
        guard let id = object["id"] as? String else { throw .unavailable(reason: "the order answer has no id") }
        return GatewayOrder(
            id: id, amount: (object["amount"] as? Int) ?? amount, currency: (object["currency"] as? String) ?? currency,
            receipt: object["receipt"] as? String, status: (object["status"] as? String) ?? "created")
    }

    public func refund(paymentID: String, amount: Int, receipt: String, notes: [String: String]) async throws(PaymentGatewayError) -> GatewayRefund {
        let body: [String: Any] = ["amount": amount, "receipt": receipt, "notes": notes, "speed": "normal"]
        let object = try await call(.POST, "/v1/payments/\(Self.pathSegment(paymentID))/refund", body: body)
        guard let refund = Self.refund(from: object) else { throw .unavailable(reason: "the refund answer has no id") }
        return refund
    }

    public func refunds(ofPayment paymentID: String) async throws(PaymentGatewayError) -> [GatewayRefund] {
        let object = try await call(.GET, "/v1/payments/\(Self.pathSegment(paymentID))/refunds?count=100", body: nil)
        return ((object["items"] as? [[String: Any]]) ?? []).compactMap(Self.refund(from:))
    }

    public func payments(ofOrder orderID: String) async throws(PaymentGatewayError) -> [GatewayPayment] {
        let object = try await call(.GET, "/v1/orders/\(Self.pathSegment(orderID))/payments", body: nil)
        return ((object["items"] as? [[String: Any]]) ?? []).compactMap { item in
            guard let id = item["id"] as? String else { return nil }
            return GatewayPayment(
                id: id, orderID: item["order_id"] as? String, amount: (item["amount"] as? Int) ?? 0, status: (item["status"] as? String) ?? "unknown")
        }
    }

    public func verifyCheckout(orderID: String, paymentID: String, signature: String) -> Bool {
        PaymentSignature.verifyCheckout(orderID: orderID, paymentID: paymentID, signature: signature, keySecret: keySecret)
    }

    public func verifyWebhook(body: Data, signature: String) -> Bool {
        PaymentSignature.verifyWebhook(body: body, signature: signature, webhookSecret: webhookSecret)
    }

    /// Sends one request and returns the answer's JSON object, or throws the gateway error it amounts to.
    private func call(_ method: HTTPMethod, _ path: String, body: [String: Any]?) async throws(PaymentGatewayError) -> [String: Any] {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        let credentials = Data("\(keyID):\(keySecret)".utf8).base64EncodedString()
        request.headers.add(name: "Authorization", value: "Basic \(credentials)")
        request.headers.add(name: "Accept", value: "application/json")
        if let body {
            guard let data = try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys]) else {
                throw .unavailable(reason: "the request could not be encoded")
            }
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: data))
        }
        let status: Int
        let bytes: ByteBuffer
        do {
            let response = try await client.execute(request, timeout: TimeAmount(timeout))
            status = Int(response.status.code)
            bytes = try await response.body.collect(upTo: Self.maximumResponseBytes)
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            throw .unavailable(reason: "no answer within \(timeout.milliseconds) ms")
        } catch {
            throw .unavailable(reason: "\(method.rawValue) \(path): \(error)")
        }
        let object = (try? JSONSerialization.jsonObject(with: Data(buffer: bytes))) as? [String: Any]
        switch status {
        case 200..<300:
            guard let object else { throw .unavailable(reason: "\(method.rawValue) \(path) answered \(status) without a JSON object") }
            return object
        case 400..<500:
            let error = object?["error"] as? [String: Any]
            throw .rejected(
                status: status, code: (error?["code"] as? String) ?? "HTTP_\(status)",
                description: (error?["description"] as? String) ?? "no description")
        default:
            throw .unavailable(reason: "\(method.rawValue) \(path) answered \(status)")
        }
    }

    static func refund(from object: [String: Any]) -> GatewayRefund? {
        guard let id = object["id"] as? String else { return nil }
        return GatewayRefund(
            id: id, paymentID: (object["payment_id"] as? String) ?? "", amount: (object["amount"] as? Int) ?? 0,
            receipt: object["receipt"] as? String, status: (object["status"] as? String) ?? "pending")
    }

    /// An id as one path segment (Razorpay's ids are `[A-Za-z0-9_]`; anything else is percent-encoded).
    static func pathSegment(_ id: String) -> String {
        id.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "_-"))) ?? id
    }
}

extension Duration {
    /// Whole milliseconds, for messages.
    var milliseconds: Int64 { components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 }
}
