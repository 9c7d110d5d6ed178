import Foundation

/// One HTTP response as received by the API client.
public struct APIResponse: Sendable {
    /// HTTP status code (e.g. 201).
    public var status: Int
    /// Header fields as received; names are lower-cased by the transport.
    public var headers: [(name: String, value: String)]
    /// Raw body bytes (possibly empty).
    public var body: Data
    /// Time from sending the request to receiving the whole body, in seconds.
    public var duration: Duration

    public init(status: Int, headers: [(name: String, value: String)], body: Data, duration: Duration) {
        self.status = status
        self.headers = headers
        self.body = body
        self.duration = duration
    }

    /// The first value of a header field, compared case-insensitively (RFC 9110 §5.1).
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// The body decoded as UTF-8 text (invalid sequences replaced).
    public var text: String { String(decoding: body, as: UTF8.self) }
}
