import APITransport
import FlowCore
import Foundation

/// A header field as recorded in reports (secrets masked).
public struct HeaderField: Sendable, Hashable {
    /// Field name as sent or received.
    public var name: String
    /// Field value (`***` for secrets).
    public var value: String
    /// Creates a header field.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// The request a step sent, as recorded for reports.
public struct RecordedRequest: Sendable, Hashable {
    /// HTTP method.
    public var method: String
    /// Absolute URL including the query.
    public var url: String
    /// Headers as sent; `Authorization`, `Cookie` and API-key values are masked.
    public var headers: [HeaderField]
    /// At most 2 KiB of the body, or `nil` when there was none.
    public var bodyExcerpt: String?

    /// Creates a recorded request; see the properties.
    public init(method: String, url: String, headers: [HeaderField], bodyExcerpt: String?) {
        self.method = method
        self.url = url
        self.headers = headers
        self.bodyExcerpt = bodyExcerpt
    }
}

/// The response a step received, as recorded for reports.
public struct RecordedResponse: Sendable, Hashable {
    /// HTTP status code.
    public var status: Int
    /// Headers as received (names lower-cased).
    public var headers: [HeaderField]
    /// At most 2 KiB of the body text.
    public var bodyExcerpt: String
    /// Round-trip time in seconds.
    public var duration: Duration

    /// Creates a recorded response; `duration` in seconds.
    public init(status: Int, headers: [HeaderField], bodyExcerpt: String, duration: Duration) {
        self.status = status
        self.headers = headers
        self.bodyExcerpt = bodyExcerpt
        self.duration = duration
    }
}

/// What happened in one step.
public struct StepRecord: Sendable, Hashable {
    /// Outcome of a step.
    public enum Status: String, Sendable, Hashable {
        /// Passed all expectations; failed an expectation or capture; could not be carried out; not run.
        case passed, failed, errored, skipped
    }

    /// Step name.
    public var name: String
    /// Outcome of the step.
    public var status: Status
    /// The request sent, or `nil` when it could not be built.
    public var request: RecordedRequest?
    /// The response received, or `nil` when none arrived.
    public var response: RecordedResponse?
    /// Every expectation checked, passed or not, in file order.
    public var assertions: [AssertionResult]
    /// Wall time of the whole step in seconds.
    public var duration: Duration
    /// Why the step failed or errored, or `nil`.
    public var message: String?
    /// Which part of the flow the step belongs to.
    public var phase: Phase = .main
    /// The actor the step ran as (`as:`), or `nil` for an unauthenticated step.
    public var actor: String?
    /// Requests sent: 1, or more when the step polled with `retry:`.
    public var attempts: Int = 1
    /// A `curl` command line that repeats the request, secrets masked as `***`; `nil` when no request was built.
    public var curl: String?
    /// The request went on purpose to a path the OpenAPI document does not describe (`undocumented: true`): API
    /// coverage does not list it among the requests that matched no operation.
    public var undocumented = false
    /// How the response broke the OpenAPI contract (`--openapi-validate`); empty when it kept it or was not checked.
    public var contractViolations: [ContractViolation] = []

    /// The part of a flow a step belongs to.
    public enum Phase: String, Sendable, Hashable {
        /// `setup:` steps run first; a failure skips the main steps but not teardown.
        case setup
        /// The flow's `steps:`.
        case main
        /// `teardown:` steps always run last, also after a failure.
        case teardown
    }

    /// Creates a step record; `duration` in seconds.
    public init(
        name: String, status: Status, request: RecordedRequest? = nil, response: RecordedResponse? = nil,
        assertions: [AssertionResult] = [], duration: Duration, message: String? = nil
    ) {
        self.name = name
        self.status = status
        self.request = request
        self.response = response
        self.assertions = assertions
        self.duration = duration
        self.message = message
    }
}

extension RecordedRequest {
    /// The request as the reports show it: URL, header values and body bounded (``RecordedText``), credentials
    /// masked (`Authorization`/`Cookie` values, sensitive JSON members, every secret `masker` knows).
    init(_ request: APIRequest, masker: SecretMasker) {
        self.init(
            method: request.method, url: RecordedText.bound(request.url.absoluteString, masker: masker),
            headers: RequestBuilder.masked(request.headers).map { HeaderField(name: $0.name, value: RecordedText.bound($0.value, masker: masker)) },
            bodyExcerpt: request.body.map { RecordedText.body($0, masker: masker) })
    }
}

extension RecordedResponse {
    /// The response as the reports show it: header values and body bounded, credentials masked.
    /// - Parameter parsed: the body already parsed as JSON, when the step had it read.
    init(_ response: APIResponse, parsed: JSONValue?, masker: SecretMasker) {
        self.init(
            status: response.status,
            headers: RequestBuilder.masked(response.headers).map { HeaderField(name: $0.name, value: RecordedText.bound($0.value, masker: masker)) },
            bodyExcerpt: RecordedText.body(response.body, parsed: parsed, masker: masker), duration: response.duration)
    }
}
