/// Parses the text between `{{` and `}}` into a ``TemplateExpression``.
///
/// Grammar: `expr := string | number | name ( '(' [expr (',' expr)*] ')' | ('.' name | '[' int ']' | '[' string ']')* )`.
struct TemplateExpressionParser {
    private let characters: [Character]
    private var position = 0
    /// Offset of the expression text within the whole template, for error messages.
    private let baseOffset: Int

    init(_ text: String, baseOffset: Int) {
        characters = Array(text)
        self.baseOffset = baseOffset
    }

    mutating func parse() throws(TemplateError) -> TemplateExpression {
        skipSpaces()
        guard position < characters.count else { throw error("empty expression") }
        let expression = try parseExpression()
        skipSpaces()
        guard position == characters.count else { throw error("unexpected '\(characters[position])'") }
        return expression
    }

    private func error(_ message: String) -> TemplateError {
        .syntax(message: message, offset: baseOffset + position)
    }

    private mutating func skipSpaces() {
        while position < characters.count, characters[position].isWhitespace { position += 1 }
    }

    private static func isNameStart(_ character: Character) -> Bool { character == "_" || character.isLetter }
    private static func isNameCharacter(_ character: Character) -> Bool {
        isNameStart(character) || (character.isASCII && character.isNumber)
    }

    private mutating func parseName() throws(TemplateError) -> String {
        guard position < characters.count, Self.isNameStart(characters[position]) else { throw error("expected a name") }
        var name = ""
        while position < characters.count, Self.isNameCharacter(characters[position]) {
            name.append(characters[position])
            position += 1
        }
        return name
    }

    private mutating func parseExpression() throws(TemplateError) -> TemplateExpression {
        skipSpaces()
        guard position < characters.count else { throw error("expected an expression") }
        let character = characters[position]
        if character == "'" || character == "\"" { return .string(try parseString()) }
        if character == "-" || character == "+" || (character.isASCII && character.isNumber) { return .number(try parseNumber()) }
        let nameOffset = position
        let name = try parseName()
        skipSpaces()
        if position < characters.count, characters[position] == "(" {
            guard let function = TemplateFunction(rawValue: name) else {
                throw TemplateError.unknownFunction(name)
            }
            position += 1
            var arguments: [TemplateExpression] = []
            skipSpaces()
            if position < characters.count, characters[position] == ")" {
                position += 1
            } else {
                while true {
                    arguments.append(try parseExpression())
                    skipSpaces()
                    guard position < characters.count else { throw error("expected ')'") }
                    if characters[position] == "," {
                        position += 1
                        continue
                    }
                    guard characters[position] == ")" else { throw error("expected ',' or ')'") }
                    position += 1
                    break
                }
            }
            guard function.arity.contains(arguments.count) else {
                let range = function.arity
                let expected = range.lowerBound == range.upperBound ? "\(range.lowerBound)" : "\(range.lowerBound)-\(range.upperBound)"
                throw TemplateError.syntax(
                    message: "\(name)() takes \(expected) argument(s), got \(arguments.count)", offset: baseOffset + nameOffset)
            }
            return .call(function, arguments: arguments)
        }
        var components: [TemplateExpression.PathComponent] = []
        while position < characters.count {
            if characters[position] == "." {
                position += 1
                components.append(.member(try parseName()))
            } else if characters[position] == "[" {
                position += 1
                skipSpaces()
                guard position < characters.count else { throw error("expected an index or a quoted name") }
                if characters[position] == "'" || characters[position] == "\"" {
                    components.append(.member(try parseString()))
                } else {
                    let number = try parseNumber()
                    guard let index = number.intValue, abs(index) < 1_000_000_000_000_000 else { throw error("index must be an integer") }
                    components.append(.index(index))
                }
                skipSpaces()
                guard position < characters.count, characters[position] == "]" else { throw error("expected ']'") }
                position += 1
            } else {
                break
            }
        }
        return .path(root: name, components: components)
    }

    private mutating func parseString() throws(TemplateError) -> String {
        let quote = characters[position]
        let start = position
        position += 1
        var value = ""
        while position < characters.count {
            let character = characters[position]
            if character == quote {
                position += 1
                return value
            }
            if character == "\\", position + 1 < characters.count {
                let escaped = characters[position + 1]
                switch escaped {
                case "n": value.append("\n")
                case "t": value.append("\t")
                case "r": value.append("\r")
                default: value.append(escaped)
                }
                position += 2
                continue
            }
            value.append(character)
            position += 1
        }
        throw TemplateError.syntax(message: "unterminated string literal", offset: baseOffset + start)
    }

    /// A JSON number literal (`42`, `-1.5`, `12345678901234567890`), kept exactly; a leading `+` is dropped.
    private mutating func parseNumber() throws(TemplateError) -> JSONNumber {
        let start = position
        var text = ""
        if characters[position] == "-" || characters[position] == "+" {
            if characters[position] == "-" { text.append("-") }
            position += 1
        }
        while position < characters.count,
            characters[position].isASCII
                && (characters[position].isNumber || characters[position] == "." || characters[position] == "e" || characters[position] == "E"
                    || ((characters[position] == "+" || characters[position] == "-") && (text.last == "e" || text.last == "E")))
        {
            text.append(characters[position])
            position += 1
        }
        guard let value = JSONNumber(text) else {
            throw TemplateError.syntax(message: "invalid number '\(text)'", offset: baseOffset + start)
        }
        return value
    }
}
