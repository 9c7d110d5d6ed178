/// Escaping for XML 1.0 text and attribute values.
public enum XMLText {
    /// Whether XML 1.0 allows the scalar at all (§2.2 Char): tab, LF, CR, U+0020–U+D7FF, U+E000–U+FFFD, U+10000 and above.
    public static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x9, 0xA, 0xD: return true
        case 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: return true
        default: return false
        }
    }

    /// Element content: `& < > " '` as entities, forbidden characters dropped.
    public static func escapeText(_ text: String) -> String { escape(text, attribute: false) }

    /// Attribute value (for double-quoted attributes): like ``escapeText(_:)`` plus tab, LF and CR as character
    /// references so attribute-value normalisation keeps them.
    public static func escapeAttribute(_ text: String) -> String { escape(text, attribute: true) }

    private static func escape(_ text: String, attribute: Bool) -> String {
        var output = String.UnicodeScalarView()
        for scalar in text.unicodeScalars where isAllowed(scalar) {
            switch scalar {
            case "&": output.append(contentsOf: "&amp;".unicodeScalars)
            case "<": output.append(contentsOf: "&lt;".unicodeScalars)
            case ">": output.append(contentsOf: "&gt;".unicodeScalars)
            case "\"": output.append(contentsOf: "&quot;".unicodeScalars)
            case "'": output.append(contentsOf: "&apos;".unicodeScalars)
            case "\t" where attribute: output.append(contentsOf: "&#9;".unicodeScalars)
            case "\n" where attribute: output.append(contentsOf: "&#10;".unicodeScalars)
            case "\r": output.append(contentsOf: "&#13;".unicodeScalars)
            default: output.append(scalar)
            }
        }
        return String(output)
    }
}
