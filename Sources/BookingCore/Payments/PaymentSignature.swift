import Crypto
import Foundation

/// The HMAC-SHA256 signatures of the payment gateway (API.md "Payments", modelled on Razorpay).
public enum PaymentSignature {
    /// Lower-case hex HMAC-SHA256 of `message` under `secret`.
    public static func hmacSHA256Hex(secret: String, message: some DataProtocol) -> String {
        let key = SymmetricKey(data: Data(secret.utf8))
        let mac = HMAC<SHA256>.authenticationCode(for: message, using: key)
        return mac.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// The checkout signature: hex HMAC-SHA256 of `orderId + "|" + paymentId` with the key secret.
    public static func checkout(orderID: String, paymentID: String, keySecret: String) -> String {
        hmacSHA256Hex(secret: keySecret, message: Data("\(orderID)|\(paymentID)".utf8))
    }

    /// Whether `signature` is the checkout signature of `orderID`/`paymentID`; compared in constant time.
    public static func verifyCheckout(orderID: String, paymentID: String, signature: String, keySecret: String) -> Bool {
        constantTimeEquals(checkout(orderID: orderID, paymentID: paymentID, keySecret: keySecret), signature.lowercased())
    }

    /// Whether `signature` (header `X-Razorpay-Signature`) is the hex HMAC-SHA256 of the raw webhook body
    /// under the webhook secret; compared in constant time.
    public static func verifyWebhook(body: some DataProtocol, signature: String, webhookSecret: String) -> Bool {
        constantTimeEquals(hmacSHA256Hex(secret: webhookSecret, message: body), signature.lowercased())
    }

    /// Compares two strings without an early exit on the first difference.
    public static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        var difference = UInt8(x.count == y.count ? 0 : 1)
        for index in 0..<max(x.count, y.count) {
            let p = index < x.count ? x[index] : 0
            let q = index < y.count ? y[index] : 0
            difference |= p ^ q
        }
        return difference == 0
    }
}
