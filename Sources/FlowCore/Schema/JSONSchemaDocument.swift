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
    /// The JSON Pointer (`#`, `#/components/schemas/Doctor`) of the schema instances are validated against: the root
    /// for a schema file, a schema inside a larger resource (an OpenAPI document) otherwise.
    public var entry: String = "#"
    /// Which extra keywords the schema may use.
    public var dialect: Dialect = .jsonSchema

    /// The keywords a schema may use beyond JSON Schema 2020-12's.
    public enum Dialect: Sendable, Hashable {
        /// Plain JSON Schema (draft 2020-12).
        case jsonSchema
        /// An OpenAPI Schema Object: also `nullable` (3.0: `null` is allowed too) and the annotations `example`,
        /// `externalDocs`, `xml`, `discriminator`.
        case openAPI
    }

    /// OpenAPI's annotation keywords (``Dialect/openAPI``).
    static let openAPIAnnotations: Set<String> = ["example", "externalDocs", "xml", "discriminator"]

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
        var visited: Set<String> = ["#"]
        try check(root, pointer: "#", following: &visited)
    }

    /// Parses a schema file's bytes; `source` names the file in errors.
    /// - Throws: ``LoadError`` when the bytes are not JSON or the schema uses an unsupported keyword.
    /// The schema at `pointer` inside `resource` (an OpenAPI document): only that schema and the schemas its `$ref`s
    /// reach are checked, so the rest of the resource need not be a schema.
    /// - Throws: ``LoadError`` for an unsupported keyword, a keyword of the wrong type or a `$ref` that points nowhere,
    ///   with its JSON Pointer; or when `pointer` names nothing.
    public init(resource: JSONValue, schemaAt pointer: String, source: String, dialect: Dialect = .openAPI) throws(LoadError) {
        self.root = resource
        self.source = source
        self.entry = pointer
        self.dialect = dialect
        guard let schema = resolve(pointer) else { throw LoadError(message: "\(source): nothing at \(pointer)") }
        var visited: Set<String> = [pointer]
        try check(schema, pointer: pointer, following: &visited)
    }

    /// The schema instances are validated against (at ``entry``).
    public var entrySchema: JSONValue { resolve(entry) ?? .bool(false) }

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
    func resolve(_ reference: String) -> JSONValue? { JSONPointer.resolve(reference, in: root) }

    /// Checks `schema` (at `pointer`); in a resource (``entry`` not the root) also every schema a `$ref` reaches, once.
    private func check(_ schema: JSONValue, pointer: String, following visited: inout Set<String>) throws(LoadError) {
        switch schema {
        case .bool: return
        case .object(let members):
            for (keyword, value) in members.sorted(by: { $0.key < $1.key }) {
                let here = pointer + "/" + keyword
                if Self.annotations.contains(keyword) {
                    if keyword == "$defs" || keyword == "definitions", case .object(let definitions) = value {
                        for (name, definition) in definitions { try check(definition, pointer: here + "/" + name, following: &visited) }
                    }
                    continue
                }
                if dialect == .openAPI {
                    if Self.openAPIAnnotations.contains(keyword) { continue }
                    if keyword == "nullable" {
                        guard case .bool = value else { throw LoadError(message: "\(source): 'nullable' must be a boolean at \(here)") }
                        continue
                    }
                }
                guard Self.validating.contains(keyword) else {
                    throw LoadError(message: "\(source): unsupported JSON Schema keyword '\(keyword)' at \(here)")
                }
                try checkValue(of: keyword, value, pointer: here, following: &visited)
            }
        default:
            throw LoadError(message: "\(source): a schema must be an object or a boolean at \(pointer)")
        }
    }

    private func checkValue(of keyword: String, _ value: JSONValue, pointer: String, following visited: inout Set<String>) throws(LoadError) {
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
                    try check(member, pointer: pointer + "/" + name, following: &visited)
                }
            }
        case "additionalProperties", "propertyNames", "items", "contains", "not", "if", "then", "else":
            try check(value, pointer: pointer, following: &visited)
        case "allOf", "anyOf", "oneOf", "prefixItems":
            guard case .array(let schemas) = value, !schemas.isEmpty else { throw fail("a non-empty array of schemas") }
            for (index, schema) in schemas.enumerated() { try check(schema, pointer: pointer + "/\(index)", following: &visited) }
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
            guard let target = resolve(reference) else {
                throw LoadError(
                    message: "\(source): '$ref' '\(reference)' does not point into this document at \(pointer) (only local references are supported)")
            }
            // In a resource the referenced schema is not under the entry: check it here, once.
            if entry != "#", !visited.contains(reference) {
                visited.insert(reference)
                try check(target, pointer: reference, following: &visited)
            }
        case "format":
            guard case .string = value else { throw fail("a string") }
        default:
            return
        }
    }
}
