import FlowCommands
import FlowCore
import FlowRuntime
import Foundation
import IllajwalaTesting
import LocalTarget
import Testing

/// The release binary (scripts/build-release.sh) started the way production starts it — `ILLAJWALA_ENV=production`,
/// PostgreSQL, the Razorpay adapter (against the double), JSON logs — serving the smoke flows and the payment journeys
/// (booking, payment, refund on cancellation), answering with production's headers and cookies, logging no personal
/// data, and stopping cleanly on SIGTERM. `.ci/run` sets `ILLAJWALA_RELEASE_BIN` to the unpacked archive's `bin/`.
/// `illajwala-api` of the unpacked release archive named by `ILLAJWALA_RELEASE_BIN`, if there is one.
let releaseBinary: URL? = ProcessInfo.processInfo.environment["ILLAJWALA_RELEASE_BIN"].flatMap { folder in
    let binary = URL(fileURLWithPath: folder).appendingPathComponent("illajwala-api")
    return FileManager.default.isExecutableFile(atPath: binary.path) ? binary : nil
}

@Suite(
    "The release binary in production mode",
    .enabled(if: releaseBinary != nil, "set ILLAJWALA_RELEASE_BIN to the release archive's bin/ (scripts/build-release.sh; .ci/run does)"),
    .enabled(if: PrivatePostgresServer.unavailableReason == nil, "needs the PostgreSQL server binaries"))
struct ProductionReleaseTests {
    @Test("production mode serves the smoke flows and the payment journeys through Razorpay, then exits 0 on SIGTERM")
    func production() async throws {
        let binary = try #require(releaseBinary)
        let postgres = try PrivatePostgresServer.start()
        defer { postgres.remove() }
        let double = try await RazorpayDouble.start(
            keyID: "rzp_test_releaseE2E001", keySecret: "release-e2e-key-secret-01234567", webhookSecret: "release-e2e-webhook-secret-0123")
        defer { Task { await double.stop() } }
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("production-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }

        let production: [String: String] = [
            "ILLAJWALA_ENV": "production", "DATABASE_URL": postgres.url, "JWT_SECRET": "release-e2e-jwt-secret-0123456789abcdef",
            "PAYMENT_GATEWAY": "razorpay", "PAYMENT_GATEWAY_URL": double.baseURL.absoluteString, "PAYMENT_KEY_ID": double.keyID,
            "PAYMENT_KEY_SECRET": double.keySecret, "PAYMENT_WEBHOOK_SECRET": double.webhookSecret, "LOG_FORMAT": "json",
            "TRUSTED_PROXIES": "127.0.0.1, ::1", "SHUTDOWN_DRAIN_SECONDS": "1",
            // The runner is one client for every flow (production sees each patient from their own address).
            "RATE_LIMIT_API_PER_MINUTE": "6000", "RATE_LIMIT_REGISTRATIONS_PER_MINUTE": "600", "RATE_LIMIT_PAYMENTS_PER_MINUTE": "600",
            "RATE_LIMIT_LOGIN_FAILURES": "20",
        ]
        // What production refuses, with one line naming the variable and status 64.
        for (name, value) in [("PAYMENT_GATEWAY", "sandbox"), ("JWT_SECRET", ""), ("DATABASE_URL", "sqlite:///tmp/x.db"), ("PAYMENT_KEY_SECRET", "short")] {
            var broken = production
            broken[name] = value
            if value.isEmpty { broken.removeValue(forKey: name) }
            let refused = try Self.run(binary, ["serve"], environment: broken, work: work)
            #expect(refused.status == 64, "\(name): \(refused.output)")
            #expect(refused.output.split(separator: "\n").count == 1 && refused.output.contains(name) && !refused.output.contains("Usage"), "\(refused.output)")
        }

        try ServiceProcess.runToCompletion(["migrate", "up"], environment: production, work: work, binary: binary)
        // Development accounts exist only in this throwaway database (seeded in test mode, as never in production).
        try ServiceProcess.runToCompletion(
            ["seed", "--fixtures", PackagePaths.fixtures.path], environment: ["DATABASE_URL": postgres.url], work: work, binary: binary)
        let service = try await ServiceProcess.serve(environment: production, work: work, binary: binary)
        defer { if service.process.isRunning { service.signal(SIGKILL) } }
        double.setWebhookURL(service.baseURL.appendingPathComponent("api/payments/webhook"))

        // The start-up line says what runs.
        let startup = try #require(service.logText.split(separator: "\n").first { $0.contains(#""lifecycle":"serving""#) })
        for fragment in [#""environment":"production""#, #""database":"postgresql""#, #""payment_gateway":"razorpay""#, #""schema_version":3"#, #""commit":""#]
        {
            #expect(startup.contains(fragment), "\(startup)")
        }

        // Production's headers and cookies.
        let client = APIClient(baseURL: service.baseURL)
        let health = try await client.send("GET", "/health/ready")
        #expect(health.status == 200)
        #expect(health.header("Strict-Transport-Security")?.contains("max-age=") == true)
        let login = try await client.send(
            "POST", "/api/auth/login", json: ["email": "admin@illajwala.dev", "password": "Admin-dev-only-2026", "role": "admin"])
        #expect(login.status == 200)
        let cookie = login.headers.first { $0.name == "set-cookie" && $0.value.hasPrefix("__Secure-refreshToken=") }?.value ?? ""
        #expect(cookie.contains("Secure") && cookie.contains("HttpOnly"), "\(login.headers)")
        #expect(
            try await client.send("POST", "/api/payments/sandbox/checkout", json: ["orderId": "order_x", "outcome": "success"]).status == 404,
            "the sandbox checkout is not mounted in production")

        // The smoke flows and the payment journeys, through the Razorpay adapter.
        var options = FlowRunCommand.Options(
            filter: FlowFilter(tags: ["smoke", "gateway"]), jobs: 2,
            variables: [
                "checkoutURL": .string(double.baseURL.appendingPathComponent("_double/checkout").absoluteString),
                "webhookSecret": .string(double.webhookSecret),
            ])
        options.openAPIPath = PackagePaths.root.appendingPathComponent("openapi.yaml").path
        var command = FlowRunCommand(
            paths: [PackagePaths.flows.path], target: "ci", reportDirectory: work.appendingPathComponent("reports").path,
            targetsFile: PackagePaths.flows.appendingPathComponent("targets.yaml").path, options: options)
        command.baseURLOverride = service.baseURL.absoluteString
        let output = LogBuffer()
        let status = await command.execute(standardOutput: { output.append(Data(($0 + "\n").utf8)) }, standardError: { output.append(Data(($0 + "\n").utf8)) })
        #expect(status == .passed, "\(output.text)")
        #expect(double.orderCount >= 3, "orders were made at the gateway")
        #expect(double.received.contains { $0.path.hasSuffix("/refund") }, "a cancellation was refunded at the gateway")

        // JSON logs, no personal data.
        service.signal(SIGTERM)
        let exit = try await service.waitForExit(within: .seconds(30))
        #expect(exit == 0, "a clean exit after SIGTERM: \(service.logText.suffix(2000))")
        let lines = service.logText.split(separator: "\n")
        #expect(lines.count > 20)
        for line in lines {
            #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) != nil, "not a JSON log line: \(line)")
            for personal in ["Admin-dev-only-2026", "admin@illajwala.dev", "@example.test", "Bearer ", double.keySecret, "Str0ng-pass-phrase"] {
                #expect(!line.contains(personal), "the log holds \(personal): \(line)")
            }
        }
        #expect(service.logText.contains(#""lifecycle":"stopped""#))
    }

    /// Runs the binary to completion and returns its status and combined output.
    static func run(_ binary: URL, _ arguments: [String], environment: [String: String], work: URL) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        var merged = ServiceProcess.environment(environment, work: work)
        for (name, _) in merged where environment[name] == nil && ["JWT_SECRET", "PAYMENT_KEY_SECRET", "DATABASE_URL"].contains(name) {
            merged.removeValue(forKey: name)
        }
        process.environment = merged
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
