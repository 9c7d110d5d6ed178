/// A lexical token of a JSONPath expression with its 1-based column.
struct JSONPathToken: Equatable {
    enum Kind: Equatable {
        case root, current, dot, dotDot, openBracket, closeBracket, star, comma, colon
        case openParen, closeParen, question, not, and, or
        case compare(JSONPathComparisonOperator)
        case string(String)
        case number(Double, isInteger: Bool)
        case name(String)
        case end
    }
    var kind: Kind
    var column: Int
}
