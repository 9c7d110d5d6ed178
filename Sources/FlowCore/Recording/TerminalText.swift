/// Text from a server made safe to show on a terminal and in Markdown: control characters that a terminal would
/// act on — ESC (which starts colour, cursor and screen-clearing sequences), NUL, BEL, backspace, the other C0
/// controls, DEL and the C1 controls (U+0080–U+009F, among them the one-character CSI) — are shown as `\u{1B}`-style
/// escapes. Tab and line feed stay as they are; a carriage return (which lets a later part of a line overwrite an
/// earlier one) is shown as `\r`.
public enum TerminalText {
    /// `text` with every control character but tab and line feed escaped.
    public static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var output = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar == "\r" {
                output.append(contentsOf: "\\r".unicodeScalars)
            } else if needsEscape(scalar) {
                output.append(contentsOf: "\\u{\(String(scalar.value, radix: 16, uppercase: true))}".unicodeScalars)
            } else {
                output.append(scalar)
            }
        }
        return String(output)
    }

    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A: return false
        case 0x00...0x1F, 0x7F...0x9F: return true
        default: return false
        }
    }
}
