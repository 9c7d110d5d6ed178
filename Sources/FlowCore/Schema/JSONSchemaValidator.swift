import Foundation

/// Validates JSON values against a ``JSONSchemaDocument`` (JSON Schema draft 2020-12, the keywords listed there).
public struct JSONSchemaValidator: Sendable {
    /// One reason a value does not satisfy the schema.
    public struct Violation: Sendable, Hashable, CustomStringConvertible {
        /// Where in the instance: a JSON Pointer (RFC 6901), `""` for the whole value.
        public var instancePath: String
        /// Where in the schema: the keyword's JSON Pointer, e.g. `#/properties/id/type`.
        public var schemaPath: String
        /// What is wrong.
        public var message: String
        public var description: String { "\(instancePath.isEmpty ? "/" : instancePath): \(message) (\(schemaPath))" }
    }

    /// The schema checked against.
    public var document: JSONSchemaDocument
    /// Nested `$ref`s followed at most (protects against reference cycles that consume no input).
    static let maximumDepth = 64

    /// Creates a validator.
    public init(document: JSONSchemaDocument) {
        self.document = document
    }

    /// Every violation of the schema by `instance`; empty when it is valid.
    public func violations(of instance: JSONValue) -> [Violation] {
        var found: [Violation] = []
        validate(instance, against: document.entrySchema, instancePath: "", schemaPath: document.entry, depth: 0, into: &found)
        return found
    }

    private func validate(
        _ instance: JSONValue, against schema: JSONValue, instancePath: String, schemaPath: String, depth: Int,
        into found: inout [Violation]
    ) {
        func fail(_ keyword: String, _ message: String) {
            found.append(Violation(instancePath: instancePath, schemaPath: schemaPath + "/" + keyword, message: message))
        }
        func valid(_ value: JSONValue, _ subschema: JSONValue, _ keyword: String) -> Bool {
            var scratch: [Violation] = []
            validate(value, against: subschema, instancePath: instancePath, schemaPath: schemaPath + "/" + keyword, depth: depth + 1, into: &scratch)
            return scratch.isEmpty
        }
        switch schema {
        case .bool(let allowed):
            if !allowed { found.append(Violation(instancePath: instancePath, schemaPath: schemaPath, message: "no value is allowed here")) }
            return
        case .object(let keywords):
            guard depth < Self.maximumDepth else {
                fail("$ref", "schema nesting deeper than \(Self.maximumDepth) (a $ref cycle?)")
                return
            }
            // OpenAPI 3.0's `nullable: true`: null is allowed whatever else the schema says.
            if document.dialect == .openAPI, case .bool(true)? = keywords["nullable"], case .null = instance { return }
            if case .string(let reference)? = keywords["$ref"], let target = document.resolve(reference) {
                validate(instance, against: target, instancePath: instancePath, schemaPath: reference, depth: depth + 1, into: &found)
            }
            checkGeneric(instance, keywords, fail: fail)
            switch instance {
            case .number(let number): checkNumber(number, keywords, fail: fail)
            case .string(let text): checkString(text, keywords, fail: fail)
            case .array(let elements):
                checkArray(elements, keywords, instancePath: instancePath, schemaPath: schemaPath, depth: depth, into: &found)
            case .object(let members):
                checkObject(members, keywords, instancePath: instancePath, schemaPath: schemaPath, depth: depth, into: &found)
            default: break
            }
            if case .array(let schemas)? = keywords["allOf"] {
                for (index, subschema) in schemas.enumerated() {
                    validate(
                        instance, against: subschema, instancePath: instancePath, schemaPath: schemaPath + "/allOf/\(index)", depth: depth + 1, into: &found)
                }
            }
            if case .array(let schemas)? = keywords["anyOf"], !schemas.indices.contains(where: { valid(instance, schemas[$0], "anyOf/\($0)") }) {
                fail("anyOf", "matches none of the \(schemas.count) anyOf schemas")
            }
            if case .array(let schemas)? = keywords["oneOf"] {
                let matching = schemas.indices.filter { valid(instance, schemas[$0], "oneOf/\($0)") }
                if matching.count != 1 { fail("oneOf", "matches \(matching.count) of the oneOf schemas, not exactly one") }
            }
            if let negated = keywords["not"], valid(instance, negated, "not") {
                fail("not", "matches the schema under 'not'")
            }
            if let condition = keywords["if"] {
                if valid(instance, condition, "if") {
                    if let then = keywords["then"] {
                        validate(instance, against: then, instancePath: instancePath, schemaPath: schemaPath + "/then", depth: depth + 1, into: &found)
                    }
                } else if let otherwise = keywords["else"] {
                    validate(instance, against: otherwise, instancePath: instancePath, schemaPath: schemaPath + "/else", depth: depth + 1, into: &found)
                }
            }
        default:
            return
        }
    }

    private func checkGeneric(_ instance: JSONValue, _ keywords: [String: JSONValue], fail: (String, String) -> Void) {
        if let type = keywords["type"] {
            let names: [String]
            switch type {
            case .string(let name): names = [name]
            case .array(let list): names = list.compactMap(\.stringValue)
            default: names = []
            }
            if !names.contains(where: { Self.has(instance, type: $0) }) {
                fail("type", "expected \(names.joined(separator: " or ")), found \(instance.typeName)")
            }
        }
        if case .array(let options)? = keywords["enum"], !options.contains(instance) {
            fail("enum", "\(instance.compactJSON) is not one of \(JSONValue.array(options).compactJSON)")
        }
        if let constant = keywords["const"], constant != instance {
            fail("const", "expected \(constant.compactJSON), found \(instance.compactJSON)")
        }
    }

    /// Bounds and `multipleOf`, compared exactly (``JSONNumber``): no rounding lets a value slip past a bound.
    private func checkNumber(_ number: JSONNumber, _ keywords: [String: JSONValue], fail: (String, String) -> Void) {
        if let minimum = keywords["minimum"]?.numberValue, number < minimum { fail("minimum", "\(number) < \(minimum)") }
        if let maximum = keywords["maximum"]?.numberValue, number > maximum { fail("maximum", "\(number) > \(maximum)") }
        if let bound = keywords["exclusiveMinimum"]?.numberValue, number <= bound { fail("exclusiveMinimum", "\(number) ≤ \(bound)") }
        if let bound = keywords["exclusiveMaximum"]?.numberValue, number >= bound { fail("exclusiveMaximum", "\(number) ≥ \(bound)") }
        if let divisor = keywords["multipleOf"]?.numberValue, !divisor.isZero, !divisor.isNegative, !number.isMultiple(of: divisor) {
            fail("multipleOf", "\(number) is not a multiple of \(divisor)")
        }
    }

    /// A count keyword's value (`minLength: 3`) as an `Int`; counts beyond `Int` saturate.
    private func count(_ keyword: String, in keywords: [String: JSONValue]) -> Int? {
        guard let number = keywords[keyword]?.numberValue else { return nil }
        return number.intValue ?? (number.isNegative ? Int.min : Int.max)
    }

    private func checkString(_ text: String, _ keywords: [String: JSONValue], fail: (String, String) -> Void) {
        let length = text.unicodeScalars.count
        if let minimum = count("minLength", in: keywords), length < minimum { fail("minLength", "length \(length) < \(minimum)") }
        if let maximum = count("maxLength", in: keywords), length > maximum { fail("maxLength", "length \(length) > \(maximum)") }
        if case .string(let pattern)? = keywords["pattern"], let regex = try? NSRegularExpression(pattern: pattern),
            regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) == nil
        {
            fail("pattern", "\(JSONValue.string(text).compactJSON) does not match /\(pattern)/")
        }
        if case .string(let format)? = keywords["format"], let check = Self.formats[format], !check(text) {
            fail("format", "\(JSONValue.string(text).compactJSON) is not a valid \(format)")
        }
    }

    private func checkArray(
        _ elements: [JSONValue], _ keywords: [String: JSONValue], instancePath: String, schemaPath: String, depth: Int,
        into found: inout [Violation]
    ) {
        func fail(_ keyword: String, _ message: String) {
            found.append(Violation(instancePath: instancePath, schemaPath: schemaPath + "/" + keyword, message: message))
        }
        if let minimum = count("minItems", in: keywords), elements.count < minimum { fail("minItems", "\(elements.count) items < \(minimum)") }
        if let maximum = count("maxItems", in: keywords), elements.count > maximum { fail("maxItems", "\(elements.count) items > \(maximum)") }
        if case .bool(true)? = keywords["uniqueItems"], Set(elements).count != elements.count { fail("uniqueItems", "items are not unique") }
        var prefixCount = 0
        if case .array(let prefix)? = keywords["prefixItems"] {
            prefixCount = prefix.count
            for (index, element) in elements.enumerated() where index < prefix.count {
                validate(
                    element, against: prefix[index], instancePath: instancePath + "/\(index)", schemaPath: schemaPath + "/prefixItems/\(index)",
                    depth: depth + 1, into: &found)
            }
        }
        if let items = keywords["items"] {
            for (index, element) in elements.enumerated() where index >= prefixCount {
                validate(element, against: items, instancePath: instancePath + "/\(index)", schemaPath: schemaPath + "/items", depth: depth + 1, into: &found)
            }
        }
        if let contains = keywords["contains"] {
            let matches = elements.count { element in
                var scratch: [Violation] = []
                validate(element, against: contains, instancePath: instancePath, schemaPath: schemaPath + "/contains", depth: depth + 1, into: &scratch)
                return scratch.isEmpty
            }
            let minimum = count("minContains", in: keywords) ?? 1
            if matches < minimum { fail("contains", "\(matches) items match 'contains', fewer than \(minimum)") }
            if let maximum = count("maxContains", in: keywords), matches > maximum {
                fail("maxContains", "\(matches) items match 'contains', more than \(maximum)")
            }
        }
    }

    private func checkObject(
        _ members: [String: JSONValue], _ keywords: [String: JSONValue], instancePath: String, schemaPath: String, depth: Int,
        into found: inout [Violation]
    ) {
        func fail(_ keyword: String, _ message: String) {
            found.append(Violation(instancePath: instancePath, schemaPath: schemaPath + "/" + keyword, message: message))
        }
        if let minimum = count("minProperties", in: keywords), members.count < minimum { fail("minProperties", "\(members.count) properties < \(minimum)") }
        if let maximum = count("maxProperties", in: keywords), members.count > maximum { fail("maxProperties", "\(members.count) properties > \(maximum)") }
        if case .array(let required)? = keywords["required"] {
            for name in required.compactMap(\.stringValue) where members[name] == nil { fail("required", "missing required property '\(name)'") }
        }
        if case .object(let dependencies)? = keywords["dependentRequired"] {
            for (name, needed) in dependencies where members[name] != nil {
                guard case .array(let list) = needed else { continue }
                for other in list.compactMap(\.stringValue) where members[other] == nil {
                    fail("dependentRequired", "property '\(name)' requires '\(other)'")
                }
            }
        }
        var evaluated = Set<String>()
        let properties: [String: JSONValue]
        if case .object(let declared)? = keywords["properties"] { properties = declared } else { properties = [:] }
        let patterns: [(NSRegularExpression, String, JSONValue)]
        if case .object(let declared)? = keywords["patternProperties"] {
            patterns = declared.compactMap { pattern, schema in (try? NSRegularExpression(pattern: pattern)).map { ($0, pattern, schema) } }
        } else {
            patterns = []
        }
        for (name, value) in members.sorted(by: { $0.key < $1.key }) {
            let childPath = instancePath + "/" + JSONPointer.escape(name)
            if let schema = properties[name] {
                evaluated.insert(name)
                validate(
                    value, against: schema, instancePath: childPath, schemaPath: schemaPath + "/properties/" + JSONPointer.escape(name), depth: depth + 1,
                    into: &found)
            }
            for (regex, pattern, schema) in patterns where regex.firstMatch(in: name, range: NSRange(name.startIndex..., in: name)) != nil {
                evaluated.insert(name)
                validate(
                    value, against: schema, instancePath: childPath, schemaPath: schemaPath + "/patternProperties/" + JSONPointer.escape(pattern),
                    depth: depth + 1, into: &found)
            }
            if !evaluated.contains(name), let additional = keywords["additionalProperties"] {
                if case .bool(false) = additional {
                    found.append(
                        Violation(instancePath: childPath, schemaPath: schemaPath + "/additionalProperties", message: "property '\(name)' is not allowed"))
                } else {
                    validate(
                        value, against: additional, instancePath: childPath, schemaPath: schemaPath + "/additionalProperties", depth: depth + 1, into: &found)
                }
            }
            if let names = keywords["propertyNames"] {
                validate(.string(name), against: names, instancePath: childPath, schemaPath: schemaPath + "/propertyNames", depth: depth + 1, into: &found)
            }
        }
    }

    static func has(_ value: JSONValue, type: String) -> Bool {
        switch (type, value) {
        case ("null", .null), ("boolean", .bool), ("object", .object), ("array", .array), ("number", .number), ("string", .string):
            return true
        case ("integer", .number(let number)):
            return number.isInteger
        default:
            return false
        }
    }

    /// The `format` values that are asserted, with their checks.
    static let formats: [String: @Sendable (String) -> Bool] = [
        "date-time": StringFormats.isDateTime, "date": StringFormats.isDate, "uuid": StringFormats.isUUID, "email": StringFormats.isEmail,
    ]
}
