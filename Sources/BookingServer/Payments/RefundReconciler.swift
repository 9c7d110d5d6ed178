import Foundation
import Logging
import ServiceLifecycle

/// Finishes the refunds that could not be made when an appointment was cancelled (the gateway timed out or failed),
/// and those the gateway accepted as `pending` whose `refund.processed` webhook never came: every `interval` it settles
/// each `refund-pending` order through ``PaymentService/settleRefund(orderID:now:)``, which asks the gateway for the
/// payment's refunds before it creates one — so a refund the gateway made while its answer was lost is found, never
/// made twice. Orders are claimed one instance at a time, so several instances can run it side by side.
public struct RefundReconciler: Service {
    let payments: PaymentService
    let interval: Duration
    let logger: Logger

    public init(payments: PaymentService, interval: Duration = .seconds(30), logger: Logger) {
        self.payments = payments
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                if Task.isCancelled { break }
                await reconcileOnce()
            }
        }
    }

    /// One pass over the orders awaiting a refund.
    /// - Returns: how many were settled (refund created or found, or completed) in this pass.
    @discardableResult
    public func reconcileOnce(now: Date = Date()) async -> Int {
        var settled = 0
        do {
            for orderID in try await payments.ordersAwaitingRefund() {
                if let order = try await payments.settleRefund(orderID: orderID, now: now) {
                    settled += 1
                    logger.info("refund reconciled", metadata: ["order_id": "\(orderID)", "status": "\(order.status.rawValue)"])
                }
            }
        } catch {
            logger.warning("refund reconciliation failed; retried at the next pass", metadata: ["error": "\(error)"])
        }
        return settled
    }
}
