/// Bounded excerpts of request and response bodies for reports.
public enum TextExcerpt {
    /// Largest excerpt, in UTF-8 bytes, including the truncation note.
    public static let limit = 2048

    /// `text` when it fits in ``limit`` UTF-8 bytes; otherwise its longest prefix of whole characters that fits
    /// with a note `… (N bytes total)` appended.
    public static func make(_ text: String, limit: Int = TextExcerpt.limit) -> String {
        let total = text.utf8.count
        guard total > limit else { return text }
        let note = "… (\(total) bytes total)"
        let budget = max(0, limit - note.utf8.count)
        var used = 0
        var prefix = ""
        for character in text {
            let size = character.utf8.count
            if used + size > budget { break }
            used += size
            prefix.append(character)
        }
        return prefix + note
    }
}
