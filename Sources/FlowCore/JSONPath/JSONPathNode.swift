/// A node a JSONPath query selected (RFC 9535 §1.1): a value together with where it is in the queried document.
public struct JSONPathNode: Sendable, Hashable {
    /// The selected value.
    public var value: JSONValue
    /// Where the value is, as a Normalized Path (RFC 9535 §2.7); `String(describing:)` gives e.g. `$['data'][0]`.
    public var path: JSONPathNormalizedPath

    /// Creates a node; see the properties.
    public init(value: JSONValue, path: JSONPathNormalizedPath) {
        self.value = value
        self.path = path
    }
}
