/// Splits a JSONPath expression into tokens by the lexical rules of RFC 9535 §2.
///
/// Blank space is not a token: it is recorded on the token that follows it, and the parser decides where it is
/// allowed (by the RFC 9535 grammar: not before `$`, not at the end, not after `.`/`..`, not between a function
/// name and `(`, not inside the brackets of a singular query).
/// The first lexical error ends the token list with an ``JSONPathToken/Kind/invalid(_:)`` token, so the parser
/// reports whichever problem comes first in the text.
struct JSONPathLexer {
    private let scalars: [Unicode.Scalar]
    private var position = 0

    private struct Failure: Error {
        var message: String
        var offset: Int
    }

    init(_ scalars: [Unicode.Scalar]) { self.scalars = scalars }

    /// Tokenizes the whole input; the last token is `.end` or `.invalid`.
    mutating func tokenize() -> [JSONPathToken] {
        var tokens: [JSONPathToken] = []
        while true {
            let blankStart = position
            while position < scalars.count, Self.isBlank(scalars[position]) { position += 1 }
            let blankOffset = position > blankStart ? blankStart : nil
            let start = position
            guard position < scalars.count else {
                tokens.append(JSONPathToken(kind: .end, offset: start, blankOffset: blankOffset))
                return tokens
            }
            do {
                let kind = try nextKind()
                tokens.append(JSONPathToken(kind: kind, offset: start, blankOffset: blankOffset))
            } catch {
                tokens.append(JSONPathToken(kind: .invalid(error.message), offset: error.offset, blankOffset: nil))
                return tokens
            }
        }
    }

    /// RFC 9535 `B`: space, horizontal tab, line feed, carriage return.
    static func isBlank(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r"
    }

    /// RFC 9535 `name-first`: ALPHA / "_" / %x80-D7FF / %xE000-10FFFF (Swift scalars are never surrogates).
    static func isNameFirst(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || scalar == "_" || scalar.value >= 0x80
    }

    /// RFC 9535 `name-char`: `name-first` / DIGIT.
    static func isNameCharacter(_ scalar: Unicode.Scalar) -> Bool {
        isNameFirst(scalar) || isDigit(scalar)
    }

    static func isDigit(_ scalar: Unicode.Scalar) -> Bool { ("0"..."9").contains(scalar) }

    private func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        position + offset < scalars.count ? scalars[position + offset] : nil
    }

    private mutating func nextKind() throws(Failure) -> JSONPathToken.Kind {
        let scalar = scalars[position]
        func single(_ kind: JSONPathToken.Kind) -> JSONPathToken.Kind {
            position += 1
            return kind
        }
        func double(_ kind: JSONPathToken.Kind) -> JSONPathToken.Kind {
            position += 2
            return kind
        }
        func pair(
            _ second: Unicode.Scalar, _ kind: JSONPathToken.Kind, _ message: String
        ) throws(Failure)
            -> JSONPathToken.Kind
        {
            guard peek(1) == second else { throw Failure(message: message, offset: position) }
            return double(kind)
        }
        switch scalar {
        case "$": return single(.root)
        case "@": return single(.current)
        case "[": return single(.openBracket)
        case "]": return single(.closeBracket)
        case "*": return single(.star)
        case ",": return single(.comma)
        case ":": return single(.colon)
        case "(": return single(.openParen)
        case ")": return single(.closeParen)
        case "?": return single(.question)
        case ".": return peek(1) == "." ? double(.dotDot) : single(.dot)
        case "!": return peek(1) == "=" ? double(.compare(.notEqual)) : single(.not)
        case "=": return try pair("=", .compare(.equal), "expected '==', found '='")
        case "<": return peek(1) == "=" ? double(.compare(.lessOrEqual)) : single(.compare(.less))
        case ">": return peek(1) == "=" ? double(.compare(.greaterOrEqual)) : single(.compare(.greater))
        case "&": return try pair("&", .and, "expected '&&', found '&'")
        case "|": return try pair("|", .or, "expected '||', found '|'")
        case "'", "\"": return .string(try readString())
        case "-", "0"..."9": return .number(try readNumber())
        default:
            guard Self.isNameFirst(scalar) else {
                throw Failure(message: "unexpected character '\(Self.printable(scalar))'", offset: position)
            }
            var name = String.UnicodeScalarView()
            while let next = peek(), Self.isNameCharacter(next) {
                name.append(next)
                position += 1
            }
            return .name(String(name))
        }
    }

    /// The character itself, or `U+XXXX` for a control character.
    private static func printable(_ scalar: Unicode.Scalar) -> String {
        guard scalar.value < 0x20 || scalar.value == 0x7F else { return String(scalar) }
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: 4 - hex.count) + hex
    }

    /// A string literal (RFC 9535 §2.3.1.1): the other quote may appear unescaped, control characters may not,
    /// `\uXXXX` escapes of surrogates must form a high-low pair.
    private mutating func readString() throws(Failure) -> String {
        let quote = scalars[position]
        let start = position
        position += 1
        var value = String.UnicodeScalarView()
        while let scalar = peek() {
            if scalar == quote {
                position += 1
                return String(value)
            }
            if scalar.value < 0x20 {
                throw Failure(
                    message: "control character \(Self.printable(scalar)) must be escaped in a string literal",
                    offset: position)
            }
            guard scalar == "\\" else {
                value.append(scalar)
                position += 1
                continue
            }
            let escapeOffset = position
            guard let escaped = peek(1) else { break }
            position += 2
            switch escaped {
            case "b": value.append("\u{08}")
            case "f": value.append("\u{0C}")
            case "n": value.append("\n")
            case "r": value.append("\r")
            case "t": value.append("\t")
            case "/", "\\": value.append(escaped)
            case "'", "\"":
                guard escaped == quote else {
                    throw Failure(
                        message:
                            "\\\(escaped) is not an escape inside \(quote)-quoted strings (write \(escaped) as is)",
                        offset: escapeOffset)
                }
                value.append(escaped)
            case "u": value.append(try readUnicodeEscape(at: escapeOffset))
            default:
                throw Failure(message: "invalid escape '\\\(Self.printable(escaped))'", offset: escapeOffset)
            }
        }
        throw Failure(message: "unterminated string literal", offset: start)
    }

    /// The scalar of `\uXXXX` (position just after `u`), consuming a following `\uXXXX` low surrogate after a
    /// high one.
    private mutating func readUnicodeEscape(at escapeOffset: Int) throws(Failure) -> Unicode.Scalar {
        let high = try readHex(escapeOffset: escapeOffset)
        switch high {
        case 0xDC00...0xDFFF:
            throw Failure(message: "a low surrogate \\u escape must follow a high surrogate", offset: escapeOffset)
        case 0xD800...0xDBFF:
            let lowOffset = position
            guard peek() == "\\", peek(1) == "u" else {
                throw Failure(
                    message: "a high surrogate \\u escape must be followed by a low one", offset: escapeOffset)
            }
            position += 2
            let low = try readHex(escapeOffset: lowOffset)
            guard (0xDC00...0xDFFF).contains(low) else {
                throw Failure(message: "expected a low surrogate \\u escape (DC00–DFFF)", offset: lowOffset)
            }
            return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))!
        default:
            return Unicode.Scalar(high)!
        }
    }

    private mutating func readHex(escapeOffset: Int) throws(Failure) -> UInt32 {
        var code: UInt32 = 0
        for _ in 0..<4 {
            guard let scalar = peek(), scalar.properties.isASCIIHexDigit, let digit = UInt32(String(scalar), radix: 16)
            else { throw Failure(message: "\\u needs four hexadecimal digits", offset: escapeOffset) }
            code = code * 16 + digit
            position += 1
        }
        return code
    }

    /// A number (RFC 9535 §2.3.5.1 `number`): `-`? integer part without leading zeros, optional fraction and
    /// exponent. Returned as written.
    private mutating func readNumber() throws(Failure) -> String {
        var text = ""
        if peek() == "-" {
            text = "-"
            position += 1
        }
        guard let first = peek(), Self.isDigit(first) else {
            throw Failure(message: "expected a digit after '-'", offset: position)
        }
        let integerStart = position
        let integer = digits()
        if integer.count > 1, integer.hasPrefix("0") {
            throw Failure(message: "leading zeros are not allowed in numbers", offset: integerStart)
        }
        text += integer
        if peek() == "." {
            position += 1
            let fraction = digits()
            guard !fraction.isEmpty else { throw Failure(message: "expected a digit after '.'", offset: position) }
            text += "." + fraction
        }
        if peek() == "e" || peek() == "E" {
            text += "e"
            position += 1
            if let sign = peek(), sign == "+" || sign == "-" {
                text.unicodeScalars.append(sign)
                position += 1
            }
            let exponent = digits()
            guard !exponent.isEmpty else { throw Failure(message: "expected exponent digits", offset: position) }
            text += exponent
        }
        return text
    }

    private mutating func digits() -> String {
        var result = ""
        while let scalar = peek(), Self.isDigit(scalar) {
            result.unicodeScalars.append(scalar)
            position += 1
        }
        return result
    }
}
