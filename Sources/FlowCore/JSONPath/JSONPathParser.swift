/// Recursive-descent parser from JSONPath tokens to a ``JSONPathQuery`` syntax tree (RFC 9535 §2), including
/// where blank space may appear, the I-JSON integer range (§2.1) and the well-typedness of filter
/// expressions (§2.4.3).
struct JSONPathParser {
    private let tokens: [JSONPathToken]
    /// For each scalar offset the 1-based character column; one more entry for the end of the text.
    private let columns: [Int]
    private var index = 0

    /// What may follow `!`, stand on either side of a comparison, or be a function argument without an operator.
    private enum Primary {
        case literal(JSONValue)
        /// A query, with where blank space first appears inside the brackets of one of its segments.
        case query(JSONPathEmbeddedQuery, blankInBrackets: Int?)
        case function(JSONPathFunctionCall)
    }

    /// Segments, with where blank space first appears inside the brackets of one of them (`[ 0]`): allowed in
    /// general, but not in a singular query (RFC 9535 §2.3.5.1 `name-segment`, `index-segment`).
    private struct Segments {
        var segments: [JSONPathSegment] = []
        var blankInBrackets: Int?
    }

    /// The largest magnitude of an index or slice bound: 2^53−1, exact in I-JSON (RFC 9535 §2.1).
    static let largestInteger = 9_007_199_254_740_991

    init(source: String) {
        var scalars: [Unicode.Scalar] = []
        var columns: [Int] = []
        var column = 1
        for character in source {
            for scalar in character.unicodeScalars {
                scalars.append(scalar)
                columns.append(column)
            }
            column += 1
        }
        columns.append(column)
        self.columns = columns
        var lexer = JSONPathLexer(scalars)
        tokens = lexer.tokenize()
    }

    private var current: JSONPathToken { tokens[index] }

    private mutating func advance() { if index < tokens.count - 1 { index += 1 } }

    private func error(_ message: String, at offset: Int) -> JSONPathError {
        JSONPathError(message: message, column: columns[min(max(offset, 0), columns.count - 1)])
    }

    private func describe(_ token: JSONPathToken) -> String {
        switch token.kind {
        case .root: return "'$'"
        case .current: return "'@'"
        case .dot: return "'.'"
        case .dotDot: return "'..'"
        case .openBracket: return "'['"
        case .closeBracket: return "']'"
        case .star: return "'*'"
        case .comma: return "','"
        case .colon: return "':'"
        case .openParen: return "'('"
        case .closeParen: return "')'"
        case .question: return "'?'"
        case .not: return "'!'"
        case .and: return "'&&'"
        case .or: return "'||'"
        case .compare(let op): return "'\(op.rawValue)'"
        case .string(let value): return "string '\(value)'"
        case .number(let text): return "number \(text)"
        case .name(let name): return "'\(name)'"
        case .end: return "end of expression"
        case .invalid(let message): return message
        }
    }

    /// "expected …, found …" at the current token, or the lexical error when the current token is one.
    private func failure(_ expected: String) -> JSONPathError {
        if case .invalid(let message) = current.kind { return error(message, at: current.offset) }
        return error("expected \(expected), found \(describe(current))", at: current.offset)
    }

    private mutating func expect(_ kind: JSONPathToken.Kind, _ text: String) throws(JSONPathError) {
        guard current.kind == kind else { throw failure(text) }
        advance()
    }

    /// RFC 9535 §2.5.1.1, §2.5.2.1: no blank space right after `.` and `..`.
    private func forbidBlank(after text: String) throws(JSONPathError) {
        if let blank = current.blankOffset { throw error("blank space is not allowed after \(text)", at: blank) }
    }

    /// `$` segments, then end of input; no blank space before `$` or at the end.
    mutating func parseRootQuery() throws(JSONPathError) -> [JSONPathSegment] {
        if let blank = current.blankOffset { throw error("blank space is not allowed before '$'", at: blank) }
        guard current.kind == .root else { throw failure("'$' at the start of the query") }
        advance()
        let segments = try parseSegments().segments
        guard current.kind == .end else { throw failure("'.', '..' or '['") }
        if let blank = current.blankOffset {
            throw error("blank space is not allowed at the end of the query", at: blank)
        }
        return segments
    }

    private mutating func parseSegments() throws(JSONPathError) -> Segments {
        var result = Segments()
        while true {
            switch current.kind {
            case .dot:
                advance()
                try forbidBlank(after: "'.'")
                result.segments.append(.child([try parseShorthandSelector(after: "'.'")]))
            case .dotDot:
                advance()
                try forbidBlank(after: "'..'")
                if current.kind == .openBracket {
                    let selectors = try parseBracketedSelection(blankInside: &result.blankInBrackets)
                    result.segments.append(.descendant(selectors))
                } else {
                    result.segments.append(.descendant([try parseShorthandSelector(after: "'..'")]))
                }
            case .openBracket:
                result.segments.append(.child(try parseBracketedSelection(blankInside: &result.blankInBrackets)))
            default:
                return result
            }
        }
    }

    /// `*` or a member name (RFC 9535 §2.5.1.1 `member-name-shorthand`).
    private mutating func parseShorthandSelector(after text: String) throws(JSONPathError) -> JSONPathSelector {
        switch current.kind {
        case .star:
            advance()
            return .wildcard
        case .name(let name):
            advance()
            return .name(name)
        default:
            throw failure("a member name or '*' after \(text)")
        }
    }

    /// `[selector, …]`; `blankInside` is set to the first blank space inside the brackets, unless already set.
    private mutating func parseBracketedSelection(blankInside: inout Int?) throws(JSONPathError) -> [JSONPathSelector] {
        try expect(.openBracket, "'['")
        blankInside = blankInside ?? current.blankOffset
        var selectors = [try parseSelector()]
        while current.kind == .comma {
            advance()
            selectors.append(try parseSelector())
        }
        guard current.kind == .closeBracket else { throw failure("',' or ']'") }
        blankInside = blankInside ?? current.blankOffset
        advance()
        return selectors
    }

    private mutating func parseSelector() throws(JSONPathError) -> JSONPathSelector {
        switch current.kind {
        case .string(let name):
            advance()
            return .name(name)
        case .star:
            advance()
            return .wildcard
        case .question:
            advance()
            return .filter(try parseLogicalOr())
        case .number, .colon:
            return try parseIndexOrSlice()
        default:
            throw failure("a selector (name, index, slice, '*' or '?')")
        }
    }

    /// RFC 9535 `int`: no fraction, exponent, `-0` or leading zeros, within ±(2^53−1).
    private mutating func parseInteger() throws(JSONPathError) -> Int {
        guard case .number(let text) = current.kind else { throw failure("an integer") }
        if text.contains(".") || text.contains("e") {
            throw error("an index or slice bound must be an integer, found \(text)", at: current.offset)
        }
        if text == "-0" { throw error("-0 is not an integer here (write 0)", at: current.offset) }
        guard let value = Int(text), abs(value) <= Self.largestInteger else {
            throw error("\(text) is outside the I-JSON integer range ±(2^53−1)", at: current.offset)
        }
        advance()
        return value
    }

    private mutating func parseIndexOrSlice() throws(JSONPathError) -> JSONPathSelector {
        var start: Int?
        if case .number = current.kind { start = try parseInteger() }
        guard current.kind == .colon else {
            guard let start else { throw failure("an index") }
            return .index(start)
        }
        advance()
        var end: Int?
        var step: Int?
        if case .number = current.kind { end = try parseInteger() }
        if current.kind == .colon {
            advance()
            if case .number = current.kind { step = try parseInteger() }
        }
        return .slice(start: start, end: end, step: step)
    }

    // MARK: Filter expressions (RFC 9535 §2.3.5.1)

    /// `logical-or-expr`; `first` is the already parsed start of its first `basic-expr` (a function argument).
    private mutating func parseLogicalOr(
        startingWith first: (Primary, offset: Int)? = nil
    )
        throws(JSONPathError) -> JSONPathFilter
    {
        var operands = [try parseLogicalAnd(startingWith: first)]
        while current.kind == .or {
            advance()
            operands.append(try parseLogicalAnd(startingWith: nil))
        }
        return operands.count == 1 ? operands[0] : .or(operands)
    }

    private mutating func parseLogicalAnd(
        startingWith first: (Primary, offset: Int)?
    )
        throws(JSONPathError) -> JSONPathFilter
    {
        var operands = [try parseBasic(startingWith: first)]
        while current.kind == .and {
            advance()
            operands.append(try parseBasic())
        }
        return operands.count == 1 ? operands[0] : .and(operands)
    }

    /// `basic-expr`: a parenthesized expression or a test, either optionally negated, or a comparison.
    private mutating func parseBasic(
        startingWith first: (Primary, offset: Int)? = nil
    )
        throws(JSONPathError) -> JSONPathFilter
    {
        if let (primary, offset) = first { return try parseTestOrComparison(primary, at: offset) }
        if current.kind == .not {
            advance()
            if current.kind == .openParen { return .not(try parseParenthesized()) }
            let start = current.offset
            let test = try testExpression(try parsePrimary(), at: start)
            if case .compare = current.kind {
                throw error(
                    "'!' negates a test, not a comparison: put the comparison in parentheses", at: current.offset)
            }
            return .not(test)
        }
        if current.kind == .openParen {
            let inner = try parseParenthesized()
            if case .compare = current.kind {
                throw error("a parenthesized expression is logical and cannot be compared", at: current.offset)
            }
            return inner
        }
        let start = current.offset
        return try parseTestOrComparison(try parsePrimary(), at: start)
    }

    /// A `test-expr` without `!`, or a `comparison-expr` when a comparison operator follows `primary`.
    private mutating func parseTestOrComparison(
        _ primary: Primary, at start: Int
    ) throws(JSONPathError)
        -> JSONPathFilter
    {
        guard case .compare(let op) = current.kind else { return try testExpression(primary, at: start) }
        let left = try comparable(primary, at: start)
        advance()
        let rightStart = current.offset
        let right = try comparable(try parsePrimary(), at: rightStart)
        if case .compare = current.kind {
            throw error("comparisons cannot be chained; combine them with && or ||", at: current.offset)
        }
        return .comparison(left, op, right)
    }

    private mutating func parseParenthesized() throws(JSONPathError) -> JSONPathFilter {
        try expect(.openParen, "'('")
        let inner = try parseLogicalOr()
        try expect(.closeParen, "')'")
        return inner
    }

    /// `test-expr`: a query (does it select anything?) or a function returning LogicalType or NodesType.
    private func testExpression(_ primary: Primary, at offset: Int) throws(JSONPathError) -> JSONPathFilter {
        switch primary {
        case .query(let query, _):
            return .exists(query)
        case .function(let call):
            guard call.name.resultType != .value else {
                throw error(
                    "\(call.name.rawValue)() returns a value (ValueType), which is not a test: "
                        + "compare it with something",
                    at: offset)
            }
            return .function(call)
        case .literal:
            throw error("a literal is not a test: compare it with something", at: offset)
        }
    }

    /// `comparable`: a literal, a singular query or a function returning ValueType (RFC 9535 §2.4.3).
    private func comparable(_ primary: Primary, at offset: Int) throws(JSONPathError) -> JSONPathComparable {
        switch primary {
        case .literal(let value):
            return .literal(value)
        case .query(let query, let blank):
            try requireSingular(query, blankInBrackets: blank, at: offset, "can be compared")
            return .query(query)
        case .function(let call):
            guard call.name.resultType == .value else {
                throw error(
                    "\(call.name.rawValue)() returns \(call.name.resultType.rawValue), which cannot be compared",
                    at: offset)
            }
            return .function(call)
        }
    }

    /// RFC 9535 §2.3.5.1 `singular-query`: only `.name`, `['name']` and `[index]` segments, no blank space inside
    /// their brackets.
    private func requireSingular(
        _ query: JSONPathEmbeddedQuery, blankInBrackets: Int?, at offset: Int, _ purpose: String
    ) throws(JSONPathError) {
        guard query.isSingular else {
            throw error(
                "only a singular query (names and indexes; no '*', '..', slices, filters or lists) \(purpose)",
                at: offset)
        }
        if let blankInBrackets {
            throw error(
                "a singular query has no blank space inside its brackets (write @['a'], not @[ 'a' ])",
                at: blankInBrackets)
        }
    }

    private static func startsPrimary(_ kind: JSONPathToken.Kind) -> Bool {
        switch kind {
        case .string, .number, .current, .root, .name: return true
        default: return false
        }
    }

    /// A literal, a query or a function call.
    private mutating func parsePrimary() throws(JSONPathError) -> Primary {
        switch current.kind {
        case .string(let value):
            advance()
            return .literal(.string(value))
        case .number(let text):
            guard let value = JSONNumber(text) else { throw error("invalid number \(text)", at: current.offset) }
            advance()
            return .literal(.number(value))
        case .current, .root:
            let isRelative = current.kind == .current
            advance()
            let parsed = try parseSegments()
            return .query(
                JSONPathEmbeddedQuery(isRelative: isRelative, segments: parsed.segments),
                blankInBrackets: parsed.blankInBrackets)
        case .name(let name):
            let next = tokens[index + 1]
            if next.kind == .openParen {
                if let blank = next.blankOffset {
                    throw error("blank space is not allowed between a function name and '('", at: blank)
                }
                return .function(try parseFunctionCall())
            }
            switch name {
            case "true":
                advance()
                return .literal(.bool(true))
            case "false":
                advance()
                return .literal(.bool(false))
            case "null":
                advance()
                return .literal(.null)
            default:
                throw error(
                    "'\(name)' is neither a literal (true, false, null) nor a function call", at: current.offset)
            }
        default:
            throw failure("a literal, '@', '$' or a function call")
        }
    }

    /// `name(arguments)`: a known function with as many arguments as it has parameters, each of a fitting type.
    private mutating func parseFunctionCall() throws(JSONPathError) -> JSONPathFunctionCall {
        guard case .name(let name) = current.kind else { throw failure("a function name") }
        let nameOffset = current.offset
        guard let function = JSONPathFunctionCall.Name(rawValue: name) else {
            let known = JSONPathFunctionCall.Name.allCases.map(\.rawValue).joined(separator: ", ")
            throw error("unknown function '\(name)' (known: \(known))", at: nameOffset)
        }
        advance()
        try expect(.openParen, "'(' after the function name")
        let parameters = function.parameterTypes
        var arguments: [JSONPathFunctionArgument] = []
        if current.kind != .closeParen {
            while true {
                let offset = current.offset
                guard arguments.count < parameters.count else {
                    throw error("\(name)() takes \(Self.count(parameters.count)), got more", at: offset)
                }
                arguments.append(try parseArgument(for: parameters[arguments.count], of: name))
                guard current.kind == .comma else { break }
                advance()
            }
        }
        guard current.kind == .closeParen else { throw failure("',' or ')'") }
        guard arguments.count == parameters.count else {
            throw error("\(name)() takes \(Self.count(parameters.count)), got \(arguments.count)", at: current.offset)
        }
        advance()
        return JSONPathFunctionCall(name: function, arguments: arguments)
    }

    private static func count(_ arguments: Int) -> String {
        arguments == 1 ? "1 argument" : "\(arguments) arguments"
    }

    /// One argument (`function-argument`), checked against the parameter's declared type (RFC 9535 §2.4.3).
    private mutating func parseArgument(
        for type: JSONPathFunctionType, of function: String
    )
        throws(JSONPathError) -> JSONPathFunctionArgument
    {
        let offset = current.offset
        var first: (Primary, offset: Int)?
        if Self.startsPrimary(current.kind) {
            let primary = try parsePrimary()
            if current.kind == .comma || current.kind == .closeParen {
                return try argument(primary, for: type, of: function, at: offset)
            }
            first = (primary, offset)
        }
        let logical = try parseLogicalOr(startingWith: first)
        guard type == .logical else {
            throw error(
                "\(function)() needs \(type.rawValue) here, not a logical expression (LogicalType)", at: offset)
        }
        return .logical(logical)
    }

    private func argument(
        _ primary: Primary, for type: JSONPathFunctionType, of function: String, at offset: Int
    )
        throws(JSONPathError) -> JSONPathFunctionArgument
    {
        switch (primary, type) {
        case (.literal(let value), .value):
            return .literal(value)
        case (.query(let query, let blank), .value):
            try requireSingular(query, blankInBrackets: blank, at: offset, "gives \(function)() a value")
            return .query(query)
        case (.query(let query, _), .nodes), (.query(let query, _), .logical):
            return .query(query)
        case (.function(let call), _):
            let result = call.name.resultType
            guard result == type || (type == .logical && result == .nodes) else {
                throw error(
                    "\(call.name.rawValue)() returns \(result.rawValue), but \(function)() needs \(type.rawValue) here",
                    at: offset)
            }
            return .function(call)
        case (.literal, _):
            throw error("\(function)() needs \(type.rawValue) here, not a literal", at: offset)
        }
    }
}
