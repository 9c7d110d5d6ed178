/// What a step's response must look like. All parts are optional; an empty expectation always passes.
public struct Expectation: Sendable {
    /// A JSONPath over the response body with the matcher for what it selects.
    public struct JSONCheck: Sendable {
        /// The query over the parsed response body (for a templated path: as parsed with its placeholders empty
        /// — only used for display; the rendered ``pathTemplate`` is parsed when the step runs).
        public var path: JSONPathQuery
        /// A path with `{{ … }}` placeholders (e.g. a filter on a captured id), rendered and parsed when the step runs.
        public var pathTemplate: Template? = nil
        /// Applied to the single node selected, to an array of the nodes when several, or to an absent value when none.
        public var matcher: Matcher
        /// Creates a JSON check.
        public init(path: JSONPathQuery, matcher: Matcher) {
            self.path = path
            self.matcher = matcher
        }
    }

    /// Matcher for the HTTP status code (a number).
    public var status: Matcher?
    /// Header name (compared case-insensitively) and matcher, in file order.
    public var headers: [(name: String, matcher: Matcher)]
    /// JSONPath checks over the response body, in file order.
    public var json: [JSONCheck]
    /// Matcher over the raw response text.
    public var body: Matcher?
    /// Bounds on the response time (`duration: {lt: 500ms}`), all of which must hold.
    public var duration: [(op: Predicate.ComparisonOperator, bound: Duration)] = []
    /// A JSON Schema the response body must satisfy (`schema: path.json`, relative to the flow file).
    public var schema: JSONSchemaDocument?

    /// Creates an expectation; every part is optional.
    public init(status: Matcher? = nil, headers: [(name: String, matcher: Matcher)] = [], json: [JSONCheck] = [], body: Matcher? = nil) {
        self.status = status
        self.headers = headers
        self.json = json
        self.body = body
    }
}

extension Expectation {
    /// Whether checking this expectation reads the response body as JSON (`json:` checks or a `schema:`).
    public var readsJSON: Bool { !json.isEmpty || schema != nil }
}
