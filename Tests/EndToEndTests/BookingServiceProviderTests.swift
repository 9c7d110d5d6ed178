import FlowCommands
import FlowCore
import FlowRuntime
import Foundation
import IllajwalaTesting
import LocalTarget
import Synchronization
import Testing

/// The booking service as the runner's embedded target: the checks of a target's `server:` variables that the
/// provider brings (names the service reads, names the runner sets itself, values the service refuses), and the
/// shipped flows validated against the `local` target the way `illajwala-flows validate` does.
@Suite("the booking service as the embedded target")
struct BookingServiceProviderTests {
    @Test("server: variables reach the server; unknown names, DATABASE_URL, bad values and remote targets are errors with their column")
    func serverEnvironment() throws {
        let provider = BookingServiceProvider()
        let targets = try TargetsFileParser.parse(
            "targets:\n  local:\n    embedded: true\n    server: {RATE_LIMIT_API_PER_MINUTE: 600, TRUSTED_PROXIES: \"127.0.0.1, ::1\"}\n", file: "t.yaml",
            embeddedService: provider)
        #expect(targets["local"]?.serverEnvironment == ["RATE_LIMIT_API_PER_MINUTE": "600", "TRUSTED_PROXIES": "127.0.0.1, ::1"])
        #expect {
            try TargetsFileParser.parse(
                "targets:\n  a:\n    embedded: true\n    server: {RATE_LIMIT_API_PER_MINUT: 1, DATABASE_URL: x}\n  b:\n    baseURL: http://x.test\n    server: {BCRYPT_COST: 5}\n  c:\n    embedded: true\n    server: {MAX_BODY_BYTES: 10}\n",
                file: "t.yaml", embeddedService: provider)
        } throws: { error in
            let messages = (error as? FlowLoadError)?.diagnostics.map(\.description) ?? []
            return messages.count == 4
                && messages.contains {
                    $0.hasPrefix("t.yaml:4:14: 'RATE_LIMIT_API_PER_MINUT' is not a service configuration variable") && $0.contains("RATE_LIMIT_API_PER_MINUTE")
                }
                && messages.contains { $0.hasPrefix("t.yaml:4:43: 'DATABASE_URL' cannot be set for an embedded server") }
                && messages.contains { $0.hasPrefix("t.yaml:7:5: 'server' of target 'b' configures an embedded server") }
                && messages.contains { $0.hasPrefix("t.yaml:10:30: 'server' of target 'c': invalid MAX_BODY_BYTES=10") }
        }
    }

    @Test("the shipped flows validate against the local target")
    func shippedFlows() {
        let output = Mutex<[String]>([])
        let errors = Mutex<[String]>([])
        let command = FlowValidateCommand(paths: [PackagePaths.flows.path], embeddedService: BookingServiceProvider())
        let status = command.execute(
            standardOutput: { line in output.withLock { $0.append(line) } }, standardError: { line in errors.withLock { $0.append(line) } })
        #expect(status == .passed, "\(errors.withLock { $0 })")
        #expect(output.withLock { $0.last }?.contains("no problems") == true)
    }
}
