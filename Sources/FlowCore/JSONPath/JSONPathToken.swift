/// A lexical token of a JSONPath expression.
///
/// Offsets count Unicode scalars from the start of the expression (0-based); the parser turns them into
/// 1-based character columns for ``JSONPathError``.
struct JSONPathToken: Equatable {
    enum Kind: Equatable {
        case root, current, dot, dotDot, openBracket, closeBracket, star, comma, colon
        case openParen, closeParen, question, not, and, or
        case compare(JSONPathComparisonOperator)
        /// A string literal, escapes already decoded.
        case string(String)
        /// A number literal as written (`-0`, `1.5e3`); the parser decides whether it is an integer.
        case number(String)
        /// A run of member-name characters: a member name, a function name, `true`, `false` or `null`.
        case name(String)
        case end
        /// Text that is not a token (RFC 9535 §2.1); the parser reports `message` when it reaches it.
        case invalid(String)
    }
    var kind: Kind
    /// Scalar offset of the token's first character.
    var offset: Int
    /// Scalar offset where blank space (RFC 9535 `B`: space, tab, LF, CR) right before the token starts,
    /// or `nil` when the token follows the previous one directly.
    var blankOffset: Int?
}
