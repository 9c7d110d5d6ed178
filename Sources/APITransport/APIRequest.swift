import Foundation

/// One HTTP request as the API client sends it: method, absolute URL, ordered headers and raw body bytes.
public struct APIRequest: Sendable {
    /// HTTP method, upper-case (`GET`, `POST`, …).
    public var method: String
    /// Absolute URL of the request.
    public var url: URL
    /// Header fields in the order they are sent; names keep the caller's spelling.
    public var headers: [(name: String, value: String)]
    /// Raw body bytes, or `nil` for no body.
    public var body: Data?

    public init(method: String = "GET", url: URL, headers: [(name: String, value: String)] = [], body: Data? = nil) {
        self.method = method.uppercased()
        self.url = url
        self.headers = headers
        self.body = body
    }

    /// The first value of a header field, compared case-insensitively (RFC 9110 §5.1).
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}
