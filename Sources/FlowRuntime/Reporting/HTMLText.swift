/// Escaping for text placed in the HTML report.
public enum HTMLText {
    /// `text` safe in element content and in double- or single-quoted attribute values: `& < > " '` as character
    /// references; control characters other than tab, LF and CR dropped (as are the other characters XML 1.0 forbids).
    public static func escape(_ text: String) -> String {
        var output = String.UnicodeScalarView()
        for scalar in text.unicodeScalars where XMLText.isAllowed(scalar) {
            switch scalar {
            case "&": output.append(contentsOf: "&amp;".unicodeScalars)
            case "<": output.append(contentsOf: "&lt;".unicodeScalars)
            case ">": output.append(contentsOf: "&gt;".unicodeScalars)
            case "\"": output.append(contentsOf: "&quot;".unicodeScalars)
            case "'": output.append(contentsOf: "&#39;".unicodeScalars)
            default: output.append(scalar)
            }
        }
        return String(output)
    }

    /// A CSS percentage for inline `style` values, locale-independent with at most two decimals (`42.75%`), clamped
    /// to 0–100; non-finite values give `0%`.
    public static func percent(_ fraction: Double) -> String {
        guard fraction.isFinite else { return "0%" }
        let hundredths = Int((min(max(fraction, 0), 1) * 10_000).rounded())
        let whole = hundredths / 100
        let rest = hundredths % 100
        return rest == 0 ? "\(whole)%" : "\(whole)." + (rest < 10 ? "0" : "") + "\(rest)%"
    }
}
