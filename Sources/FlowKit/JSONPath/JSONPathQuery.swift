/// A parsed JSONPath query (RFC 9535): a root identifier followed by segments.
///
/// Supported: `$`, `.name`, `['name']`, `[index]` (negative from the end), `[*]`/`.*`,
/// slices `[start:end:step]`, descendants `..name`/`..[*]`, unions `[0,1]` and filters
/// `[?expr]` with comparisons, `&&`, `||`, `!`, parentheses, existence tests and the
/// functions `length()`, `count()`, `match()`, `search()` and `value()`.
public struct JSONPathQuery: Sendable, Hashable, CustomStringConvertible {
    /// The segments applied in order to the root value.
    public var segments: [JSONPathSegment]
    /// The text the query was parsed from.
    public var source: String

    /// Parses a JSONPath query.
    /// - Throws: ``JSONPathError`` with the 1-based column of the first problem.
    public init(_ source: String) throws(JSONPathError) {
        var parser = try JSONPathParser(source: source)
        self.segments = try parser.parseRootQuery()
        self.source = source
    }

    /// Applies the query to `root` and returns the selected nodes in document order
    /// (object members in sorted key order, as objects are unordered).
    public func select(in root: JSONValue) -> [JSONValue] {
        JSONPathEvaluator(root: root).evaluate(segments, from: [root])
    }

    /// Whether the query can select at most one node (RFC 9535 §2.3.5.1: names and indexes only).
    public var isSingular: Bool { segments.allSatisfy(\.isSingular) }

    public var description: String { source }
}

/// One step of a query: a child segment `[…]` / `.name` or a descendant segment `..[…]` / `..name`.
public enum JSONPathSegment: Sendable, Hashable {
    /// Applies the selectors to each input node (`.name`, `[…]`).
    case child([JSONPathSelector])
    /// Applies the selectors to each input node and all its descendants (`..name`, `..[…]`).
    case descendant([JSONPathSelector])

    var isSingular: Bool {
        guard case .child(let selectors) = self, selectors.count == 1 else { return false }
        switch selectors[0] {
        case .name, .index: return true
        default: return false
        }
    }
}

/// A selector inside a segment.
public indirect enum JSONPathSelector: Sendable, Hashable {
    /// Object member by name.
    case name(String)
    /// All children of an array or object.
    case wildcard
    /// Array element by index; negative counts from the end.
    case index(Int)
    /// Array slice `[start:end:step]`; `nil` parts take the RFC 9535 defaults.
    case slice(start: Int?, end: Int?, step: Int?)
    /// Children for which the logical expression holds.
    case filter(JSONPathFilter)
}

/// A logical expression in a filter selector.
public indirect enum JSONPathFilter: Sendable, Hashable {
    /// True when any operand is (`||`).
    case or([JSONPathFilter])
    /// True when every operand is (`&&`).
    case and([JSONPathFilter])
    /// Negation (`!`).
    case not(JSONPathFilter)
    /// True when the query selects at least one node (`@.x`, `$.y`).
    case exists(JSONPathEmbeddedQuery)
    case comparison(JSONPathComparable, JSONPathComparisonOperator, JSONPathComparable)
    /// A function returning a logical value (`match`, `search`), or any function used as a test.
    case function(JSONPathFunctionCall)
}

/// A query inside a filter, relative to the current node (`@`) or to the root (`$`).
public struct JSONPathEmbeddedQuery: Sendable, Hashable {
    /// `true` for `@…` (the current node), `false` for `$…` (the root).
    public var isRelative: Bool
    /// Segments applied to the start node.
    public var segments: [JSONPathSegment]
}

/// An operand of a comparison.
public indirect enum JSONPathComparable: Sendable, Hashable {
    /// A string, number, `true`, `false` or `null` literal.
    case literal(JSONValue)
    /// A singular query; compares as "nothing" unless it selects exactly one node.
    case query(JSONPathEmbeddedQuery)
    /// A function returning a value (`length`, `count`, `value`).
    case function(JSONPathFunctionCall)
}

/// A comparison operator of a filter expression.
public enum JSONPathComparisonOperator: String, Sendable, Hashable {
    case equal = "=="
    case notEqual = "!="
    case less = "<"
    case lessOrEqual = "<="
    case greater = ">"
    case greaterOrEqual = ">="
}

/// A call of one of the RFC 9535 function extensions.
public struct JSONPathFunctionCall: Sendable, Hashable {
    /// RFC 9535 §2.4 function extensions.
    public enum Name: String, Sendable, Hashable, CaseIterable {
        case length, count, match, search, value
    }
    /// Which function is called.
    public var name: Name
    /// Arguments in order (count checked by the parser).
    public var arguments: [JSONPathComparable]
}
