import BookingServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import IllajwalaTesting
import Testing

@Suite("Security headers (Helmet's defaults for a JSON API)")
struct SecurityHeadersTests {
    static let expected: [String: String] = [
        "content-security-policy": SecurityHeadersMiddleware.contentSecurityPolicy,
        "cross-origin-opener-policy": "same-origin",
        "cross-origin-resource-policy": "same-origin",
        "origin-agent-cluster": "?1",
        "referrer-policy": "no-referrer",
        "x-content-type-options": "nosniff",
        "x-dns-prefetch-control": "off",
        "x-download-options": "noopen",
        "x-frame-options": "SAMEORIGIN",
        "x-permitted-cross-domain-policies": "none",
        "x-xss-protection": "0",
    ]

    @Test("every response of the live service carries them — success, error, unknown route; no Server header; no HSTS outside production")
    func liveService() async throws {
        try await withSeededServer(.sqlite) { _, client in
            for (method, path) in [("GET", "/health/live"), ("GET", "/api/doctors"), ("GET", "/api/nope"), ("POST", "/api/auth/login")] {
                let response = try await client.send(method, path)
                for (name, value) in Self.expected {
                    #expect(response.header(name) == value, "\(method) \(path) \(response.status): \(name)")
                }
                #expect(response.header("server") == nil && response.header("x-powered-by") == nil)
                #expect(response.header("strict-transport-security") == nil, "HSTS only in production")
            }
        }
    }

    @Test("credentialed requests are answered with Cache-Control: no-store; anonymous ones are not forced")
    func noStore() async throws {
        try await withSeededServer(.sqlite) { _, client in
            let patient = try await client.newPatient()
            #expect(try await patient.send("GET", "/api/patients/me").header("cache-control") == "no-store")
            #expect(try await client.send("GET", "/health/live").header("cache-control") == nil)
        }
    }

    @Test("production adds Strict-Transport-Security (RFC 6797) for a year with subdomains")
    func hstsInProduction() async throws {
        let router = Router(context: AppRequestContext.self)
        router.add(middleware: SecurityHeadersMiddleware(production: true))
        router.get("/x") { _, _ in "ok" }
        try await Application(router: router).test(.router) { client in
            try await client.execute(uri: "/x", method: .get) { response in
                #expect(response.headers[HTTPField.Name("Strict-Transport-Security")!] == "max-age=31536000; includeSubDomains")
                #expect(response.headers[.xContentTypeOptions] == "nosniff")
            }
        }
    }
}
