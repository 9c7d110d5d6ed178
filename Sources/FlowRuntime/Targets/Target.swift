import FlowCore
import Foundation

/// Where flows run: an embedded server booted in-process, or a service at a base URL.
public struct Target: Sendable {
    /// How the service under test is reached.
    public enum Kind: Sendable, Equatable {
        /// Boot the service in-process (`LiveServer`), seeded from the fixtures folder (relative to the current directory).
        case embedded(fixtures: String?)
        /// A running service at this base URL.
        case remote(URL)
    }

    /// Target name from `targets.yaml`, or the URL given with `--target`.
    public var name: String
    /// Embedded or remote.
    public var kind: Kind
    /// Variables visible to every flow (lowest lookup priority).
    public var vars: [NamedTemplate]
    /// Values taken from environment variables (`${NAME}` in `targets.yaml`): secrets, masked as `***` in every
    /// output of the run.
    public var secrets: [String]
    /// Names of the variables whose values are secrets (read from the environment or written `{secret: …}`): a
    /// `--var` that replaces one is masked too.
    public var secretVariableNames: Set<String> = []
    /// Actors every flow may use (`as:`).
    public var actors: [ActorSpec] = []
    /// `gatewayDouble: razorpay`: the embedded server takes payments through its Razorpay adapter, talking to a
    /// ``RazorpayDouble`` the runner starts beside it (and whose checkout stand-in and webhook secret the flows get as
    /// the `checkoutURL` and `webhookSecret` variables).
    public var razorpayDouble = false
    /// Configuration variables of an embedded server (`server:` in `targets.yaml`; names from `ServerConfiguration`),
    /// over the test defaults.
    public var serverEnvironment: [String: String] = [:]

    /// Creates a target; see the properties.
    public init(name: String, kind: Kind, vars: [NamedTemplate] = [], secrets: [String] = []) {
        self.name = name
        self.kind = kind
        self.vars = vars
        self.secrets = secrets
    }
}
