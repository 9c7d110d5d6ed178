import APITransport
import Foundation
import Testing
import TextFileIO

@testable import CoverageGate
@testable import FlowCommands
@testable import FlowCore
@testable import FlowRuntime

@Suite("JSON Schema validator (draft 2020-12 subset)")
struct JSONSchemaValidatorTests {
    func violations(_ schema: String, _ instance: String) throws -> [String] {
        let document = try JSONSchemaDocument(root: try JSONValue(parsing: schema), source: "s.json")
        return JSONSchemaValidator(document: document).violations(of: try JSONValue(parsing: instance)).map(\.description)
    }

    @Test("types, enum, const, numbers, strings and formats")
    func scalars() throws {
        #expect(try violations(#"{"type":"integer"}"#, "1.5") == ["/: expected integer, found number (#/type)"])
        #expect(try violations(#"{"type":["string","null"]}"#, "null").isEmpty)
        #expect(try violations(#"{"enum":["a","b"]}"#, #""c""#) == [#"/: "c" is not one of ["a","b"] (#/enum)"#])
        #expect(try violations(#"{"const":{"a":1}}"#, #"{"a":1.0}"#).isEmpty)
        #expect(try violations(#"{"minimum":0,"exclusiveMaximum":10,"multipleOf":0.5}"#, "10").count == 1)
        #expect(try violations(#"{"multipleOf":0.1}"#, "0.3").isEmpty)
        // Lengths count code points (RFC 8259 characters), not grapheme clusters: 👩‍⚕️ is one cluster of 4.
        #expect(try violations(#"{"maxLength":3}"#, #""👩‍⚕️""#) == ["/: length 4 > 3 (#/maxLength)"])
        #expect(try violations(#"{"minLength":2}"#, "\"e\u{301}\"").isEmpty)
        #expect(try violations(#"{"pattern":"^[A-Z]+$"}"#, #""abc""#).count == 1)
        #expect(try violations(#"{"format":"date-time"}"#, #""2026-11-30T10:00:00Z""#).isEmpty)
        #expect(try violations(#"{"format":"date-time"}"#, #""2026-11-30""#).count == 1)
        #expect(try violations(#"{"format":"uuid"}"#, #""not-a-uuid""#).count == 1)
        #expect(try violations(#"{"format":"date"}"#, #""2026-02-30""#).count == 1)
    }

    @Test("objects: required, properties, additional and pattern properties, property names, dependent required")
    func objects() throws {
        let schema = #"""
            {"type":"object","required":["id"],"properties":{"id":{"type":"string"}},
             "patternProperties":{"^x-":{"type":"number"}},"additionalProperties":false,
             "propertyNames":{"maxLength":8},"dependentRequired":{"x-a":["x-b"]}}
            """#
        #expect(try violations(schema, #"{"id":"1","x-a":1,"x-b":2}"#).isEmpty)
        let found = try violations(schema, #"{"x-a":"one","colour":1}"#)
        #expect(found.contains("/: missing required property 'id' (#/required)"))
        #expect(found.contains("/x-a: expected number, found string (#/patternProperties/^x-/type)"))
        #expect(found.contains("/colour: property 'colour' is not allowed (#/additionalProperties)"))
        #expect(found.contains("/: property 'x-a' requires 'x-b' (#/dependentRequired)"))
    }

    @Test("arrays: items, prefixItems, contains with bounds, uniqueItems, sizes")
    func arrays() throws {
        #expect(try violations(#"{"prefixItems":[{"type":"string"}],"items":{"type":"integer"}}"#, #"["a",1,2]"#).isEmpty)
        #expect(try violations(#"{"prefixItems":[{"type":"string"}],"items":{"type":"integer"}}"#, #"[1,"b"]"#).count == 2)
        #expect(try violations(#"{"contains":{"const":1},"minContains":2}"#, "[1,2]").count == 1)
        #expect(try violations(#"{"contains":{"const":1},"maxContains":1}"#, "[1,1]").count == 1)
        #expect(try violations(#"{"uniqueItems":true,"minItems":1,"maxItems":2}"#, "[1,1,1]").count == 2)
    }

    @Test("combinators, conditionals and local references")
    func combinators() throws {
        let schema = #"""
            {"$defs":{"id":{"type":"string","minLength":1}},
             "anyOf":[{"$ref":"#/$defs/id"},{"type":"integer"}],
             "not":{"const":"forbidden"},
             "if":{"type":"string"},"then":{"maxLength":5},"else":{"minimum":0}}
            """#
        #expect(try violations(schema, #""abc""#).isEmpty)
        #expect(try violations(schema, "-1").count == 1)
        #expect(try violations(schema, #""forbidden""#).count == 2)
        #expect(try violations(schema, "true").count == 1)
        #expect(try violations(#"{"oneOf":[{"type":"number"},{"type":"integer"}]}"#, "1").count == 1, "1 matches both")
        #expect(try violations("false", "1").count == 1)
        #expect(try violations("true", "1").isEmpty)
    }

    @Test("a reference cycle stops at the depth limit instead of overflowing the stack")
    func cycle() throws {
        #expect(try violations(##"{"$defs":{"a":{"$ref":"#/$defs/a"}},"$ref":"#/$defs/a"}"##, "1").contains { $0.contains("a $ref cycle?") })
    }

    @Test("unsupported keywords, remote references and ill-typed keywords are refused when loading")
    func refusedSchemas() {
        for (schema, message) in [
            (#"{"unevaluatedProperties":false}"#, "unsupported JSON Schema keyword 'unevaluatedProperties' at #/unevaluatedProperties"),
            (#"{"properties":{"a":{"$ref":"https://example.com/s.json"}}}"#, "does not point into this document at #/properties/a/$ref"),
            (#"{"type":"text"}"#, "'type' must be a type name or an array of type names at #/type"),
            (#"{"minLength":-1}"#, "'minLength' must be a non-negative integer"),
            (#"{"pattern":"("}"#, "'pattern' must be a valid regular expression"),
            (#"{"$defs":{"x":{"typo":1}}}"#, "unsupported JSON Schema keyword 'typo' at #/$defs/x/typo"),
        ] {
            #expect(throws: JSONSchemaDocument.LoadError.self, "\(schema)") {
                try JSONSchemaDocument(root: try JSONValue(parsing: schema), source: "s.json")
            }
            do {
                _ = try JSONSchemaDocument(root: try JSONValue(parsing: schema), source: "s.json")
            } catch let error as JSONSchemaDocument.LoadError {
                #expect(error.message.contains(message), "\(error.message)")
            } catch {
                Issue.record("unexpected \(error)")
            }
        }
    }
}
