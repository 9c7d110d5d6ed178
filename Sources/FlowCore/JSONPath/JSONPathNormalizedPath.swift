/// The location of a node in a JSON value as an RFC 9535 §2.7 Normalized Path, e.g. `$['data'][0]['id']`.
///
/// Member names are always in single-quoted brackets, indexes are non-negative, and ``description`` applies the
/// §2.7 escaping: `'` and `\` escaped, `\b \f \n \r \t` for those control characters, `\u00xx` (lower-case hex)
/// for the other characters below U+0020, everything else as is.
public struct JSONPathNormalizedPath: Sendable, Hashable, CustomStringConvertible {
    /// One step from a value to one of its children.
    public enum Element: Sendable, Hashable {
        /// An object member.
        case name(String)
        /// An array element; never negative.
        case index(Int)
    }

    /// The steps from the root, in order; empty for the root itself (`$`).
    public var elements: [Element]

    /// Creates a path; the default is the root, `$`.
    public init(_ elements: [Element] = []) { self.elements = elements }

    /// The path extended by one step.
    public func appending(_ element: Element) -> JSONPathNormalizedPath {
        JSONPathNormalizedPath(elements + [element])
    }

    /// The Normalized Path text (RFC 9535 §2.7), e.g. `$['a b'][2]`.
    public var description: String {
        var text = "$"
        for element in elements {
            switch element {
            case .index(let index):
                text += "[\(index)]"
            case .name(let name):
                text += "['"
                for scalar in name.unicodeScalars { Self.append(scalar, to: &text) }
                text += "']"
            }
        }
        return text
    }

    /// RFC 9535 §2.7 `normal-single-quoted`.
    private static func append(_ scalar: Unicode.Scalar, to text: inout String) {
        switch scalar {
        case "\u{08}": text += "\\b"
        case "\u{0C}": text += "\\f"
        case "\n": text += "\\n"
        case "\r": text += "\\r"
        case "\t": text += "\\t"
        case "'": text += "\\'"
        case "\\": text += "\\\\"
        default:
            if scalar.value < 0x20 {
                let hex = String(scalar.value, radix: 16)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            } else {
                text.unicodeScalars.append(scalar)
            }
        }
    }
}
