import Foundation

/// Makes an internal error's text safe to leave the process: what an error tracker may show of it.
///
/// Internal errors quote what they failed on — a driver's message may carry a bound value (an e-mail address, a phone
/// number, a name), a decoding error the offending text. Data cannot be recognised in free text, so the rules keep
/// only what looks like the code's own words and replace everything else:
///
/// 1. anything in quotes (`'…'`, `"…"`, `` `…` ``, `«…»`, curly quotes) → `<redacted>` (an apostrophe opens a quote
///    that runs to the next one or the end: text is lost, never leaked);
/// 2. a word containing `@` (e-mail addresses) → `<email>`;
/// 3. a word containing a digit (phone numbers, ids, amounts, dates, addresses, SQLSTATEs) → `<n>`;
/// 4. a word of 24 characters or more (tokens, keys, base64) → `<redacted>`;
/// 5. a word with any character other than `a`–`z`, `_`, `-`, `.` and `/` → `<redacted>`: capitalised words (names
///    as people write them), other scripts, symbols. What passes is lowercase ASCII — the vocabulary of error
///    messages and SQL identifiers (`no such table: clinics`, `connection refused`);
/// 6. the result is cut to ``maximumLength`` characters.
///
/// A word is a run of characters between spaces; leading and trailing punctuation (`(`, `)`, `,`, `:`, `;`, `.`, `[`,
/// `]`, `{`, `}`, `=`, `<`, `>`, `!`, `?`) stays around the replacement: `no row for (a@b.in), retry 3` becomes
/// `no row for (<email>), retry <n>`. What can still pass is a personal word written in lowercase ASCII outside quotes
/// in an error's message; the service's own 5xx causes never interpolate request data (docs/observability.md).
public enum ErrorTextScrubber {
    /// Longest text kept (Sentry's own limit for an exception value is far larger; a grouped issue needs a sentence).
    public static let maximumLength = 200

    static let quotes: [Character: Character] = ["'": "'", "\"": "\"", "`": "`", "«": "»", "\u{2018}": "\u{2019}", "\u{201C}": "\u{201D}"]
    static let allowedInWord = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyz_-./")
    static let edgePunctuation: Set<Character> = ["(", ")", ",", ":", ";", ".", "[", "]", "{", "}", "=", "<", ">", "!", "?"]

    /// `text` with the data removed by the rules above.
    public static func scrub(_ text: String) -> String {
        var output = ""
        var word = ""
        var closingQuote: Character?
        func flushWord() {
            if !word.isEmpty { output += scrubWord(word) }
            word = ""
        }
        for character in text {
            if let closing = closingQuote {
                if character == closing { closingQuote = nil }
                continue
            }
            if let closing = quotes[character] {
                flushWord()
                output += "<redacted>"
                closingQuote = closing
            } else if character.isWhitespace || character.isNewline {
                flushWord()
                output.append(" ")
            } else {
                word.append(character)
            }
        }
        flushWord()
        let collapsed = output.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
        return collapsed.count > maximumLength ? String(collapsed.prefix(maximumLength - 1)) + "…" : collapsed
    }

    /// One word: data replaced, surrounding punctuation kept.
    static func scrubWord(_ word: String) -> String {
        var core = Substring(word)
        var leading = ""
        var trailing = ""
        while let first = core.first, edgePunctuation.contains(first) {
            leading.append(first)
            core.removeFirst()
        }
        while let last = core.last, edgePunctuation.contains(last) {
            trailing.insert(last, at: trailing.startIndex)
            core.removeLast()
        }
        if core.isEmpty { return word }
        let replacement: Substring
        if core.contains("@") {
            replacement = "<email>"
        } else if core.contains(where: \.isNumber) {
            replacement = "<n>"
        } else if core.count >= 24 || !core.unicodeScalars.allSatisfy(allowedInWord.contains) {
            replacement = "<redacted>"
        } else {
            replacement = core
        }
        return leading + replacement + trailing
    }
}
