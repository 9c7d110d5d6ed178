import Foundation

/// Replaces secrets with `***` in everything a run prints or writes — console lines, failure texts, recorded requests
/// and responses, curl lines, assertion values and diffs — in every form a secret takes on the wire.
///
/// A secret is a target variable marked `{secret: …}` or read from `${ENV}`, an actor's password, a token or cookie
/// the runner captured or was handed, and the credential of an `Authorization` or `Cookie` header. Each is found:
/// - verbatim;
/// - percent-encoded (RFC 3986 §2.1: any character as `%XX`, upper- or lower-case hex, a space also as `+` as HTML
///   forms send it), whether all characters or only some are encoded;
/// - JSON-string-escaped (RFC 8259 §7: `\"`, `\\`, `\/`, `\n` …, `\uXXXX` in either case, a surrogate pair for
///   characters beyond U+FFFF), and escaped twice (a JSON text carried inside a JSON string);
/// - Base64-encoded (RFC 4648 §4 and §5, as in HTTP Basic credentials), at any alignment inside a longer encoded
///   text: the encoded characters that depend on the secret alone are masked;
/// - anywhere in a response body that echoes one of these forms back.
///
/// `Authorization`, `Cookie` and `Set-Cookie` header values are replaced whatever they hold (``RequestBuilder/masked(_:)``).
public struct SecretMasker: Sendable {
    /// The secrets, longest first, empty strings dropped.
    public let secrets: [String]
    private let forms: [Form]
    /// Most UTF-8 bytes one masked occurrence can span; a text cut after more than this many bytes past a position
    /// holds every occurrence that starts before that position whole (see ``RecordedText``).
    public let longestForm: Int

    /// One way a secret can be written: matched scalar by scalar in any mix of encodings, or as literal bytes.
    private enum Form: Sendable {
        case encoded([Unicode.Scalar])
        case literal([UInt8])

        /// The bytes an occurrence can start with (for a quick test before matching).
        var firstBytes: Set<UInt8> {
            switch self {
            case .literal(let bytes): return [bytes[0]]
            case .encoded(let scalars):
                var set: Set<UInt8> = [UInt8(ascii: "%"), UInt8(ascii: "\\")]
                set.insert(Array(String(scalars[0]).utf8)[0])
                if scalars[0] == " " { set.insert(UInt8(ascii: "+")) }
                return set
            }
        }
    }

    /// For each byte value, the forms an occurrence starting with it may be.
    private let formsByFirstByte: [[Int]]

    /// Creates a masker; empty strings are ignored.
    public init(secrets: [String]) {
        let unique = Array(Set(secrets.filter { !$0.isEmpty })).sorted { $0.count != $1.count ? $0.count > $1.count : $0 < $1 }
        self.secrets = unique
        var forms: [Form] = []
        for secret in unique {
            for spelling in Self.spellings(of: secret) { forms.append(.encoded(Array(spelling.unicodeScalars))) }
            forms += Self.base64Forms(of: Array(secret.utf8)).map(Form.literal)
        }
        self.forms = forms
        var byFirst = [[Int]](repeating: [], count: 256)
        for (index, form) in forms.enumerated() {
            for byte in form.firstBytes { byFirst[Int(byte)].append(index) }
        }
        self.formsByFirstByte = byFirst
        // Each scalar of an encoded form can take up to 12 bytes (`%F0%9F%98%80`, `\uD83D\uDE00`).
        self.longestForm =
            forms.map { form in
                switch form {
                case .encoded(let scalars): return scalars.count * 12
                case .literal(let bytes): return bytes.count
                }
            }.max() ?? 0
    }

    /// A masker that also hides `more`.
    public func adding(_ more: [String]) -> SecretMasker {
        let additions = more.filter { !$0.isEmpty && !secrets.contains($0) }
        return additions.isEmpty ? self : SecretMasker(secrets: secrets + additions)
    }

    /// `text` with every occurrence of every form of every secret replaced by `***`.
    public func mask(_ text: String) -> String {
        guard !forms.isEmpty, !text.isEmpty else { return text }
        let bytes = Array(text.utf8)
        var output: [UInt8] = []
        var changed = false
        var index = 0
        var copiedUpTo = 0
        while index < bytes.count {
            var end = index
            for form in formsByFirstByte[Int(bytes[index])] {
                if let matched = Self.match(forms[form], in: bytes, at: index), matched > end { end = matched }
            }
            if end > index {
                output.append(contentsOf: bytes[copiedUpTo..<index])
                output.append(contentsOf: "***".utf8)
                changed = true
                index = end
                copiedUpTo = end
            } else {
                index += 1
            }
        }
        guard changed else { return text }
        output.append(contentsOf: bytes[copiedUpTo...])
        return String(decoding: output, as: UTF8.self)
    }

    /// JSON-escape levels a secret is looked for at: a value inside a JSON text inside a JSON string inside a
    /// response body shown as a JSON string is three levels deep.
    static let escapeLevels = 3

    /// The texts each secret is matched as (each scalar of them in any of its encodings, see `spellings(of:at:)`):
    /// the secret itself; JSON-escaped once, twice and three times, with non-ASCII characters kept and as `\uXXXX` (in
    /// lower- and upper-case hex, as encoders differ); and the secret's UTF-8 bytes read as Latin-1 (what a server
    /// that decodes header bytes as ISO-8859-1 echoes back).
    static func spellings(of secret: String) -> [String] {
        var spellings: [String] = [secret]
        var levels: [[String]] = [[secret]]
        for _ in 0..<escapeLevels {
            var next: [String] = []
            for text in levels.last ?? [] {
                next.append(escape(text, asciiOnly: false, uppercase: false))
                if text.unicodeScalars.contains(where: { $0.value > 0x7E }) {
                    next.append(escape(text, asciiOnly: true, uppercase: false))
                    next.append(escape(text, asciiOnly: true, uppercase: true))
                }
            }
            levels.append(next)
            spellings += next
        }
        if secret.unicodeScalars.contains(where: { $0.value > 0x7F }) {
            let latin1 = String(secret.utf8.map { Character(Unicode.Scalar($0)) })
            spellings.append(latin1)
        }
        var seen = Set<String>()
        return spellings.filter { seen.insert($0).inserted }
    }

    /// The JSON string escape of `text` without its quotes (RFC 8259 §7): `"` and `\` escaped, control characters as
    /// escapes, and with `asciiOnly` every character beyond ASCII as `\uXXXX` (surrogate pairs beyond U+FFFF).
    static func escape(_ text: String, asciiOnly: Bool, uppercase: Bool) -> String {
        var output = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            default:
                if scalar.value < 0x20 || (asciiOnly && scalar.value > 0x7E) {
                    for unit in String(scalar).utf16 {
                        let hex = String(unit, radix: 16, uppercase: uppercase)
                        output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                    }
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        return output
    }

    // MARK: Matching

    private static func match(_ form: Form, in bytes: [UInt8], at start: Int) -> Int? {
        switch form {
        case .literal(let literal):
            guard start + literal.count <= bytes.count, bytes[start] == literal[0] else { return nil }
            for offset in 1..<literal.count where bytes[start + offset] != literal[offset] { return nil }
            return start + literal.count
        case .encoded(let scalars):
            return matchEncoded(scalars, 0, in: bytes, at: start)
        }
    }

    /// Matches `scalars[k...]` at `position`, each scalar in any of its spellings; returns the end, or `nil`.
    private static func matchEncoded(_ scalars: [Unicode.Scalar], _ k: Int, in bytes: [UInt8], at position: Int) -> Int? {
        if k == scalars.count { return position }
        guard position < bytes.count else { return nil }
        for end in spellings(of: scalars[k], in: bytes, at: position) {
            if let matched = matchEncoded(scalars, k + 1, in: bytes, at: end) { return matched }
        }
        return nil
    }

    /// Where each spelling of `scalar` that appears at `position` ends.
    private static func spellings(of scalar: Unicode.Scalar, in bytes: [UInt8], at position: Int) -> [Int] {
        var ends: [Int] = []
        let utf8 = Array(String(scalar).utf8)
        // Verbatim.
        if hasPrefix(utf8, in: bytes, at: position) { ends.append(position + utf8.count) }
        let byte = bytes[position]
        // Percent-encoded, every byte of the scalar as %XX in either case; a space also as '+'.
        if byte == UInt8(ascii: "%") {
            var at = position
            var all = true
            for expected in utf8 {
                guard at + 2 < bytes.count, bytes[at] == UInt8(ascii: "%"), let high = hexValue(bytes[at + 1]),
                    let low = hexValue(bytes[at + 2]), high << 4 | low == expected
                else {
                    all = false
                    break
                }
                at += 3
            }
            if all { ends.append(at) }
        }
        if byte == UInt8(ascii: "+"), scalar == " " { ends.append(position + 1) }
        // JSON escapes.
        if byte == UInt8(ascii: "\\"), position + 1 < bytes.count {
            let next = bytes[position + 1]
            if let letter = shortEscapes[scalar], next == letter { ends.append(position + 2) }
            if next == UInt8(ascii: "u") {
                if scalar.value <= 0xFFFF {
                    if readHexQuad(bytes, position + 2) == scalar.value { ends.append(position + 6) }
                } else {
                    let value = scalar.value - 0x10000
                    let high = 0xD800 + (value >> 10), low = 0xDC00 + (value & 0x3FF)
                    if readHexQuad(bytes, position + 2) == high, position + 7 < bytes.count, bytes[position + 6] == UInt8(ascii: "\\"),
                        bytes[position + 7] == UInt8(ascii: "u"), readHexQuad(bytes, position + 8) == low
                    {
                        ends.append(position + 12)
                    }
                }
            }
        }
        return ends
    }

    /// RFC 8259 §7's two-character escapes: the scalar and the letter after the backslash.
    private static let shortEscapes: [Unicode.Scalar: UInt8] = [
        "\"": UInt8(ascii: "\""), "\\": UInt8(ascii: "\\"), "/": UInt8(ascii: "/"), "\u{08}": UInt8(ascii: "b"),
        "\u{0C}": UInt8(ascii: "f"), "\n": UInt8(ascii: "n"), "\r": UInt8(ascii: "r"), "\t": UInt8(ascii: "t"),
    ]

    private static func hasPrefix(_ prefix: [UInt8], in bytes: [UInt8], at position: Int) -> Bool {
        guard position + prefix.count <= bytes.count else { return false }
        for offset in 0..<prefix.count where bytes[position + offset] != prefix[offset] { return false }
        return true
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: return byte - 0x30
        case 0x41...0x46: return byte - 0x41 + 10
        case 0x61...0x66: return byte - 0x61 + 10
        default: return nil
        }
    }

    private static func readHexQuad(_ bytes: [UInt8], _ position: Int) -> UInt32? {
        guard position + 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for offset in 0..<4 {
            guard let digit = hexValue(bytes[position + offset]) else { return nil }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    // MARK: Base64

    /// Fewest Base64 characters masked as a secret's encoding: shorter runs would hide parts of unrelated
    /// encoded text (a token, an image) by chance.
    static let minimumBase64Run = 6

    /// The Base64 characters (standard and URL-safe alphabets) that `secret` determines on its own when it starts
    /// at each of the three byte alignments inside a longer encoded text.
    static func base64Forms(of secret: [UInt8]) -> [[UInt8]] {
        var forms: Set<[UInt8]> = []
        for alignment in 0..<3 {
            let padded = [UInt8](repeating: 0, count: alignment) + secret
            let encoded = Array(Data(padded).base64EncodedString().utf8)
            // Character i holds bits 6i ..< 6i+6; keep those entirely inside the secret's bits.
            let firstBit = alignment * 8, endBit = (alignment + secret.count) * 8
            let first = (firstBit + 5) / 6, end = endBit / 6
            guard end - first >= minimumBase64Run else { continue }
            let core = Array(encoded[first..<end])
            forms.insert(core)
            forms.insert(core.map { $0 == UInt8(ascii: "+") ? UInt8(ascii: "-") : ($0 == UInt8(ascii: "/") ? UInt8(ascii: "_") : $0) })
        }
        return forms.sorted { $0.count > $1.count }
    }
}
