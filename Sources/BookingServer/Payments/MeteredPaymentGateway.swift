import Foundation

/// Wraps a gateway so that every call is measured: `payment_gateway_request_duration_seconds{operation}` and
/// `payment_gateway_requests_total{operation,outcome}` (outcome `ok`, `unavailable` or `rejected`) on `/metrics`,
/// the numbers the gateway-outage alert and the dashboard read.
public struct MeteredPaymentGateway: PaymentGateway {
    public let base: any PaymentGateway
    let metrics: ServiceMetrics

    public init(_ base: any PaymentGateway, metrics: ServiceMetrics) {
        self.base = base
        self.metrics = metrics
    }

    public var name: String { base.name }
    public var keyID: String { base.keyID }

    public func createOrder(amount: Int, currency: String, receipt: String, notes: [String: String]) async throws(PaymentGatewayError) -> GatewayOrder {
        try await measure("create_order") { () async throws(PaymentGatewayError) in
            try await base.createOrder(amount: amount, currency: currency, receipt: receipt, notes: notes)
        }
    }

    public func refund(paymentID: String, amount: Int, receipt: String, notes: [String: String]) async throws(PaymentGatewayError) -> GatewayRefund {
        try await measure("refund") { () async throws(PaymentGatewayError) in
            try await base.refund(paymentID: paymentID, amount: amount, receipt: receipt, notes: notes)
        }
    }

    public func refunds(ofPayment paymentID: String) async throws(PaymentGatewayError) -> [GatewayRefund] {
        try await measure("list_refunds") { () async throws(PaymentGatewayError) in try await base.refunds(ofPayment: paymentID) }
    }

    public func payments(ofOrder orderID: String) async throws(PaymentGatewayError) -> [GatewayPayment] {
        try await measure("list_payments") { () async throws(PaymentGatewayError) in try await base.payments(ofOrder: orderID) }
    }

    public func verifyCheckout(orderID: String, paymentID: String, signature: String) -> Bool {
        base.verifyCheckout(orderID: orderID, paymentID: paymentID, signature: signature)
    }

    public func verifyWebhook(body: Data, signature: String) -> Bool {
        base.verifyWebhook(body: body, signature: signature)
    }

    private func measure<T>(_ operation: String, _ body: () async throws(PaymentGatewayError) -> T) async throws(PaymentGatewayError) -> T {
        let started = ContinuousClock.now
        do {
            let result = try await body()
            metrics.recordGatewayCall(operation: operation, outcome: "ok", seconds: started.duration(to: .now).seconds)
            return result
        } catch {
            let outcome: String
            switch error {
            case .unavailable: outcome = "unavailable"
            case .rejected: outcome = "rejected"
            }
            metrics.recordGatewayCall(operation: operation, outcome: outcome, seconds: started.duration(to: .now).seconds)
            throw error
        }
    }
}
