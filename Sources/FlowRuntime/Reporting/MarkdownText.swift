import FlowCore

/// Escaping for text placed in Markdown reports.
public enum MarkdownText {
    /// `text` on one line: CR and LF become spaces, other control characters are escaped (``TerminalText``).
    public static func inline(_ text: String) -> String {
        TerminalText.escaped(text.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " "))
    }

    /// A table cell: on one line, pipes escaped.
    public static func cell(_ text: String) -> String {
        inline(text).replacingOccurrences(of: "|", with: "\\|")
    }

    /// A code span for a table cell: `text` between enough backticks that none inside closes it, on one line,
    /// pipes escaped; empty text gives an empty string.
    public static func code(_ text: String) -> String {
        guard !text.isEmpty else { return "" }
        let fence = String(repeating: "`", count: longestBacktickRun(text) + 1)
        let padding = text.hasPrefix("`") || text.hasSuffix("`") ? " " : ""
        return fence + padding + cell(text) + padding + fence
    }

    /// A fenced block (```` ```text ````) holding `text` verbatim, fenced with more backticks than `text` holds in a row.
    public static func fencedBlock(_ text: String, info: String = "text") -> [String] {
        let fence = String(repeating: "`", count: max(3, longestBacktickRun(text) + 1))
        return [fence + info, TerminalText.escaped(text), fence]
    }

    /// The longest run of backticks in `text`.
    public static func longestBacktickRun(_ text: String) -> Int {
        var longest = 0
        var current = 0
        for character in text {
            current = character == "`" ? current + 1 : 0
            longest = max(longest, current)
        }
        return longest
    }
}
