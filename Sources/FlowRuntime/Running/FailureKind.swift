/// Why a flow did not pass, as one of a fixed set of kinds. The raw value is what the reports write (the JUnit
/// `type` attribute, `flows.json`'s `failure.type`, the HTML report), so CI tools can group failures by kind.
public enum FailureKind: String, Sendable, Hashable, CaseIterable {
    /// An expectation or a capture did not hold: the flow *failed*.
    case assertionFailure = "AssertionFailure"
    /// The request could not be sent or no response came (refused, reset, client timeout).
    case transportError = "TransportError"
    /// A template could not be evaluated (an undefined variable, a function given the wrong arguments).
    case templateError = "TemplateError"
    /// The rendered URL is not a URL.
    case invalidURL = "InvalidURL"
    /// A rendered header value cannot be sent (a line break, a control character).
    case invalidHeader = "InvalidHeader"
    /// The flow's `timeout:` ran out.
    case timeout = "Timeout"
    /// An actor's automatic login failed before the step that needed it.
    case actorLoginFailed = "ActorLoginFailed"
    /// The run was interrupted (SIGINT, SIGTERM) while the flow ran: reported as skipped, not failed.
    case interrupted = "Interrupted"
    /// The flow was never started (`--fail-fast` or an interruption stopped the run first).
    case cancelled = "Cancelled"
    /// The flow is marked `skip: reason`.
    case skipped = "Skipped"
    /// A response broke the OpenAPI contract of its operation (`--openapi-validate`): an undeclared status or
    /// content type, a body against the declared schema, a missing required header.
    case contractViolation = "ContractViolation"
    /// The run ended without writing this flow's result (what an interrupted run leaves in the reports).
    case runDidNotFinish = "RunDidNotFinish"
    /// A result without a failure record, written by a report for completeness.
    case unknown = "Unknown"

    /// The flow status this kind of failure gives: a failed assertion *fails* the flow, an interruption *skips*
    /// it, anything else *errors* it.
    public var flowStatus: FlowResult.Status {
        switch self {
        case .assertionFailure, .contractViolation: .failed
        case .interrupted, .cancelled, .skipped: .skipped
        default: .errored
        }
    }
}
