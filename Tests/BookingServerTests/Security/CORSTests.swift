import BookingServer
import Foundation
import IllajwalaTesting
import Testing

@Suite("CORS: only configured origins, credentials only for them, preflight handled")
struct CORSTests {
    static let environment = ["CORS_ALLOWED_ORIGINS": "https://app.illajwala.test, http://localhost:3000"]

    @Test("a listed origin gets its own origin back with credentials and the exposed headers; an unlisted one gets nothing")
    func simpleRequests() async throws {
        try await LiveServer.withServer(environment: Self.environment) { server in
            let client = APIClient(baseURL: server.baseURL)
            let allowed = try await client.send("GET", "/health/live", headers: [("Origin", "https://app.illajwala.test")])
            #expect(allowed.header("access-control-allow-origin") == "https://app.illajwala.test")
            #expect(allowed.header("access-control-allow-credentials") == "true")
            #expect(allowed.header("access-control-expose-headers")?.contains("X-Request-Id") == true)
            #expect(allowed.header("vary")?.contains("Origin") == true)
            // The default port is the same origin.
            let defaultPort = try await client.send("GET", "/health/live", headers: [("Origin", "https://app.illajwala.test:443")])
            #expect(defaultPort.header("access-control-allow-origin") != nil)

            for origin in ["https://evil.example", "https://app.illajwala.test.evil.example", "null", "http://app.illajwala.test"] {
                let response = try await client.send("GET", "/api/doctors", headers: [("Origin", origin)])
                #expect(response.header("access-control-allow-origin") == nil, "\(origin)")
                #expect(response.header("access-control-allow-credentials") == nil, "\(origin)")
                #expect(response.header("vary")?.contains("Origin") == true)
            }
        }
    }

    @Test("preflight: 204 with methods, headers and max-age for a listed origin; 204 without CORS headers otherwise")
    func preflight() async throws {
        try await LiveServer.withServer(environment: Self.environment) { server in
            let client = APIClient(baseURL: server.baseURL)
            let request = [("Access-Control-Request-Method", "POST"), ("Access-Control-Request-Headers", "authorization, content-type")]
            let allowed = try await client.send("OPTIONS", "/api/appointments", headers: [("Origin", "http://localhost:3000")] + request)
            #expect(allowed.status == 204)
            #expect(allowed.header("access-control-allow-origin") == "http://localhost:3000")
            #expect(allowed.header("access-control-allow-methods")?.contains("POST") == true)
            #expect(allowed.header("access-control-allow-headers")?.contains("Authorization") == true)
            #expect(allowed.header("access-control-max-age") == "600")
            let refused = try await client.send("OPTIONS", "/api/appointments", headers: [("Origin", "https://evil.example")] + request)
            #expect(refused.status == 204)
            #expect(refused.header("access-control-allow-origin") == nil)
            #expect(refused.header("access-control-allow-methods") == nil)
        }
    }

    @Test("origins are validated at start-up: no paths, no wildcards, only http(s)")
    func configuration() throws {
        for bad in ["*", "https://app.example.com/path", "ftp://files.example.com", "app.example.com", "https://user@app.example.com"] {
            #expect(throws: ConfigurationError.self, "\(bad)") {
                try ServerConfiguration(environment: ["ILLAJWALA_ENV": "test", "CORS_ALLOWED_ORIGINS": bad])
            }
        }
        let configuration = try ServerConfiguration(environment: ["ILLAJWALA_ENV": "test", "CORS_ALLOWED_ORIGINS": "HTTPS://App.Example.com:443/"])
        #expect(configuration.http.corsAllowedOrigins == ["https://app.example.com"])
        #expect(try ServerConfiguration(environment: ["ILLAJWALA_ENV": "test"]).http.corsAllowedOrigins.isEmpty)
    }
}
