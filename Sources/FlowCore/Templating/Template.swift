/// A string that may contain `{{ expression }}` placeholders, parsed once and evaluated many times.
///
/// A template that is exactly one placeholder (surrounding whitespace allowed) evaluates to the
/// expression's value with its JSON type; otherwise placeholders are interpolated as text
/// (strings raw, other values as compact JSON).
public struct Template: Sendable, Hashable, CustomStringConvertible {
    /// A piece of a template.
    public enum Part: Sendable, Hashable {
        /// Text copied as is.
        case literal(String)
        /// A `{{ … }}` placeholder.
        case expression(TemplateExpression)
    }

    /// The literal and placeholder pieces in order.
    public let parts: [Part]
    /// The original text.
    public let source: String

    /// Parses template text.
    /// - Throws: ``TemplateError/syntax(message:offset:)`` for `{{` without `}}` or a malformed expression;
    ///   ``TemplateError/unknownFunction(_:)`` for a call of a function that does not exist.
    public init(_ source: String) throws(TemplateError) {
        self.source = source
        var parts: [Part] = []
        let characters = Array(source)
        var literal = ""
        var position = 0
        while position < characters.count {
            if characters[position] == "{", position + 1 < characters.count, characters[position + 1] == "{" {
                let open = position
                var close: Int?
                var search = position + 2
                while search + 1 < characters.count {
                    if characters[search] == "}" && characters[search + 1] == "}" {
                        close = search
                        break
                    }
                    search += 1
                }
                guard let close else {
                    throw TemplateError.syntax(message: "'{{' without a closing '}}'", offset: open)
                }
                if !literal.isEmpty {
                    parts.append(.literal(literal))
                    literal = ""
                }
                var parser = TemplateExpressionParser(String(characters[(open + 2)..<close]), baseOffset: open + 2)
                parts.append(.expression(try parser.parse()))
                position = close + 2
            } else {
                literal.append(characters[position])
                position += 1
            }
        }
        if !literal.isEmpty { parts.append(.literal(literal)) }
        self.parts = parts
    }

    /// A template holding `text` verbatim, without placeholders.
    public init(literal text: String) {
        source = text
        parts = text.isEmpty ? [] : [.literal(text)]
    }

    /// Whether the template has no placeholders.
    public var isLiteral: Bool {
        parts.allSatisfy { if case .literal = $0 { return true } else { return false } }
    }

    /// The single expression when the template is exactly one placeholder, ignoring surrounding whitespace.
    var soleExpression: TemplateExpression? {
        var found: TemplateExpression?
        for part in parts {
            switch part {
            case .literal(let text):
                if !text.allSatisfy(\.isWhitespace) { return nil }
            case .expression(let expression):
                if found != nil { return nil }
                found = expression
            }
        }
        return found
    }

    /// Evaluates the template.
    /// - Returns: the typed value for a sole placeholder, otherwise a `.string`.
    /// - Throws: ``TemplateError`` for undefined variables, missing members or bad function arguments.
    public func evaluate(in scope: TemplateScope) throws(TemplateError) -> JSONValue {
        if let expression = soleExpression {
            return try TemplateEvaluator(scope: scope).evaluate(expression)
        }
        return .string(try render(in: scope))
    }

    /// Evaluates the template as text (non-string values rendered as compact JSON).
    /// - Throws: ``TemplateError`` as ``evaluate(in:)``.
    public func render(in scope: TemplateScope) throws(TemplateError) -> String {
        let evaluator = TemplateEvaluator(scope: scope)
        var output = ""
        for part in parts {
            switch part {
            case .literal(let text): output += text
            case .expression(let expression): output += try evaluator.evaluate(expression).interpolationText
            }
        }
        return output
    }

    public var description: String { source }
}
