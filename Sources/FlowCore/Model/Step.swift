/// One request of a flow with its expectations and captures.
public struct Step: Sendable {
    /// Step name, used in reports and failure messages.
    public var name: String
    /// Step variables, evaluated in order when the step starts.
    public var vars: [NamedTemplate]
    /// The request to send.
    public var request: RequestSpec
    /// What the response must satisfy (empty when the file has no `expect`).
    public var expect: Expectation
    /// Captures, evaluated in order after all expectations pass.
    public var captures: [Capture]
    /// Where the step begins in its file.
    public var location: SourceLocation
    /// The actor the request is sent as (`as:`): its bearer token is attached; `nil` sends no token.
    public var actor: String?
    /// Longest wait for one response (`timeout:`; default 10 s).
    public var timeout: Duration?
    /// Polling until an expectation holds (`retry:`), or `nil` to send the request once.
    public var retry: RetryPolicy?
    /// The include this step came from (`include:` file and line), for messages; `nil` for a step of the flow file.
    public var includedFrom: SourceLocation?

    /// Creates a step; see the properties.
    public init(
        name: String, vars: [NamedTemplate], request: RequestSpec, expect: Expectation, captures: [Capture],
        location: SourceLocation
    ) {
        self.name = name
        self.vars = vars
        self.request = request
        self.expect = expect
        self.captures = captures
        self.location = location
    }
}
