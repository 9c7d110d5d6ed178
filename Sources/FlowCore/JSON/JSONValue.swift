import Foundation

/// A JSON value (RFC 8259) as flows see it: request bodies, response bodies, variables and captures.
///
/// Numbers keep their exact text (``JSONNumber``): `1` and `1.0` are equal, an integer of any length stays exact, and
/// a number is written back byte for byte as it was read. Objects are unordered (serialization sorts keys so output is
/// deterministic).
public enum JSONValue: Sendable, Hashable {
    /// JSON `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// Any JSON number, exactly as written.
    case number(JSONNumber)
    /// A string.
    case string(String)
    /// An ordered list of values.
    case array([JSONValue])
    /// An object; member order is not kept.
    case object([String: JSONValue])

    /// Parses a complete JSON document (see ``JSONParser``).
    /// - Parameter data: UTF-8 encoded JSON text; any top-level value is accepted, a leading byte-order mark skipped.
    /// - Throws: ``JSONParseError`` naming the line and column of the first problem, including documents nested
    ///   deeper than ``JSONParser/maximumDepth``.
    public init(parsing data: Data) throws(JSONParseError) {
        self = try JSONParser.parse(data)
    }

    /// Parses a complete JSON document from text.
    /// - Throws: ``JSONParseError`` naming the line and column of the first problem.
    public init(parsing text: String) throws(JSONParseError) {
        self = try JSONParser.parse(text)
    }

    /// A number from an integer (a count, a status code).
    public static func number(_ value: Int) -> JSONValue { .number(JSONNumber(value)) }
    /// The JSON type name used by the `type` predicate: `null`, `boolean`, `number`, `string`, `array` or `object`.
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .number: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    /// The string payload, or `nil` for other kinds.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The number payload, or `nil` for other kinds.
    public var numberValue: JSONNumber? {
        if case .number(let value) = self { return value }
        return nil
    }

    /// Text used when the value is interpolated into a string: strings raw, everything else as compact JSON.
    public var interpolationText: String {
        if case .string(let value) = self { return value }
        return compactJSON
    }
}
