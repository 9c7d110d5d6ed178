extension Migration {
    /// A refund in progress is claimed by one service instance at a time (``PaymentService/settleRefund(orderID:now:)``):
    /// `refund_claimed_until` is BIGINT milliseconds since the Unix epoch, NULL when nobody holds it. Expand-only (a new
    /// nullable column), so a release without it keeps working on the new schema.
    static let refundClaims = Migration(
        version: 3, name: "refund_claims",
        up: [
            "ALTER TABLE payment_orders ADD COLUMN refund_claimed_until BIGINT",
            "CREATE INDEX payment_orders_by_status ON payment_orders (status)",
        ],
        down: [
            "DROP INDEX payment_orders_by_status",
            "ALTER TABLE payment_orders DROP COLUMN refund_claimed_until",
        ])
}
