import APITransport
import BookingCore
import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// A loopback stand-in for Razorpay's REST API, for tests, flow targets and rehearsals that cannot reach the real
/// gateway. It implements what the service calls, as Razorpay documents it (https://razorpay.com/docs/api/):
///
/// - `POST /v1/orders` — `{amount (paise, ≥ 100), currency (INR), receipt (≤ 40 characters), notes}` → an order
///   entity `{id: "order_…", entity: "order", amount, amount_paid, amount_due, currency, receipt, status: "created",
///   attempts, notes, created_at}`;
/// - `POST /v1/payments/{id}/refund` — `{amount, receipt, notes, speed}` → a refund entity `{id: "rfnd_…",
///   entity: "refund", amount, currency, payment_id, receipt, status: "pending", …}`, refused (400) for a payment that
///   is not captured or when the refunds would exceed the payment;
/// - `GET /v1/payments/{id}/refunds` and `GET /v1/orders/{id}/payments` — collections `{entity: "collection",
///   count, items}`.
///
/// Every call must carry HTTP Basic credentials of the configured key pair (else 401); errors use Razorpay's envelope
/// `{"error": {"code", "description", "source", "step", "reason", "metadata", "field"}}`. Every request is recorded
/// (``received``) so tests can check what the service sent, and faults can be injected per operation
/// (``inject(_:into:times:)``): a 5xx, a 4xx with a code, a delay past the caller's deadline, a late answer, or the
/// operation done and its answer then delayed (the case that makes a naive retry refund twice).
///
/// Two control routes stand in for Razorpay's browser checkout (not part of its API, prefixed `/_double/`):
/// `POST /_double/checkout {orderId, outcome: success|failure}` answers like the service's sandbox checkout
/// (`{success, data: {orderId, outcome, paymentId, signature, reason}}`) after recording the payment — and, for a
/// declined payment when a webhook URL is set, sends the signed `payment.failed` webhook Razorpay would;
/// `GET /_double/requests` lists what was received.
public final class RazorpayDouble: Sendable {
    /// An operation of the API, for fault injection and the record.
    public enum Operation: String, Sendable, CaseIterable {
        case createOrder = "create_order", refund, listRefunds = "list_refunds", listPayments = "list_payments"
    }

    /// What an injected fault does to the next call(s) of an operation.
    public enum Fault: Sendable, Equatable {
        /// Answer 5xx with Razorpay's `SERVER_ERROR` envelope; nothing is done.
        case serverError(status: Int)
        /// Answer 4xx with this code and description; nothing is done.
        case reject(status: Int, code: String, description: String)
        /// Wait this long, then answer normally (the operation is done when the answer is sent).
        case delay(Duration)
        /// Do the operation at once, then wait this long before answering (a caller that gave up never learns it).
        case succeedThenDelay(Duration)
    }

    /// One request as received.
    public struct ReceivedRequest: Sendable, Hashable {
        public var method: String
        public var path: String
        public var authorized: Bool
        public var body: String
    }

    /// Base URL to give the service as `PAYMENT_GATEWAY_URL`, e.g. `http://127.0.0.1:54321`.
    public let baseURL: URL
    public let keyID: String
    public let keySecret: String
    public let webhookSecret: String
    private let state: Mutex<State>
    private let task: Task<Void, any Error>
    private let group: ServiceGroup

    struct State {
        var orders: [String: [String: JSONField]] = [:]
        var payments: [String: [String: JSONField]] = [:]
        var refunds: [String: [[String: JSONField]]] = [:]
        var faults: [Operation: [Fault]] = [:]
        var received: [ReceivedRequest] = []
        var webhookURL: URL?
    }

    private init(baseURL: URL, keyID: String, keySecret: String, webhookSecret: String, task: Task<Void, any Error>, group: ServiceGroup) {
        self.baseURL = baseURL
        self.keyID = keyID
        self.keySecret = keySecret
        self.webhookSecret = webhookSecret
        self.state = Mutex(State())
        self.task = task
        self.group = group
    }

    /// Starts the double on a free loopback port.
    /// - Parameters:
    ///   - keyID, keySecret: the key pair the service must present (HTTP Basic) and that signs checkouts.
    ///   - webhookSecret: signs the webhooks the double sends (``setWebhookURL(_:)``).
    ///   - port: 0 for a free port.
    /// - Throws: when the listener cannot be bound.
    public static func start(
        keyID: String = "rzp_test_double0000", keySecret: String = "double-key-secret-0123456789",
        webhookSecret: String = "double-webhook-secret-0123456789", port: Int = 0, logger: Logger = Logger(label: "razorpay-double")
    ) async throws -> RazorpayDouble {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let router = Router()
        let holder = Holder()
        Self.routes(router, keyID: keyID, keySecret: keySecret, webhookSecret: webhookSecret, holder: holder)
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: nil),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: logger)
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        let task = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        guard let bound = await iterator.next() else {
            task.cancel()
            throw RazorpayDoubleError(message: "the Razorpay double did not start")
        }
        let double = RazorpayDouble(
            baseURL: URL(string: "http://127.0.0.1:\(bound)")!, keyID: keyID, keySecret: keySecret, webhookSecret: webhookSecret,
            task: task, group: group)
        holder.double.withLock { $0 = double }
        return double
    }

    /// Stops the listener.
    public func stop() async {
        await group.triggerGracefulShutdown()
        _ = await task.result
    }

    /// Where the double sends the webhooks Razorpay would (the service's `/api/payments/webhook`), or `nil` for none.
    public func setWebhookURL(_ url: URL?) {
        state.withLock { $0.webhookURL = url }
    }

    /// The next `times` calls of `operation` meet `fault`.
    public func inject(_ fault: Fault, into operation: Operation, times: Int = 1) {
        state.withLock { $0.faults[operation, default: []] += Array(repeating: fault, count: times) }
    }

    /// Every request received so far, oldest first.
    public var received: [ReceivedRequest] { state.withLock { $0.received } }

    /// The refunds made of a payment.
    public func refunds(ofPayment paymentID: String) -> [[String: JSONField]] { state.withLock { $0.refunds[paymentID] ?? [] } }

    /// The orders created so far.
    public var orderCount: Int { state.withLock { $0.orders.count } }

    /// Pays an order as the browser checkout would: records a captured payment and returns its id and the checkout
    /// signature (HMAC-SHA256 of `order_id|payment_id` with the key secret).
    /// - Throws: when the order does not exist.
    public func pay(orderID: String) throws -> (paymentID: String, signature: String) {
        let paymentID = "pay_" + Self.token()
        try state.withLock { state in
            guard let order = state.orders[orderID] else { throw RazorpayDoubleError(message: "no order \(orderID)") }
            state.payments[paymentID] = [
                "id": .string(paymentID), "entity": .string("payment"), "amount": order["amount"] ?? .int(0), "currency": .string("INR"),
                "status": .string("captured"), "order_id": .string(orderID), "amount_refunded": .int(0), "captured": .bool(true),
                "created_at": .int(Int(Date().timeIntervalSince1970)),
            ]
            state.orders[orderID]?["status"] = .string("paid")
        }
        return (paymentID, PaymentSignature.checkout(orderID: orderID, paymentID: paymentID, keySecret: keySecret))
    }

    // MARK: Routes

    /// Gives the routes the double once it exists (routes are built before the server starts).
    final class Holder: Sendable {
        let double = Mutex<RazorpayDouble?>(nil)
        var value: RazorpayDouble? { double.withLock { $0 } }
    }

    private static func routes(_ router: Router<BasicRequestContext>, keyID: String, keySecret: String, webhookSecret: String, holder: Holder) {
        let expected = "Basic " + Data("\(keyID):\(keySecret)".utf8).base64EncodedString()
        @Sendable func api(
            _ operation: Operation, _ request: Request, _ context: BasicRequestContext,
            _ handle: @escaping @Sendable (RazorpayDouble, Data) throws(DoubleError) -> [String: JSONField]
        ) async throws -> Response {
            let body = try await request.body.collect(upTo: 1 << 20)
            let data = Data(buffer: body)
            guard let double = holder.value else { return Self.error(503, "SERVER_ERROR", "starting") }
            let authorized = request.headers[.authorization] == expected
            double.state.withLock {
                $0.received.append(
                    ReceivedRequest(
                        method: request.method.rawValue, path: request.uri.path + (request.uri.query.map { "?" + $0 } ?? ""),
                        authorized: authorized, body: String(decoding: data, as: UTF8.self)))
            }
            guard authorized else { return Self.error(401, "BAD_REQUEST_ERROR", "The api key provided is invalid") }
            let fault = double.state.withLock { state -> Fault? in
                guard var queue = state.faults[operation], !queue.isEmpty else { return nil }
                let first = queue.removeFirst()
                state.faults[operation] = queue
                return first
            }
            switch fault {
            case .serverError(let status)?:
                return Self.error(status, "SERVER_ERROR", "We are facing some trouble completing your request at the moment. Please try again shortly.")
            case .reject(let status, let code, let description)?:
                return Self.error(status, code, description)
            case .delay(let duration)?:
                try? await Task.sleep(for: duration)
            case .succeedThenDelay, nil:
                break
            }
            let answer: Response
            do {
                answer = Self.json(200, try handle(double, data))
            } catch {
                answer = Self.error(error.status, error.code, error.description, field: error.field)
            }
            if case .succeedThenDelay(let duration)? = fault { try? await Task.sleep(for: duration) }
            return answer
        }
        router.post("v1/orders") { request, context in
            try await api(.createOrder, request, context) { double, body throws(DoubleError) in try double.createOrder(body) }
        }
        router.post("v1/payments/:id/refund") { request, context in
            let id = context.parameters.get("id") ?? ""
            return try await api(.refund, request, context) { double, body throws(DoubleError) in try double.refund(paymentID: id, body) }
        }
        router.get("v1/payments/:id/refunds") { request, context in
            let id = context.parameters.get("id") ?? ""
            return try await api(.listRefunds, request, context) { double, _ throws(DoubleError) in
                let items = double.refunds(ofPayment: id)
                return ["entity": .string("collection"), "count": .int(items.count), "items": .array(items.map(JSONField.object))]
            }
        }
        router.get("v1/orders/:id/payments") { request, context in
            let id = context.parameters.get("id") ?? ""
            return try await api(.listPayments, request, context) { double, _ throws(DoubleError) in
                let items = double.state.withLock { state in state.payments.values.filter { $0["order_id"] == .string(id) } }
                return ["entity": .string("collection"), "count": .int(items.count), "items": .array(items.map(JSONField.object))]
            }
        }
        router.post("_double/checkout") { request, context in
            let body = try await request.body.collect(upTo: 1 << 16)
            guard let double = holder.value,
                let object = (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any],
                let orderID = object["orderId"] as? String, let outcome = object["outcome"] as? String, outcome == "success" || outcome == "failure"
            else {
                return Self.json(
                    400,
                    [
                        "success": .bool(false),
                        "error": .object(["code": .string("VALIDATION_ERROR"), "message": .string("orderId and outcome (success|failure) are required")]),
                    ])
            }
            return await double.checkout(orderID: orderID, succeed: outcome == "success")
        }
        router.get("_double/requests") { _, _ in
            let received = holder.value?.received ?? []
            return Self.json(
                200,
                ["requests": .array(received.map { .object(["method": .string($0.method), "path": .string($0.path), "authorized": .bool($0.authorized)]) })])
        }
    }

    // MARK: Operations

    struct DoubleError: Error {
        var status: Int
        var code = "BAD_REQUEST_ERROR"
        var description: String
        var field: String?
    }

    private func createOrder(_ body: Data) throws(DoubleError) -> [String: JSONField] {
        guard let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] else {
            throw DoubleError(status: 400, description: "The request body is not valid JSON")
        }
        guard let amount = object["amount"] as? Int, amount >= 100 else {
            throw DoubleError(status: 400, description: "The amount must be at least INR 1.00", field: "amount")
        }
        guard (object["currency"] as? String) == "INR" else {
            throw DoubleError(status: 400, description: "The currency provided is invalid", field: "currency")
        }
        let receipt = object["receipt"] as? String
        if let receipt, receipt.count > 40 {
            throw DoubleError(status: 400, description: "The receipt may not be greater than 40 characters", field: "receipt")
        }
        let id = "order_" + Self.token()
        let order: [String: JSONField] = [
            "id": .string(id), "entity": .string("order"), "amount": .int(amount), "amount_paid": .int(0), "amount_due": .int(amount),
            "currency": .string("INR"), "receipt": receipt.map(JSONField.string) ?? .null, "status": .string("created"), "attempts": .int(0),
            "notes": .object(((object["notes"] as? [String: String]) ?? [:]).mapValues(JSONField.string)),
            "created_at": .int(Int(Date().timeIntervalSince1970)),
        ]
        state.withLock { $0.orders[id] = order }
        return order
    }

    private func refund(paymentID: String, _ body: Data) throws(DoubleError) -> [String: JSONField] {
        let object = ((try? JSONSerialization.jsonObject(with: body)) as? [String: Any]) ?? [:]
        return try state.withLock { state throws(DoubleError) in
            guard let payment = state.payments[paymentID] else {
                throw DoubleError(status: 400, description: "The id provided does not exist", field: "payment_id")
            }
            guard payment["status"] == .string("captured"), case .int(let paid)? = payment["amount"] else {
                throw DoubleError(status: 400, description: "The payment has not been captured")
            }
            let refunded = (state.refunds[paymentID] ?? []).reduce(0) { sum, refund in
                if case .int(let amount)? = refund["amount"] { return sum + amount }
                return sum
            }
            let amount = (object["amount"] as? Int) ?? (paid - refunded)
            guard amount > 0, refunded + amount <= paid else {
                throw DoubleError(status: 400, description: "The total refund amount is greater than the refund payment amount", field: "amount")
            }
            let refund: [String: JSONField] = [
                "id": .string("rfnd_" + Self.token()), "entity": .string("refund"), "amount": .int(amount), "currency": .string("INR"),
                "payment_id": .string(paymentID), "receipt": (object["receipt"] as? String).map(JSONField.string) ?? .null,
                "notes": .object(((object["notes"] as? [String: String]) ?? [:]).mapValues(JSONField.string)),
                "status": .string("pending"), "speed_requested": .string((object["speed"] as? String) ?? "normal"),
                "created_at": .int(Int(Date().timeIntervalSince1970)),
            ]
            state.refunds[paymentID, default: []].append(refund)
            return refund
        }
    }

    private func checkout(orderID: String, succeed: Bool) async -> Response {
        guard state.withLock({ $0.orders[orderID] }) != nil else {
            return Self.json(404, ["success": .bool(false), "error": .object(["code": .string("NOT_FOUND"), "message": .string("payment order not found")])])
        }
        if succeed, let paid = try? pay(orderID: orderID) {
            // Like a merchant subscribed to payment.failed only: a success reaches the service through the checkout's
            // signature (POST /api/payments/verify), as the flows and the service's contract expect.
            return Self.json(
                200,
                [
                    "success": .bool(true),
                    "data": .object([
                        "orderId": .string(orderID), "outcome": .string("success"), "paymentId": .string(paid.paymentID), "signature": .string(paid.signature),
                    ]),
                ])
        }
        let paymentID = "pay_" + Self.token()
        state.withLock { state in
            state.payments[paymentID] = [
                "id": .string(paymentID), "entity": .string("payment"), "status": .string("failed"), "order_id": .string(orderID),
                "error_code": .string("BAD_REQUEST_ERROR"), "error_description": .string("Payment failed: card declined"),
            ]
        }
        await sendWebhook(
            event: "payment.failed",
            payment: [
                "id": paymentID, "order_id": orderID, "status": "failed", "error_description": "Payment failed: card declined",
            ])
        return Self.json(
            200,
            [
                "success": .bool(true),
                "data": .object([
                    "orderId": .string(orderID), "outcome": .string("failure"), "paymentId": .string(paymentID), "reason": .string("card declined"),
                ]),
            ])
    }

    /// Sends a signed webhook in Razorpay's event shape to the configured URL (waits for the answer, ignores it).
    private func sendWebhook(event: String, payment: [String: String]) async {
        guard let url = state.withLock({ $0.webhookURL }) else { return }
        let entity = payment.mapValues(JSONField.string).merging(["entity": .string("payment")]) { first, _ in first }
        let body: JSONField = .object([
            "entity": .string("event"), "account_id": .string("acc_double"), "event": .string(event), "contains": .array([.string("payment")]),
            "payload": .object(["payment": .object(["entity": .object(entity)])]), "created_at": .int(Int(Date().timeIntervalSince1970)),
        ])
        let data = Data(body.text.utf8)
        _ = try? await HTTPTransport(timeout: .seconds(5)).send(
            APIRequest(
                method: "POST", url: url,
                headers: [
                    ("Content-Type", "application/json"),
                    ("X-Razorpay-Signature", PaymentSignature.hmacSHA256Hex(secret: webhookSecret, message: data)),
                    ("X-Razorpay-Event-Id", "evt_" + Self.token()),
                ], body: data))
    }

    // MARK: Helpers

    static func token() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<14).map { _ in alphabet[Int(generator.next(upperBound: UInt32(alphabet.count)))] })
    }

    static func json(_ status: Int, _ object: [String: JSONField]) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(
            status: .init(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(string: JSONField.object(object).text)))
    }

    static func error(_ status: Int, _ code: String, _ description: String, field: String? = nil) -> Response {
        json(
            status,
            [
                "error": .object([
                    "code": .string(code), "description": .string(description), "source": .string(status >= 500 ? "internal" : "business"),
                    "step": .string("payment_initiation"), "reason": .string(status >= 500 ? "server_error" : "input_validation_failed"),
                    "metadata": .object([:]), "field": field.map(JSONField.string) ?? .null,
                ])
            ])
    }
}

/// The double failed to start or was asked about something it does not have.
public struct RazorpayDoubleError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// A JSON value as the double stores and writes it (integers exact, keys sorted).
public indirect enum JSONField: Sendable, Hashable {
    case null, bool(Bool), int(Int), string(String), array([JSONField]), object([String: JSONField])

    /// Compact JSON text with sorted keys.
    public var text: String {
        switch self {
        case .null: return "null"
        case .bool(let value): return value ? "true" : "false"
        case .int(let value): return String(value)
        case .string(let value):
            let data = (try? JSONSerialization.data(withJSONObject: [value], options: [.withoutEscapingSlashes])) ?? Data("[\"\"]".utf8)
            return String(decoding: data.dropFirst().dropLast(), as: UTF8.self)
        case .array(let values): return "[" + values.map(\.text).joined(separator: ",") + "]"
        case .object(let members):
            return "{" + members.keys.sorted().map { JSONField.string($0).text + ":" + members[$0]!.text }.joined(separator: ",") + "}"
        }
    }
}
