import Foundation

/// Measures how deeply a JSON text nests arrays and objects, by scanning its bytes once (strings and escapes
/// skipped) — before any parser recurses into it. Deeply nested JSON can overflow the stack of a recursive
/// decoder long before Foundation's own limit; the API refuses more than ``maximumDepth`` levels
/// (docs/security-audit.md §4, "Input validation and injection") with 400 VALIDATION_ERROR.
public enum JSONNesting {
    /// Deepest nesting accepted: 32 levels of `[` / `{`.
    public static let maximumDepth = 32

    /// Whether `data` nests deeper than `limit`; stops scanning as soon as it does. Malformed JSON is not judged
    /// here (the parser reports it).
    public static func exceeds(_ limit: Int = maximumDepth, in data: Data) -> Bool {
        var depth = 0
        var inString = false
        var escaped = false
        for byte in data {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth > limit { return true }
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
            default: break
            }
        }
        return false
    }
}
