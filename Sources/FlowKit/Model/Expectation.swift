/// What a step's response must look like. All parts are optional; an empty expectation always passes.
public struct Expectation: Sendable {
    /// A JSONPath over the response body with the matcher for what it selects.
    public struct JSONCheck: Sendable {
        public var path: JSONPathQuery
        public var matcher: Matcher
        public init(path: JSONPathQuery, matcher: Matcher) {
            self.path = path
            self.matcher = matcher
        }
    }

    public var status: Matcher?
    /// Header name (compared case-insensitively) and matcher, in file order.
    public var headers: [(name: String, matcher: Matcher)]
    public var json: [JSONCheck]
    /// Matcher over the raw response text.
    public var body: Matcher?

    public init(status: Matcher? = nil, headers: [(name: String, matcher: Matcher)] = [], json: [JSONCheck] = [], body: Matcher? = nil) {
        self.status = status
        self.headers = headers
        self.json = json
        self.body = body
    }
}
