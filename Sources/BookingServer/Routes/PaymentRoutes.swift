import BookingCore
import Foundation
import Hummingbird

/// `/api/payments*` (API.md "Payments").
struct PaymentRoutes {
    let payments: PaymentService
    let metrics: ServiceMetrics
    /// Whether the sandbox checkout stand-in is mounted (never in production).
    let sandbox: Bool

    struct OrderBody: StrictBody {
        static let fields: Set<String> = ["appointmentId"]
        var appointmentId: UUID
    }

    struct VerifyBody: StrictBody {
        static let fields: Set<String> = ["orderId", "paymentId", "signature"]
        static let maxLengths: [String: Int] = ["orderId": 64, "paymentId": 64, "signature": 128]
        var orderId: String
        var paymentId: String
        var signature: String
    }

    struct CheckoutBody: StrictBody {
        static let fields: Set<String> = ["orderId", "outcome"]
        static let maxLengths: [String: Int] = ["orderId": 64]
        enum Outcome: String, Decodable, Sendable { case success, failure }
        var orderId: String
        var outcome: Outcome
    }

    struct WebhookAck: Encodable, Sendable {
        var received: Bool
        var duplicate: Bool
    }

    func register(on router: Router<AppRequestContext>) {
        router.post("api/payments") { request, context in
            let identity = try context.require(.patient)
            let body = try await JSONBodyReader.decode(OrderBody.self, from: request, context: context)
            return try ResponseBuilder.success(try await payments.createOrder(identity, appointmentID: body.appointmentId), status: .created)
        }
        router.post("api/payments/verify") { request, context in
            let identity = try context.require(.patient)
            let body = try await JSONBodyReader.decode(VerifyBody.self, from: request, context: context)
            do {
                let verified = try await payments.verify(identity, orderID: body.orderId, paymentID: body.paymentId, signature: body.signature)
                metrics.paymentVerification(.captured)
                return try ResponseBuilder.success(verified)
            } catch let error as ValidationError {
                metrics.paymentVerification(.rejected)
                throw error
            }
        }
        router.post("api/payments/webhook") { request, context in
            let body = try await JSONBodyReader.raw(request, context: context)
            let isNew: Bool
            do {
                isNew = try await payments.webhook(
                    body: body, signature: request.headers[.init("X-Razorpay-Signature")!],
                    eventIDHeader: request.headers[.init("X-Razorpay-Event-Id")!])
            } catch let error as ValidationError {
                metrics.paymentWebhook(.rejected)
                throw error
            }
            metrics.paymentWebhook(isNew ? Self.outcome(ofWebhook: body) : .duplicate)
            return try ResponseBuilder.success(WebhookAck(received: true, duplicate: !isNew))
        }
        if sandbox {
            router.post("api/payments/sandbox/checkout") { request, context in
                let identity = try context.require(.patient)
                let body = try await JSONBodyReader.decode(CheckoutBody.self, from: request, context: context)
                return try ResponseBuilder.success(
                    try await payments.sandboxCheckout(identity, orderID: body.orderId, succeed: body.outcome == .success))
            }
        }
    }

    /// The metrics outcome of an accepted webhook, from its `event` (API.md "Payments").
    static func outcome(ofWebhook body: Data) -> ServiceMetrics.PaymentOutcome {
        let event = (try? JSONSerialization.jsonObject(with: body) as? [String: Any])?["event"] as? String
        switch event {
        case "payment.failed": return .failed
        case "refund.processed": return .refunded
        default: return .captured
        }
    }
}
