import BookingServer
import FlowCore
import FlowRuntime
import Foundation
import IllajwalaTesting

/// The booking service as the flow runner's embedded target (`local`, `local-razorpay` in `targets.yaml`): a
/// ``LiveServer`` on a migrated, seeded SQLite database of its own, and — with `gatewayDouble: razorpay` — a
/// ``RazorpayDouble`` beside it that the service reaches through its Razorpay adapter.
public struct BookingServiceProvider: EmbeddedServiceProvider {
    /// Variables the runner sets itself for an embedded server, with the reason given to a target that sets them.
    static let reservedVariables: Set<String> = ["DATABASE_URL", "HOST", "PORT", "ILLAJWALA_ENV"]

    /// Creates the provider.
    public init() {}

    /// Names the service does not read, names the runner sets itself, and values ``ServerConfiguration`` refuses (in
    /// the test environment the embedded server runs in).
    public func configurationProblems(_ variables: [String: String]) -> [EmbeddedConfigurationProblem] {
        var problems: [EmbeddedConfigurationProblem] = []
        var accepted: [String: String] = [:]
        for name in variables.keys.sorted() {
            if Self.reservedVariables.contains(name) {
                problems.append(
                    EmbeddedConfigurationProblem(
                        variable: name, place: .name,
                        message: "'\(name)' cannot be set for an embedded server (it runs in the test environment on its own database and a free loopback port)"
                    ))
            } else if !ServerConfiguration.variableNames.contains(name) {
                let hint = FlowLinter.suggestion(for: name, among: ServerConfiguration.variableNames)
                problems.append(
                    EmbeddedConfigurationProblem(
                        variable: name, place: .name,
                        message:
                            "'\(name)' is not a service configuration variable\(hint.isEmpty ? " (the service's variables are listed in docs/environment-variables.md)" : hint)"
                    ))
            } else {
                accepted[name] = variables[name]
            }
        }
        guard problems.isEmpty else { return problems }
        do {
            _ = try ServerConfiguration(environment: accepted.merging(["ILLAJWALA_ENV": "test"]) { $1 })
        } catch let error as ConfigurationError {
            problems.append(EmbeddedConfigurationProblem(variable: error.variable, place: .value, message: error.description))
        } catch {
            problems.append(EmbeddedConfigurationProblem(variable: nil, place: .value, message: "\(error)"))
        }
        return problems
    }

    /// Starts the double first (when asked: the service's gateway variables point at it), then the service seeded
    /// from the fixtures folder, and tells the double where to send its webhooks.
    /// - Throws: what ``LiveServer/start(database:scenario:environment:logLevel:logger:)`` and
    ///   ``RazorpayDouble/start(keyID:keySecret:webhookSecret:port:logger:)`` throw.
    public func start(_ options: EmbeddedServiceOptions) async throws -> any EmbeddedService {
        var environment = options.environment
        var double: RazorpayDouble?
        if options.paymentGatewayDouble {
            let gateway = try await RazorpayDouble.start(logger: options.makeLogger("razorpay-double"))
            double = gateway
            environment.merge([
                "PAYMENT_GATEWAY": "razorpay", "PAYMENT_GATEWAY_URL": gateway.baseURL.absoluteString, "PAYMENT_KEY_ID": gateway.keyID,
                "PAYMENT_KEY_SECRET": gateway.keySecret, "PAYMENT_WEBHOOK_SECRET": gateway.webhookSecret,
            ]) { _, double in double }
        }
        do {
            let server = try await LiveServer.start(
                scenario: options.fixtures.map { .fixtures(at: $0) } ?? .empty, environment: environment,
                logger: options.makeLogger("illajwala-api"))
            double?.setWebhookURL(server.baseURL.appendingPathComponent("api/payments/webhook"))
            return RunningBookingService(server: server, gateway: double)
        } catch {
            await double?.stop()
            throw error
        }
    }
}

/// The booking service (and its gateway double) while a run uses it.
struct RunningBookingService: EmbeddedService {
    let server: LiveServer
    let gateway: RazorpayDouble?

    var baseURL: URL { server.baseURL }

    /// With the double: `checkoutURL` (its checkout stand-in) and `webhookSecret` (what signs its webhooks).
    var variables: [String: JSONValue] {
        guard let gateway else { return [:] }
        return [
            "checkoutURL": .string(gateway.baseURL.appendingPathComponent("_double/checkout").absoluteString),
            "webhookSecret": .string(gateway.webhookSecret),
        ]
    }

    var secrets: [String] { gateway.map { [$0.webhookSecret] } ?? [] }

    func stop() async {
        await server.stop()
        await gateway?.stop()
    }
}
