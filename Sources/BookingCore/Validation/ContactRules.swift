import Foundation

/// Validation rules for account contact data and passwords (API.md "Auth").
public enum ContactRules {
    /// Normalises and checks an e-mail address: trimmed, lower-cased, one `@`, a dot in the domain,
    /// at most 254 characters (RFC 5321 §4.5.3.1.3).
    /// - Throws: ``ValidationError`` for `field`.
    public static func email(_ raw: String, field: String = "email") throws -> String {
        let value = raw.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        let parts = value.split(separator: "@", omittingEmptySubsequences: false)
        guard value.count <= 254, parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
            !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
            !value.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" })
        else { throw ValidationError(field: field, problem: "must be an e-mail address") }
        return value
    }

    /// Checks an E.164 phone number: `+` then 8–15 digits, first digit not 0 (ITU-T E.164).
    /// - Throws: ``ValidationError`` for `field`.
    public static func phone(_ raw: String, field: String = "phone") throws -> String {
        let digits = raw.dropFirst()
        guard raw.first == "+", (8...15).contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }),
            digits.first != "0"
        else { throw ValidationError(field: field, problem: "must be an E.164 number such as +919800000001") }
        return raw
    }

    /// Password policy: 10–128 characters and not all of one class (lower, upper, digit, other).
    /// - Throws: ``ValidationError`` for `password`.
    public static func password(_ raw: String, field: String = "password") throws {
        guard (10...128).contains(raw.count) else {
            throw ValidationError(field: field, problem: "must be 10 to 128 characters")
        }
        var classes = Set<Int>()
        for character in raw {
            if character.isLowercase {
                classes.insert(0)
            } else if character.isUppercase {
                classes.insert(1)
            } else if character.isNumber {
                classes.insert(2)
            } else {
                classes.insert(3)
            }
        }
        guard classes.count >= 2 else {
            throw ValidationError(field: field, problem: "must mix at least two of lower case, upper case, digits and symbols")
        }
    }

    /// A display name: trimmed, 1–120 characters, no control characters.
    /// - Throws: ``ValidationError`` for `field`.
    public static func name(_ raw: String, field: String = "name", maxLength: Int = 120) throws -> String {
        let value = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !value.isEmpty, value.count <= maxLength else {
            throw ValidationError(field: field, problem: "must be 1 to \(maxLength) characters")
        }
        guard !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw ValidationError(field: field, problem: "must not contain control characters")
        }
        return value
    }
}
