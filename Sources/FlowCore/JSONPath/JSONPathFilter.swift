/// A logical expression of a filter selector `[?…]` (RFC 9535 §2.3.5), already checked for well-typedness.
public indirect enum JSONPathFilter: Sendable, Hashable {
    /// True when any operand is (`||`).
    case or([JSONPathFilter])
    /// True when every operand is (`&&`).
    case and([JSONPathFilter])
    /// Negation (`!`).
    case not(JSONPathFilter)
    /// True when the query selects at least one node (`@.x`, `$.y`, `@..z`).
    case exists(JSONPathEmbeddedQuery)
    /// A comparison of two values (§2.3.5.2.2); a side that is "Nothing" (a query selecting no node, a function
    /// without a result) equals only another "Nothing".
    case comparison(JSONPathComparable, JSONPathComparisonOperator, JSONPathComparable)
    /// A function returning a logical value (`match`, `search`) or a node list (true when not empty).
    case function(JSONPathFunctionCall)
}

/// A query inside a filter, relative to the current node (`@`) or to the root (`$`).
public struct JSONPathEmbeddedQuery: Sendable, Hashable {
    /// `true` for `@…` (the current node), `false` for `$…` (the root).
    public var isRelative: Bool
    /// Segments applied to the start node.
    public var segments: [JSONPathSegment]

    /// Creates a query; see the properties.
    public init(isRelative: Bool, segments: [JSONPathSegment]) {
        self.isRelative = isRelative
        self.segments = segments
    }

    /// Whether it selects at most one node (RFC 9535 §2.3.5.1), as comparisons and value arguments require.
    public var isSingular: Bool { segments.allSatisfy(\.isSingular) }
}

/// An operand of a comparison (RFC 9535 §2.3.5.1 `comparable`).
public indirect enum JSONPathComparable: Sendable, Hashable {
    /// A string, number, `true`, `false` or `null` literal.
    case literal(JSONValue)
    /// A singular query: its one node's value, or "Nothing" when it selects none.
    case query(JSONPathEmbeddedQuery)
    /// A function whose result is a value (`length`, `count`, `value`).
    case function(JSONPathFunctionCall)
}

/// A comparison operator of a filter expression (RFC 9535 §2.3.5.2.2).
public enum JSONPathComparisonOperator: String, Sendable, Hashable {
    /// Same kind and value; arrays and objects compare deeply, numbers by value (`1 == 1.0`).
    case equal = "=="
    /// Not `==`.
    case notEqual = "!="
    /// Both numbers, or both strings in Unicode scalar order; false for any other pair.
    case less = "<"
    /// `<` or `==`.
    case lessOrEqual = "<="
    /// `<` with the sides swapped.
    case greater = ">"
    /// `>` or `==`.
    case greaterOrEqual = ">="
}
