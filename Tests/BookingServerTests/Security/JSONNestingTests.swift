import BookingServer
import Foundation
import IllajwalaTesting
import Testing

@Suite("JSON nesting depth is checked before decoding")
struct JSONNestingTests {
    static func nested(_ depth: Int) -> String {
        String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
    }

    @Test("the byte scanner counts arrays and objects, ignores brackets inside strings and escapes")
    func scanner() {
        #expect(!JSONNesting.exceeds(in: Data(Self.nested(32).utf8)))
        #expect(JSONNesting.exceeds(in: Data(Self.nested(33).utf8)))
        #expect(!JSONNesting.exceeds(2, in: Data(#"{"a":{"b":"[[[[{{{{\"]]"}}"#.utf8)))
        #expect(JSONNesting.exceeds(2, in: Data(#"{"a":[{"b":1}]}"#.utf8)))
    }

    @Test("a body nested deeper than 32 levels is 400 VALIDATION_ERROR naming body — even 100000 levels, without a crash — and nothing is written")
    func deepBodies() async throws {
        try await withSeededServer(.sqlite) { _, client in
            let patient = try await client.newPatient()
            for depth in [33, 100_000] {
                let body = #"{"name":"Deep","medicalHistory":"# + Self.nested(depth) + "}"
                let response = try await patient.send("PUT", "/api/patients/me", rawBody: Data(body.utf8), contentType: "application/json")
                #expect(response.status == 400, "depth \(depth)")
                #expect(response.apiError?.error.code == "VALIDATION_ERROR")
                #expect(response.apiError?.error.details?["body"]?.contains("deeper than 32") == true)
            }
            let me = try await patient.send("GET", "/api/patients/me")
            #expect(String(decoding: me.body, as: UTF8.self).contains(#""name":"Test Patient""#))
            // The signed webhook route reads raw bytes; it is guarded the same way.
            let webhook = try await client.send(
                "POST", "/api/payments/webhook", rawBody: Data(Self.nested(5_000).utf8), contentType: "application/json")
            #expect(webhook.status == 400)
        }
    }
}
