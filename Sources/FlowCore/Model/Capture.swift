/// A value saved from a response into a variable for later steps.
public struct Capture: Sendable {
    /// Where the value comes from.
    public enum Source: Sendable {
        /// The node(s) a JSONPath selects in the response body (one node as is, several as an array).
        case json(JSONPathQuery)
        /// A response header's value (name case-insensitive).
        case header(String)
        /// The first match of a regular expression over the body text: group 1 if the pattern has groups, else the whole match.
        case regex(String)
        /// A cookie the response sets (`Set-Cookie`, RFC 6265 §4.1), by name: its value.
        case cookie(String)
    }

    /// Variable name the value is stored under.
    public var name: String
    /// Where the value comes from.
    public var source: Source

    /// Creates a capture.
    public init(name: String, source: Source) {
        self.name = name
        self.source = source
    }
}
