import BookingCore
import Foundation
import Testing

@Suite("Payment signatures (HMAC-SHA256)")
struct PaymentSignatureTests {
    @Test("RFC 4231 test case 2")
    func knownVector() {
        #expect(
            PaymentSignature.hmacSHA256Hex(secret: "Jefe", message: Data("what do ya want for nothing?".utf8))
                == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test("checkout signature covers orderId|paymentId and verifies case-insensitively")
    func checkout() {
        let signature = PaymentSignature.checkout(orderID: "order_1", paymentID: "pay_1", keySecret: "secret")
        #expect(signature == PaymentSignature.hmacSHA256Hex(secret: "secret", message: Data("order_1|pay_1".utf8)))
        #expect(PaymentSignature.verifyCheckout(orderID: "order_1", paymentID: "pay_1", signature: signature.uppercased(), keySecret: "secret"))
        #expect(!PaymentSignature.verifyCheckout(orderID: "order_1", paymentID: "pay_2", signature: signature, keySecret: "secret"))
        #expect(!PaymentSignature.verifyCheckout(orderID: "order_1", paymentID: "pay_1", signature: signature, keySecret: "other"))
        #expect(!PaymentSignature.verifyCheckout(orderID: "order_1", paymentID: "pay_1", signature: String(signature.dropLast()), keySecret: "secret"))
        #expect(!PaymentSignature.verifyCheckout(orderID: "order_1", paymentID: "pay_1", signature: "", keySecret: "secret"))
    }

    @Test("webhook signature covers the raw body bytes")
    func webhook() {
        let body = Data(#"{"event":"payment.captured"}"#.utf8)
        let signature = PaymentSignature.hmacSHA256Hex(secret: "whsec", message: body)
        #expect(PaymentSignature.verifyWebhook(body: body, signature: signature, webhookSecret: "whsec"))
        #expect(!PaymentSignature.verifyWebhook(body: Data(#"{"event":"payment.captured" }"#.utf8), signature: signature, webhookSecret: "whsec"))
    }

    @Test("constant-time comparison")
    func constantTime() {
        #expect(PaymentSignature.constantTimeEquals("abc", "abc"))
        #expect(!PaymentSignature.constantTimeEquals("abc", "abd"))
        #expect(!PaymentSignature.constantTimeEquals("abc", "abcd"))
        #expect(PaymentSignature.constantTimeEquals("", ""))
    }
}
