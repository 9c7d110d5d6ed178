import Foundation

extension JSONValue {
    /// Compact JSON text: no insignificant whitespace, object keys sorted, numbers exactly as they were read or
    /// written (``JSONNumber/text``), non-ASCII text kept as is, control characters escaped.
    public var compactJSON: String {
        var output = ""
        write(to: &output)
        return output
    }

    /// Compact JSON as UTF-8 bytes (see ``compactJSON``).
    public var compactJSONData: Data { Data(compactJSON.utf8) }

    /// Writes the compact JSON text (see ``compactJSON``) piece by piece to `output` — for a sink that keeps only
    /// part of a large value (``RecordedText``) without building the whole text first.
    /// - Parameter maskingSensitiveMembers: write the value of every member whose name denotes a credential
    ///   (``SensitiveFields``) as `"***"` — without building a masked copy of the value.
    public func write<Output: TextOutputStream>(to output: inout Output, maskingSensitiveMembers: Bool = false) {
        switch self {
        case .null: output.write("null")
        case .bool(let value): output.write(value ? "true" : "false")
        case .number(let value): output.write(value.text)
        case .string(let value): Self.writeString(value, to: &output)
        case .array(let values):
            output.write("[")
            for (index, value) in values.enumerated() {
                if index > 0 { output.write(",") }
                value.write(to: &output, maskingSensitiveMembers: maskingSensitiveMembers)
            }
            output.write("]")
        case .object(let members):
            output.write("{")
            for (index, key) in members.keys.sorted().enumerated() {
                if index > 0 { output.write(",") }
                Self.writeString(key, to: &output)
                output.write(":")
                if maskingSensitiveMembers, SensitiveFields.isSensitive(key) {
                    output.write("\"***\"")
                } else {
                    members[key]?.write(to: &output, maskingSensitiveMembers: maskingSensitiveMembers)
                }
            }
            output.write("}")
        }
    }

    private static func writeString<Output: TextOutputStream>(_ string: String, to output: inout Output) {
        output.write("\"")
        var plain = ""
        for scalar in string.unicodeScalars {
            let escape: String?
            switch scalar {
            case "\"": escape = "\\\""
            case "\\": escape = "\\\\"
            case "\n": escape = "\\n"
            case "\r": escape = "\\r"
            case "\t": escape = "\\t"
            case "\u{08}": escape = "\\b"
            case "\u{0C}": escape = "\\f"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    escape = "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    escape = nil
                }
            }
            if let escape {
                output.write(plain)
                plain = ""
                output.write(escape)
            } else {
                plain.unicodeScalars.append(scalar)
                if plain.utf8.count >= 4096 {
                    output.write(plain)
                    plain = ""
                }
            }
        }
        output.write(plain)
        output.write("\"")
    }
}
