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
