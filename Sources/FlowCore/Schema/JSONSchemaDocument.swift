import Foundation

/// A JSON Schema (draft 2020-12) loaded for the `schema:` expectation of a step.
///
/// Supported keywords — validation: `type`, `enum`, `const`, `multipleOf`, `minimum`, `maximum`,
/// `exclusiveMinimum`, `exclusiveMaximum`, `minLength`, `maxLength` (Unicode code points), `pattern`,
/// `minItems`, `maxItems`, `uniqueItems`, `contains` with `minContains`/`maxContains`, `minProperties`,
/// `maxProperties`, `required`, `dependentRequired`; applicators: `properties`, `patternProperties`,
/// `additionalProperties`, `propertyNames`, `items`, `prefixItems`, `allOf`, `anyOf`, `oneOf`, `not`,
/// `if`/`then`/`else`, `$ref` to a JSON Pointer in the same document (`#`, `#/$defs/x`); `format` is checked for
/// `date-time` (RFC 3339), `date`, `uuid` and `email`. Annotations (`title`, `description`, `$schema`, `$id`,
/// `examples`, …) are ignored. Any other keyword — including `unevaluatedProperties` and remote `$ref`s — is
/// refused when the schema is loaded, so a typo or an unsupported rule never passes silently.
public struct JSONSchemaDocument: Sendable, Hashable {
    /// The schema document as parsed.
    public var root: JSONValue
    /// Where the schema came from (file path), for messages.
    public var source: String

    /// A schema that cannot be used: not JSON, an unsupported keyword, a keyword of the wrong type, a bad `$ref`.
    public struct LoadError: Error, Sendable, CustomStringConvertible {
        /// What is wrong, with the JSON Pointer of the offending keyword.
        public var message: String
        public var description: String { message }
    }

    /// Keywords that only annotate.
    static let annotations: Set<String> = [
        "$schema", "$id", "$anchor", "$comment", "$vocabulary", "title", "description", "default", "examples",
        "deprecated", "readOnly", "writeOnly", "contentMediaType", "contentEncoding", "$defs", "definitions",
    ]

    /// Keywords checked by ``JSONSchemaValidator``.
    static let validating: Set<String> = [
        "type", "enum", "const", "multipleOf", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength",
        "maxLength", "pattern", "minItems", "maxItems", "uniqueItems", "contains", "minContains", "maxContains",
        "minProperties", "maxProperties", "required", "dependentRequired", "properties", "patternProperties",
        "additionalProperties", "propertyNames", "items", "prefixItems", "allOf", "anyOf", "oneOf", "not", "if", "then",
        "else", "$ref", "format",
    ]

    /// Parses and checks a schema.
    /// - Throws: ``LoadError`` naming the JSON Pointer of the first unusable keyword.
    public init(root: JSONValue, source: String) throws(LoadError) {
        self.root = root
        self.source = source
        try check(root, pointer: "#")
    }

    /// Parses a schema file's bytes; `source` names the file in errors.
    /// - Throws: ``LoadError`` when the bytes are not JSON or the schema uses an unsupported keyword.
    public init(parsing data: Data, source path: String) throws(LoadError) {
        let value: JSONValue
        do {
            value = try JSONValue(parsing: data)
        } catch {
            throw LoadError(message: "JSON Schema file '\(path)' is not valid JSON: \(error)")
        }
        try self.init(root: value, source: path)
    }

    /// Resolves a local `$ref` (`#` or `#/a/b`, RFC 6901 escapes `~0` `~1`).
    func resolve(_ reference: String) -> JSONValue? {
        guard reference.hasPrefix("#") else { return nil }
        let pointer = reference.dropFirst()
        guard !pointer.isEmpty else { return root }
        guard pointer.hasPrefix("/") else { return nil }
        var node = root
        for rawToken in pointer.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            let token = (rawToken.removingPercentEncoding ?? String(rawToken))
                .replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            switch node {
            case .object(let members):
                guard let next = members[token] else { return nil }
                node = next
            case .array(let elements):
                guard let index = Int(token), elements.indices.contains(index) else { return nil }
                node = elements[index]
            default:
                return nil
            }
        }
        return node
    }

    private func check(_ schema: JSONValue, pointer: String) throws(LoadError) {
        switch schema {
        case .bool: return
        case .object(let members):
            for (keyword, value) in members.sorted(by: { $0.key < $1.key }) {
                let here = pointer + "/" + keyword
                if Self.annotations.contains(keyword) {
                    if keyword == "$defs" || keyword == "definitions", case .object(let definitions) = value {
                        for (name, definition) in definitions { try check(definition, pointer: here + "/" + name) }
                    }
                    continue
                }
                guard Self.validating.contains(keyword) else {
                    throw LoadError(message: "\(source): unsupported JSON Schema keyword '\(keyword)' at \(here)")
                }
                try checkValue(of: keyword, value, pointer: here)
            }
        default:
            throw LoadError(message: "\(source): a schema must be an object or a boolean at \(pointer)")
        }
    }

    private func checkValue(of keyword: String, _ value: JSONValue, pointer: String) throws(LoadError) {
        func fail(_ expected: String) -> LoadError {
            LoadError(message: "\(source): '\(keyword)' must be \(expected) at \(pointer)")
        }
        switch keyword {
        case "properties", "patternProperties", "dependentRequired":
            guard case .object(let members) = value else { throw fail("an object") }
            for (name, member) in members {
                if keyword == "dependentRequired" {
                    guard case .array = member else { throw fail("an object of string arrays") }
                } else {
                    if keyword == "patternProperties", (try? NSRegularExpression(pattern: name)) == nil {
                        throw LoadError(message: "\(source): invalid regular expression '\(name)' at \(pointer)")
                    }
                    try check(member, pointer: pointer + "/" + name)
                }
            }
        case "additionalProperties", "propertyNames", "items", "contains", "not", "if", "then", "else":
            try check(value, pointer: pointer)
        case "allOf", "anyOf", "oneOf", "prefixItems":
            guard case .array(let schemas) = value, !schemas.isEmpty else { throw fail("a non-empty array of schemas") }
            for (index, schema) in schemas.enumerated() { try check(schema, pointer: pointer + "/\(index)") }
        case "type":
            let names = Set(["null", "boolean", "object", "array", "number", "string", "integer"])
            switch value {
            case .string(let name) where names.contains(name): break
            case .array(let list) where list.allSatisfy({ $0.stringValue.map(names.contains) ?? false }): break
            default: throw fail("a type name or an array of type names")
            }
        case "enum":
            guard case .array = value else { throw fail("an array") }
        case "multipleOf", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum":
            guard case .number(let number) = value, keyword != "multipleOf" || (!number.isZero && !number.isNegative) else {
                throw fail("a number (multipleOf > 0)")
            }
        case "minLength", "maxLength", "minItems", "maxItems", "minContains", "maxContains", "minProperties", "maxProperties":
            guard case .number(let number) = value, !number.isNegative, number.isInteger else { throw fail("a non-negative integer") }
        case "uniqueItems":
            guard case .bool = value else { throw fail("a boolean") }
        case "required":
            guard case .array(let list) = value, list.allSatisfy({ $0.stringValue != nil }) else { throw fail("an array of strings") }
        case "pattern":
            guard case .string(let pattern) = value, (try? NSRegularExpression(pattern: pattern)) != nil else {
                throw fail("a valid regular expression")
            }
        case "$ref":
            guard case .string(let reference) = value else { throw fail("a string") }
            guard resolve(reference) != nil else {
                throw LoadError(
                    message: "\(source): '$ref' '\(reference)' does not point into this document at \(pointer) (only local references are supported)")
            }
        case "format":
            guard case .string = value else { throw fail("a string") }
        default:
            return
        }
    }
}
