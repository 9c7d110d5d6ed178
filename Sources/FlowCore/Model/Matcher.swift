/// An expectation on one value: a literal compared by JSON equality, or a set of predicates that must all hold.
public enum Matcher: Sendable, Hashable {
    /// Equal to the evaluated literal (numbers compared numerically, `1 == 1.0`).
    case literal(TemplateValue)
    /// Every predicate holds.
    case predicates([Predicate])
}

/// One predicate keyword of a matcher mapping.
public indirect enum Predicate: Sendable, Hashable {
    /// `equals`: JSON equality with the evaluated value.
    case equals(TemplateValue)
    /// `exists`: the value is present (`true`) or absent (`false`).
    case exists(Bool)
    /// `contains`: substring of a string, element of an array, or key of an object.
    case contains(TemplateValue)
    /// `matches`: `NSRegularExpression` search over a string (not anchored).
    case matches(Template)
    /// `type`: the JSON type of the value.
    case type(ValueType)
    /// `length`: a matcher applied to the length of a string (characters), array or object.
    case length(Matcher)
    /// `gt`/`gte`/`lt`/`lte`: numeric, chronological (two RFC 3339 / ISO dates) or lexicographic order.
    case compare(ComparisonOperator, TemplateValue)
    /// `oneOf`: equal to one of the literals.
    case oneOf([TemplateValue])
    /// `not`: the inner matcher does not hold.
    case not(Matcher)

    /// Predicate keywords accepted in a matcher mapping.
    public static let keywords: [String] = [
        "equals", "exists", "contains", "matches", "type", "length", "gt", "gte", "lt", "lte", "oneOf", "not",
    ]

    /// Ordering operators.
    public enum ComparisonOperator: String, Sendable, Hashable {
        /// Greater than, greater or equal, less than, less or equal.
        case gt, gte, lt, lte
    }

    /// JSON types for the `type` predicate; `integer` is a number without fractional part.
    public enum ValueType: String, Sendable, Hashable, CaseIterable {
        case string, number, integer, boolean, array, object, null
    }
}
