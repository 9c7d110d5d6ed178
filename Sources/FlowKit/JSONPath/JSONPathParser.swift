/// Recursive-descent parser from JSONPath tokens to a ``JSONPathQuery`` syntax tree (RFC 9535 §2).
struct JSONPathParser {
    private let tokens: [JSONPathToken]
    private var index = 0

    init(source: String) throws(JSONPathError) {
        var lexer = JSONPathLexer(source)
        tokens = try lexer.tokenize()
    }

    private var current: JSONPathToken { tokens[index] }

    private mutating func advance() { if index < tokens.count - 1 { index += 1 } }

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
        case .number(let value, _): return "number \(JSONValue.format(number: value))"
        case .name(let name): return "'\(name)'"
        case .end: return "end of expression"
        }
    }

    private func failure(_ expected: String) -> JSONPathError {
        JSONPathError(message: "expected \(expected), found \(describe(current))", column: current.column)
    }

    private mutating func expect(_ kind: JSONPathToken.Kind, _ text: String) throws(JSONPathError) {
        guard current.kind == kind else { throw failure(text) }
        advance()
    }

    /// `$` segments, then end of input.
    mutating func parseRootQuery() throws(JSONPathError) -> [JSONPathSegment] {
        guard current.kind == .root else { throw failure("'$' at the start of the query") }
        advance()
        let segments = try parseSegments()
        guard current.kind == .end else { throw failure("'.', '..' or '['") }
        return segments
    }

    private mutating func parseSegments() throws(JSONPathError) -> [JSONPathSegment] {
        var segments: [JSONPathSegment] = []
        while true {
            switch current.kind {
            case .dot:
                advance()
                segments.append(.child([try parseShorthandSelector(after: "'.'")]))
            case .dotDot:
                advance()
                if current.kind == .openBracket {
                    segments.append(.descendant(try parseBracketedSelection()))
                } else {
                    segments.append(.descendant([try parseShorthandSelector(after: "'..'")]))
                }
            case .openBracket:
                segments.append(.child(try parseBracketedSelection()))
            default:
                return segments
            }
        }
    }

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

    private mutating func parseBracketedSelection() throws(JSONPathError) -> [JSONPathSelector] {
        try expect(.openBracket, "'['")
        var selectors = [try parseSelector()]
        while current.kind == .comma {
            advance()
            selectors.append(try parseSelector())
        }
        guard current.kind == .closeBracket else { throw failure("',' or ']'") }
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

    private mutating func parseInteger() throws(JSONPathError) -> Int {
        guard case .number(let value, let isInteger) = current.kind, isInteger,
            abs(value) <= 9_007_199_254_740_991
        else { throw failure("an integer") }
        advance()
        return Int(value)
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

    // MARK: Filter expressions

    private mutating func parseLogicalOr() throws(JSONPathError) -> JSONPathFilter {
        var operands = [try parseLogicalAnd()]
        while current.kind == .or {
            advance()
            operands.append(try parseLogicalAnd())
        }
        return operands.count == 1 ? operands[0] : .or(operands)
    }

    private mutating func parseLogicalAnd() throws(JSONPathError) -> JSONPathFilter {
        var operands = [try parseBasic()]
        while current.kind == .and {
            advance()
            operands.append(try parseBasic())
        }
        return operands.count == 1 ? operands[0] : .and(operands)
    }

    private mutating func parseBasic() throws(JSONPathError) -> JSONPathFilter {
        switch current.kind {
        case .not:
            advance()
            return .not(try parseBasic())
        case .openParen:
            advance()
            let inner = try parseLogicalOr()
            try expect(.closeParen, "')'")
            return inner
        default:
            let column = current.column
            let left = try parseComparable()
            if case .compare(let op) = current.kind {
                advance()
                let right = try parseComparable()
                return .comparison(left, op, right)
            }
            switch left {
            case .query(let query): return .exists(query)
            case .function(let call): return .function(call)
            case .literal:
                throw JSONPathError(message: "a literal must be compared with something", column: column)
            }
        }
    }

    private mutating func parseComparable() throws(JSONPathError) -> JSONPathComparable {
        switch current.kind {
        case .string(let value):
            advance()
            return .literal(.string(value))
        case .number(let value, _):
            advance()
            return .literal(.number(value))
        case .current, .root:
            let isRelative = current.kind == .current
            advance()
            return .query(JSONPathEmbeddedQuery(isRelative: isRelative, segments: try parseSegments()))
        case .name(let name):
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
                return .function(try parseFunctionCall(name))
            }
        default:
            throw failure("a literal, '@', '$' or a function call")
        }
    }

    private mutating func parseFunctionCall(_ name: String) throws(JSONPathError) -> JSONPathFunctionCall {
        let column = current.column
        guard let function = JSONPathFunctionCall.Name(rawValue: name) else {
            let known = JSONPathFunctionCall.Name.allCases.map(\.rawValue).joined(separator: ", ")
            throw JSONPathError(message: "unknown function '\(name)' (known: \(known))", column: column)
        }
        advance()
        try expect(.openParen, "'(' after function name")
        var arguments: [JSONPathComparable] = []
        if current.kind != .closeParen {
            arguments.append(try parseComparable())
            while current.kind == .comma {
                advance()
                arguments.append(try parseComparable())
            }
        }
        try expect(.closeParen, "')'")
        let expected = (function == .match || function == .search) ? 2 : 1
        guard arguments.count == expected else {
            throw JSONPathError(
                message: "\(name)() takes \(expected) argument\(expected == 1 ? "" : "s"), got \(arguments.count)",
                column: column)
        }
        return JSONPathFunctionCall(name: function, arguments: arguments)
    }
}
