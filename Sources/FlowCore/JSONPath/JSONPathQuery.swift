/// A parsed JSONPath query (RFC 9535): the root identifier `$` followed by segments.
///
/// The whole of RFC 9535 is supported: name (`.name`, `['name']`), wildcard (`.*`, `[*]`), index (`[-1]`),
/// slice (`[start:end:step]`) and filter (`[?expr]`) selectors, several selectors in one segment (`[0,'a']`),
/// descendant segments (`..name`, `..[…]`), and in filters comparisons, `&&`, `||`, `!`, parentheses,
/// existence tests and the function extensions `length`, `count`, `match`, `search` and `value` (§2.4), checked
/// for well-typedness when parsed.
public struct JSONPathQuery: Sendable, Hashable, CustomStringConvertible {
    /// The segments applied in order to the root value.
    public var segments: [JSONPathSegment]
    /// The text the query was parsed from.
    public var source: String

    /// Parses a JSONPath query.
    /// - Parameter source: the query text, e.g. `$.data[?@.status == 'confirmed'].id`; no blank space may come
    ///   before `$` or after the last segment (RFC 9535 §2.1.1 grammar).
    /// - Throws: ``JSONPathError`` with the 1-based column of the first problem: text that is not RFC 9535
    ///   syntax, an integer outside ±(2^53−1) (§2.1), or a filter expression that is not well-typed (§2.4.3).
    public init(_ source: String) throws(JSONPathError) {
        var parser = JSONPathParser(source: source)
        self.segments = try parser.parseRootQuery()
        self.source = source
    }

    /// Applies the query to `root` and returns the selected values in order (RFC 9535 §2.5).
    ///
    /// Array elements come in array order; RFC 9535 leaves the order of object members open, and they come in sorted
    /// key order. A value selected several times (e.g. by `[0,0]`) appears each time.
    public func select(in root: JSONValue) -> [JSONValue] {
        JSONPathEvaluator(root: root, tracksPaths: false).evaluate(segments, from: root).map(\.value)
    }

    /// Like ``select(in:)``, with the Normalized Path (RFC 9535 §2.7) of each selected node.
    /// - Returns: the selected nodes in the order of ``select(in:)``, e.g. `$['data'][0]['id']` with its value.
    public func selectLocated(in root: JSONValue) -> [JSONPathNode] {
        JSONPathEvaluator(root: root, tracksPaths: true).evaluate(segments, from: root)
    }

    /// Whether the query is a singular query, which selects at most one node (RFC 9535 §2.3.5.1: only
    /// child segments of one name or index selector each).
    public var isSingular: Bool { segments.allSatisfy(\.isSingular) }

    public var description: String { source }
}

/// One step of a query (RFC 9535 §2.5): a child segment `[…]` / `.name` or a descendant segment `..[…]` /
/// `..name`.
public enum JSONPathSegment: Sendable, Hashable {
    /// Applies the selectors to each input node (`.name`, `.*`, `[…]`).
    case child([JSONPathSelector])
    /// Applies the selectors to each input node and all its descendants, each node before its descendants
    /// (`..name`, `..*`, `..[…]`).
    case descendant([JSONPathSelector])

    /// One name or index selector in a child segment (RFC 9535 §2.3.5.1 `singular-query-segments`).
    var isSingular: Bool {
        guard case .child(let selectors) = self, selectors.count == 1 else { return false }
        switch selectors[0] {
        case .name, .index: return true
        default: return false
        }
    }
}

/// A selector inside a segment (RFC 9535 §2.3).
public indirect enum JSONPathSelector: Sendable, Hashable {
    /// Object member by name (§2.3.1).
    case name(String)
    /// All children of an array or object (§2.3.2).
    case wildcard
    /// Array element by index; negative counts from the end (§2.3.3). Within ±(2^53−1).
    case index(Int)
    /// Array slice `[start:end:step]` (§2.3.4); `nil` parts take the defaults, step 0 selects nothing.
    case slice(start: Int?, end: Int?, step: Int?)
    /// Children for which the logical expression holds (§2.3.5).
    case filter(JSONPathFilter)
}
