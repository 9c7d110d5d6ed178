import Foundation

/// I-Regexp (RFC 9485), the interoperable regular expressions of the JSONPath `match` and `search` functions
/// (RFC 9535 §2.4.6–2.4.7), translated into ICU syntax for `NSRegularExpression`.
///
/// The translation keeps I-Regexp meaning where ICU differs: `.` matches any character except LF and CR,
/// there are no back-references, lazy or possessive quantifiers, `\d`-style escapes or ICU flags (such patterns
/// are invalid), and character classes have no ICU set operations (`&&`, nested `[…]`).
///
/// `^` and `$` outside character classes assert the start and the end of the string. The RFC 9485 §5 grammar
/// lists them as ordinary characters, but its §5.3 mappings to other dialects keep them as anchors, and so does
/// the JSONPath compliance test suite (`match(@, '^ab.*')` matches `"abc"`); this follows the mappings.
enum IRegexp {
    /// The ICU pattern for an I-Regexp, or `nil` when `source` is not a valid I-Regexp.
    static func icuPattern(_ source: String) -> String? {
        var translator = Translator(scalars: Array(source.unicodeScalars))
        return translator.translate()
    }

    /// The `IsCategory` names of RFC 9485 §5 (`\p{…}` and `\P{…}`).
    static let categories: Set<String> = [
        "L", "Ll", "Lm", "Lo", "Lt", "Lu", "M", "Mc", "Me", "Mn", "N", "Nd", "Nl", "No",
        "P", "Pc", "Pd", "Pe", "Pf", "Pi", "Po", "Ps", "Z", "Zl", "Zp", "Zs",
        "S", "Sc", "Sk", "Sm", "So", "C", "Cc", "Cf", "Cn", "Co",
    ]

    /// Recursive-descent translator following the RFC 9485 §5 grammar.
    private struct Translator {
        let scalars: [Unicode.Scalar]
        var position = 0
        var output = ""

        init(scalars: [Unicode.Scalar]) { self.scalars = scalars }

        private func peek(_ offset: Int = 0) -> Unicode.Scalar? {
            position + offset < scalars.count ? scalars[position + offset] : nil
        }

        mutating func translate() -> String? {
            guard regexp(), position == scalars.count else { return nil }
            return output
        }

        /// A literal character in ICU syntax: ASCII letters and digits as is, anything else as `\x{…}`.
        private static func literal(_ scalar: Unicode.Scalar) -> String {
            if ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) {
                return String(scalar)
            }
            return "\\x{" + String(scalar.value, radix: 16) + "}"
        }

        /// `i-regexp = branch *( "|" branch )`
        private mutating func regexp() -> Bool {
            guard branch() else { return false }
            while peek() == "|" {
                position += 1
                output += "|"
                guard branch() else { return false }
            }
            return true
        }

        /// `branch = *piece`
        private mutating func branch() -> Bool {
            while let scalar = peek(), scalar != "|", scalar != ")" {
                guard atom(), quantifier() else { return false }
            }
            return true
        }

        /// `atom = NormalChar / charClass / ( "(" i-regexp ")" )`
        private mutating func atom() -> Bool {
            guard let scalar = peek() else { return false }
            switch scalar {
            case "(":
                position += 1
                output += "(?:"
                guard regexp(), peek() == ")" else { return false }
                position += 1
                output += ")"
                return true
            case ".":
                position += 1
                output += "[^\\n\\r]"
                return true
            case "\\":
                if let category = categoryEscape() {
                    output += category
                    return true
                }
                guard let escaped = singleCharacterEscape() else { return false }
                output += Self.literal(escaped)
                return true
            case "[":
                return characterClass()
            case "^", "$":
                position += 1
                output += scalar == "^" ? "\\A" : "\\z"
                return true
            case ")", "*", "+", "?", "{", "}", "]", "|":
                return false
            default:
                position += 1
                output += Self.literal(scalar)
                return true
            }
        }

        /// `quantifier = ( "*" / "+" / "?" ) / range-quantifier`, optional.
        private mutating func quantifier() -> Bool {
            switch peek() {
            case "*", "+", "?":
                output.unicodeScalars.append(peek()!)
                position += 1
                return true
            case "{":
                position += 1
                let minimum = digits()
                guard !minimum.isEmpty else { return false }
                var text = "{" + minimum
                if peek() == "," {
                    position += 1
                    let maximum = digits()
                    if !maximum.isEmpty, let low = Int(minimum), let high = Int(maximum), low > high { return false }
                    text += "," + maximum
                }
                guard peek() == "}" else { return false }
                position += 1
                output += text + "}"
                return true
            default:
                return true
            }
        }

        private mutating func digits() -> String {
            var text = ""
            while let scalar = peek(), ("0"..."9").contains(scalar) {
                text.unicodeScalars.append(scalar)
                position += 1
            }
            return text
        }

        /// `catEsc / complEsc`: `\p{…}` or `\P{…}` with an RFC 9485 category, or `nil` (position unchanged).
        private mutating func categoryEscape() -> String? {
            guard peek() == "\\", let kind = peek(1), kind == "p" || kind == "P", peek(2) == "{" else { return nil }
            var name = ""
            var offset = 3
            while let scalar = peek(offset), scalar != "}" {
                name.unicodeScalars.append(scalar)
                offset += 1
            }
            guard peek(offset) == "}", Self.isCategory(name) else { return nil }
            position += offset + 1
            return "\\\(kind){\(name)}"
        }

        private static func isCategory(_ name: String) -> Bool { IRegexp.categories.contains(name) }

        /// `SingleCharEsc`: the escaped character (`\n`, `\r`, `\t` as LF, CR, tab), or `nil` when the backslash
        /// does not start one.
        private mutating func singleCharacterEscape() -> Unicode.Scalar? {
            guard peek() == "\\", let escaped = peek(1) else { return nil }
            let result: Unicode.Scalar
            switch escaped {
            case "(", ")", "*", "+", "-", ".", "?", "[", "\\", "]", "^", "{", "|", "}": result = escaped
            case "n": result = "\n"
            case "r": result = "\r"
            case "t": result = "\t"
            default: return nil
            }
            position += 2
            return result
        }

        /// `charClassExpr = "[" [ "^" ] ( "-" / CCE1 ) *CCE1 [ "-" ] "]"`
        private mutating func characterClass() -> Bool {
            position += 1
            output += "["
            if peek() == "^" {
                position += 1
                output += "^"
            }
            if peek() == "-" {
                position += 1
                output += Self.literal("-")
            } else {
                guard classItem() else { return false }
            }
            while let scalar = peek() {
                switch scalar {
                case "]":
                    position += 1
                    output += "]"
                    return true
                case "-":
                    guard peek(1) == "]" else { return false }
                    position += 1
                    output += Self.literal("-")
                default:
                    guard classItem() else { return false }
                }
            }
            return false
        }

        /// `CCE1 = ( CCchar [ "-" CCchar ] ) / charClassEsc`
        private mutating func classItem() -> Bool {
            if let category = categoryEscape() {
                output += category
                return true
            }
            guard let low = classCharacter() else { return false }
            if peek() == "-", let after = peek(1), after != "]" {
                position += 1
                guard let high = classCharacter(), low.value <= high.value else { return false }
                output += Self.literal(low) + "-" + Self.literal(high)
            } else {
                output += Self.literal(low)
            }
            return true
        }

        /// `CCchar`: any character but `-`, `[`, `\` and `]`, or a `SingleCharEsc`.
        private mutating func classCharacter() -> Unicode.Scalar? {
            guard let scalar = peek() else { return nil }
            switch scalar {
            case "\\": return singleCharacterEscape()
            case "[", "]", "-": return nil
            default:
                position += 1
                return scalar
            }
        }
    }
}

extension IRegexp {
    /// Compiled I-Regexps of one query evaluation, so a filter does not recompile its pattern for every node.
    /// Not shared between evaluations (and so not `Sendable`).
    final class Cache {
        private var compiled: [String: NSRegularExpression?] = [:]

        /// The regular expression for an I-Regexp, matching the whole string (`match`) or a substring
        /// (`search`); `nil` when the pattern is not a valid I-Regexp.
        func regex(for pattern: String, wholeString: Bool) -> NSRegularExpression? {
            let key = (wholeString ? "match:" : "search:") + pattern
            if let cached = compiled[key] { return cached }
            let regex = IRegexp.icuPattern(pattern)
                .map { wholeString ? "\\A(?:\($0))\\z" : $0 }
                .flatMap { try? NSRegularExpression(pattern: $0) }
            compiled[key] = .some(regex)
            return regex
        }
    }
}
