import Foundation

/// Hides credentials inside recorded bodies: the value of every JSON member whose name contains `password`,
/// `token`, `secret` or `apikey` (case-insensitive, e.g. `accessToken`, `refreshToken`, `newPassword`) becomes
/// `"***"`, whatever its type. Used on request and response excerpts, curl lines and assertion values, so
/// passwords and tokens never reach the console or a report (issue "Targets": masked in every output).
public enum SensitiveFields {
    /// Name fragments that mark a member as sensitive.
    static let fragments = ["password", "token", "secret", "apikey", "api_key"]

    /// Whether a member or variable name denotes a credential.
    public static func isSensitive(_ name: String) -> Bool {
        let lowered = name.lowercased()
        return fragments.contains { lowered.contains($0) }
    }

    /// Whether any object in `value` has a sensitive member (found without copying anything).
    public static func hasSensitiveMember(_ value: JSONValue) -> Bool {
        switch value {
        case .object(let members): return members.contains { isSensitive($0.key) || hasSensitiveMember($0.value) }
        case .array(let elements): return elements.contains(where: hasSensitiveMember)
        default: return false
        }
    }

    /// `value` with every sensitive member's value replaced by `"***"`, recursively.
    public static func mask(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members):
            var masked: [String: JSONValue] = [:]
            for (name, member) in members { masked[name] = isSensitive(name) ? .string("***") : mask(member) }
            return .object(masked)
        case .array(let elements):
            return .array(elements.map(mask))
        default:
            return value
        }
    }

    /// Whether a body may be JSON naming a credential member: it starts (after whitespace and a byte-order mark)
    /// with `{` or `[` and holds one of the name fragments in any case. Checked on the bytes, so that a large body
    /// without credentials is neither copied nor parsed to find out.
    public static func mayName(_ data: Data) -> Bool {
        guard let first = data.first(where: { ![0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) }),
            first == UInt8(ascii: "{") || first == UInt8(ascii: "[")
        else { return false }
        let patterns = fragments.map { Array($0.utf8) }
        func lower(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte }
        return data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            for index in bytes.indices {
                let first = lower(bytes[index])
                for pattern in patterns where pattern[0] == first && index + pattern.count <= bytes.count {
                    if (1..<pattern.count).allSatisfy({ lower(bytes[index + $0]) == pattern[$0] }) { return true }
                }
            }
            return false
        }
    }

    /// JSON text with sensitive members masked (compact JSON out); any other text unchanged.
    public static func maskText(_ text: String) -> String {
        // Fast path: most bodies name no credential at all, and then need no parsing.
        guard fragments.contains(where: { text.range(of: $0, options: .caseInsensitive) != nil }),
            let first = text.first(where: { !$0.isWhitespace }), first == "{" || first == "[",
            let value = try? JSONValue(parsing: text)
        else { return text }
        let masked = mask(value)
        return masked == value ? text : masked.compactJSON
    }

    /// The string values (at least 8 characters, so that masking them cannot hide ordinary words or numbers) of
    /// every sensitive member in `value`: the tokens a response hands out, to be masked wherever they reappear
    /// (a later request's URL, header or curl line).
    public static func secretValues(in value: JSONValue) -> [String] {
        switch value {
        case .object(let members):
            return members.flatMap { name, member -> [String] in
                if isSensitive(name), case .string(let text) = member { return text.count >= 8 ? [text] : [] }
                return secretValues(in: member)
            }
        case .array(let elements):
            return elements.flatMap(secretValues)
        default:
            return []
        }
    }

    /// Whether a JSONPath subject (e.g. `$.data.accessToken`) ends in a sensitive member name.
    public static func isSensitivePath(_ subject: String) -> Bool {
        guard subject.hasPrefix("$") else { return false }
        let last = subject.split(whereSeparator: { ".[]'\"".contains($0) }).last.map(String.init) ?? ""
        return isSensitive(last)
    }
}
