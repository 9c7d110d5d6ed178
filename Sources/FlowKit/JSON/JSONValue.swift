import Foundation

/// A JSON value (RFC 8259) as flows see it: request bodies, response bodies, variables and captures.
///
/// Numbers are stored as `Double`, so `1` and `1.0` are the same value; objects are unordered
/// (serialization sorts keys so output is deterministic).
public enum JSONValue: Sendable, Hashable {
    /// JSON `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// Any JSON number, as a double-precision value (integers are exact up to 2^53).
    case number(Double)
    /// A string.
    case string(String)
    /// An ordered list of values.
    case array([JSONValue])
    /// An object; member order is not kept.
    case object([String: JSONValue])

    /// Parses a complete JSON document.
    /// - Parameter data: UTF-8 encoded JSON text; any top-level value is accepted.
    /// - Throws: `DecodingError` when the data is not valid JSON.
    public init(parsing data: Data) throws {
        self = try JSONDecoder().decode(JSONValue.self, from: data)
    }

    /// Parses a complete JSON document from text.
    /// - Throws: `DecodingError` when the text is not valid JSON.
    public init(parsing text: String) throws {
        try self.init(parsing: Data(text.utf8))
    }

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
    public var numberValue: Double? {
        if case .number(let value) = self { return value }
        return nil
    }

    /// Text used when the value is interpolated into a string: strings raw, everything else as compact JSON.
    public var interpolationText: String {
        if case .string(let value) = self { return value }
        return compactJSON
    }
}

extension JSONValue: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else if let value = try? container.decode([String: JSONValue].self) {
            self = .object(value)
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a JSON value")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}
