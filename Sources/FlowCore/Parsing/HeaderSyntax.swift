/// What HTTP allows in a header field (RFC 9110 §5.1, §5.5), for flow files and rendered values.
public enum HeaderSyntax {
    /// `tchar` of RFC 9110 §5.6.2: the characters of a token such as a field name.
    static let tokenCharacters = Set("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".unicodeScalars)

    /// Why `name` cannot be a field name, or `nil` when it is a token.
    public static func nameProblem(_ name: String) -> String? {
        if name.isEmpty { return "is empty" }
        if let bad = name.unicodeScalars.first(where: { !tokenCharacters.contains($0) }) {
            return "is not an HTTP token (RFC 9110 §5.6.2): it contains \(describe(bad))"
        }
        return nil
    }

    /// Why `value` cannot be sent as a field value (it holds CR, LF or NUL), or `nil` when it can.
    public static func valueProblem(_ value: String) -> String? {
        guard let bad = value.unicodeScalars.first(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" }) else { return nil }
        return "contains \(describe(bad)), which HTTP forbids in a field value (RFC 9110 §5.5)"
    }

    /// `text` with control characters shown as escapes, for messages.
    static func visible(_ text: String) -> String { TerminalText.escaped(text) }

    private static func describe(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case "\r": return "a carriage return (CR)"
        case "\n": return "a line feed (LF)"
        case "\0": return "NUL"
        case " ": return "a space"
        default:
            let code = String(scalar.value, radix: 16, uppercase: true)
            return "'\(TerminalText.escaped(String(scalar)))' (U+\(String(repeating: "0", count: max(0, 4 - code.count)) + code))"
        }
    }
}
