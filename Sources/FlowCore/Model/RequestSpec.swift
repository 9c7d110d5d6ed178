/// The templated HTTP request of a step.
public struct RequestSpec: Sendable {
    /// HTTP methods a flow may use.
    public enum Method: String, Sendable, CaseIterable {
        /// The methods of RFC 9110 §9.3 that flows may use (plus PATCH, RFC 5789).
        case GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS
    }

    /// Request body: templated JSON or a raw templated string.
    public enum Body: Sendable {
        /// JSON body, templated recursively; sent as compact JSON with `Content-Type: application/json`
        /// unless the step sets a content type.
        case json(TemplateValue)
        /// Raw text body, sent as UTF-8.
        case raw(Template)
        /// An HTML form (`application/x-www-form-urlencoded`, WHATWG URL §5.2): names and values percent-encoded,
        /// spaces as `+`, in file order.
        case form([(name: String, value: Template)])
    }

    /// HTTP method (default `GET`).
    public var method: Method
    /// Relative to the target base URL (`/api/x`) or absolute (`https://…`).
    public var url: Template
    /// Query parameters appended to the URL, percent-encoded, in file order.
    public var query: [(name: String, value: Template)]
    /// Header fields in file order.
    public var headers: [(name: String, value: Template)]
    /// Body, or `nil` for none.
    public var body: Body?
    /// Bearer token: adds `Authorization: Bearer <value>`.
    public var bearer: Template?
    /// HTTP Basic credentials (RFC 7617): adds `Authorization: Basic base64(username:password)`.
    public var basic: (username: Template, password: Template)?
    /// The request goes on purpose to a path `openapi.yaml` does not document (a 404 check): API coverage does not
    /// warn that it matched no operation.
    public var undocumented = false

    /// Creates a request specification; see the properties.
    public init(
        method: Method = .GET, url: Template, query: [(name: String, value: Template)] = [],
        headers: [(name: String, value: Template)] = [], body: Body? = nil, bearer: Template? = nil
    ) {
        self.method = method
        self.url = url
        self.query = query
        self.headers = headers
        self.body = body
        self.bearer = bearer
    }
}
