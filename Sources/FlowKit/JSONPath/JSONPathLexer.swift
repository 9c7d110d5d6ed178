/// Splits a JSONPath expression into tokens (RFC 9535 §2.1 lexical rules, slightly relaxed for whitespace).
struct JSONPathLexer {
    private let characters: [Character]
    private var position = 0

    init(_ source: String) { characters = Array(source) }

    /// Tokenizes the whole input; the last token is `.end`.
    mutating func tokenize() throws(JSONPathError) -> [JSONPathToken] {
        var tokens: [JSONPathToken] = []
        while true {
            skipWhitespace()
            let column = position + 1
            guard position < characters.count else {
                tokens.append(JSONPathToken(kind: .end, column: column))
                return tokens
            }
            let character = characters[position]
            func single(_ kind: JSONPathToken.Kind) -> JSONPathToken {
                position += 1
                return JSONPathToken(kind: kind, column: column)
            }
            switch character {
            case "$": tokens.append(single(.root))
            case "@": tokens.append(single(.current))
            case "[": tokens.append(single(.openBracket))
            case "]": tokens.append(single(.closeBracket))
            case "*": tokens.append(single(.star))
            case ",": tokens.append(single(.comma))
            case ":": tokens.append(single(.colon))
            case "(": tokens.append(single(.openParen))
            case ")": tokens.append(single(.closeParen))
            case "?": tokens.append(single(.question))
            case ".":
                if peek(1) == "." {
                    position += 2
                    tokens.append(JSONPathToken(kind: .dotDot, column: column))
                } else {
                    tokens.append(single(.dot))
                }
            case "!":
                if peek(1) == "=" {
                    position += 2
                    tokens.append(JSONPathToken(kind: .compare(.notEqual), column: column))
                } else {
                    tokens.append(single(.not))
                }
            case "=":
                guard peek(1) == "=" else { throw JSONPathError(message: "expected '==', found '='", column: column) }
                position += 2
                tokens.append(JSONPathToken(kind: .compare(.equal), column: column))
            case "<", ">":
                let orEqual = peek(1) == "="
                position += orEqual ? 2 : 1
                let op: JSONPathComparisonOperator =
                    character == "<" ? (orEqual ? .lessOrEqual : .less) : (orEqual ? .greaterOrEqual : .greater)
                tokens.append(JSONPathToken(kind: .compare(op), column: column))
            case "&":
                guard peek(1) == "&" else { throw JSONPathError(message: "expected '&&', found '&'", column: column) }
                position += 2
                tokens.append(JSONPathToken(kind: .and, column: column))
            case "|":
                guard peek(1) == "|" else { throw JSONPathError(message: "expected '||', found '|'", column: column) }
                position += 2
                tokens.append(JSONPathToken(kind: .or, column: column))
            case "'", "\"":
                tokens.append(JSONPathToken(kind: .string(try readString(quote: character)), column: column))
            case "-", "0"..."9":
                tokens.append(try readNumber())
            default:
                if Self.isNameFirst(character) {
                    var name = ""
                    while position < characters.count, Self.isNameCharacter(characters[position]) {
                        name.append(characters[position])
                        position += 1
                    }
                    tokens.append(JSONPathToken(kind: .name(name), column: column))
                } else {
                    throw JSONPathError(message: "unexpected character '\(character)'", column: column)
                }
            }
        }
    }

    static func isNameFirst(_ character: Character) -> Bool {
        character == "_" || character.isLetter || (character.unicodeScalars.first.map { $0.value >= 0x80 } ?? false)
    }

    static func isNameCharacter(_ character: Character) -> Bool {
        isNameFirst(character) || character.isASCII && character.isNumber
    }

    private func peek(_ offset: Int) -> Character? {
        position + offset < characters.count ? characters[position + offset] : nil
    }

    private mutating func skipWhitespace() {
        while position < characters.count, characters[position] == " " || characters[position] == "\t"
            || characters[position] == "\n" || characters[position] == "\r"
        {
            position += 1
        }
    }

    private mutating func readString(quote: Character) throws(JSONPathError) -> String {
        let start = position + 1
        position += 1
        var value = ""
        while position < characters.count {
            let character = characters[position]
            if character == quote {
                position += 1
                return value
            }
            if character == "\\" {
                guard let escaped = peek(1) else { break }
                position += 2
                switch escaped {
                case "b": value.append("\u{08}")
                case "f": value.append("\u{0C}")
                case "n": value.append("\n")
                case "r": value.append("\r")
                case "t": value.append("\t")
                case "/", "\\", "'", "\"": value.append(escaped)
                case "u":
                    let hex = String(characters[min(position, characters.count)..<min(position + 4, characters.count)])
                    guard hex.count == 4, let code = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(code) else {
                        throw JSONPathError(message: "invalid \\u escape", column: position - 1)
                    }
                    value.unicodeScalars.append(scalar)
                    position += 4
                default:
                    throw JSONPathError(message: "invalid escape '\\\(escaped)'", column: position - 1)
                }
                continue
            }
            value.append(character)
            position += 1
        }
        throw JSONPathError(message: "unterminated string literal", column: start)
    }

    private mutating func readNumber() throws(JSONPathError) -> JSONPathToken {
        let column = position + 1
        var text = ""
        if characters[position] == "-" {
            text.append("-")
            position += 1
        }
        var isInteger = true
        func digits() -> String {
            var result = ""
            while position < characters.count, characters[position].isASCII, characters[position].isNumber {
                result.append(characters[position])
                position += 1
            }
            return result
        }
        let integerPart = digits()
        guard !integerPart.isEmpty else { throw JSONPathError(message: "expected a digit after '-'", column: column) }
        text += integerPart
        if position < characters.count, characters[position] == ".", let next = peek(1), next.isASCII, next.isNumber {
            position += 1
            text += "." + digits()
            isInteger = false
        }
        if position < characters.count, characters[position] == "e" || characters[position] == "E" {
            text.append("e")
            position += 1
            if position < characters.count, characters[position] == "+" || characters[position] == "-" {
                text.append(characters[position])
                position += 1
            }
            let exponent = digits()
            guard !exponent.isEmpty else { throw JSONPathError(message: "expected exponent digits", column: position + 1) }
            text += exponent
            isInteger = false
        }
        guard let value = Double(text) else { throw JSONPathError(message: "invalid number '\(text)'", column: column) }
        return JSONPathToken(kind: .number(value, isInteger: isInteger), column: column)
    }
}
