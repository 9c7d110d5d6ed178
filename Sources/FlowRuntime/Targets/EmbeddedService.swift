import FlowCore
import Foundation
import Logging

/// The service an `embedded: true` target boots in-process — plugged into the runner by the executable, so that the
/// runner itself builds and runs without the service it tests. `illajwala-flows` plugs in the booking service
/// (`LocalTarget.BookingServiceProvider`); a runner without a provider runs remote targets only.
public protocol EmbeddedServiceProvider: Sendable {
    /// Checks the `server:` variables a target sets (names the service reads, values it accepts, names the runner
    /// sets itself), so that `validate` and `run` report them with their line before anything starts.
    /// - Returns: every problem; empty when the service would start with these variables.
    func configurationProblems(_ variables: [String: String]) -> [EmbeddedConfigurationProblem]

    /// Starts the service (and what the target asks to run beside it) on a free loopback port.
    /// - Throws: any error that kept it from starting, described for the person running the flows.
    func start(_ options: EmbeddedServiceOptions) async throws -> any EmbeddedService
}

/// A problem with one of a target's `server:` variables.
public struct EmbeddedConfigurationProblem: Sendable, Equatable, CustomStringConvertible {
    /// What the message is about: the variable's name (unknown, reserved) or its value.
    public enum Place: Sendable, Equatable {
        case name
        case value
    }

    /// The variable concerned, or `nil` for the `server:` block as a whole.
    public var variable: String?
    /// Whether the name or the value is wrong (where the diagnostic points).
    public var place: Place
    /// The message, e.g. `'RATE_LIMIT_STORE' must be memory or database, not 'redis'`.
    public var message: String

    /// Creates a problem; see the properties.
    public init(variable: String?, place: Place, message: String) {
        self.variable = variable
        self.place = place
        self.message = message
    }

    public var description: String { message }
}

/// What an embedded target asks of its service (from `targets.yaml`).
public struct EmbeddedServiceOptions: Sendable {
    /// The fixtures folder the service is seeded from (`fixtures:`), or `nil` for an empty database.
    public var fixtures: URL?
    /// The `server:` variables, over the service's test defaults.
    public var environment: [String: String]
    /// `gatewayDouble: razorpay`: a payment gateway double runs beside the service.
    public var paymentGatewayDouble: Bool
    /// Makes the logger of each component (`server`, `razorpay-double`); the runner writes them to `server.log`.
    public var makeLogger: @Sendable (_ label: String) -> Logger

    /// Creates options; see the properties.
    public init(
        fixtures: URL?, environment: [String: String], paymentGatewayDouble: Bool, makeLogger: @escaping @Sendable (_ label: String) -> Logger
    ) {
        self.fixtures = fixtures
        self.environment = environment
        self.paymentGatewayDouble = paymentGatewayDouble
        self.makeLogger = makeLogger
    }
}

/// A running embedded service.
public protocol EmbeddedService: Sendable {
    /// Where it listens, e.g. `http://127.0.0.1:53211`.
    var baseURL: URL { get }
    /// Variables it gives the flows on top of the target's (a gateway double's `checkoutURL` and `webhookSecret`).
    var variables: [String: JSONValue] { get }
    /// Values masked in every output of the run (the double's webhook secret).
    var secrets: [String] { get }
    /// Stops it (and what runs beside it); in-flight requests finish first.
    func stop() async
}
