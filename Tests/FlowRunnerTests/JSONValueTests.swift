import APITransport
import Foundation
import Testing
import TextFileIO

@testable import CoverageGate
@testable import FlowCommands
@testable import FlowCore
@testable import FlowRuntime

@Suite("JSONValue")
struct JSONValueTests {
    @Test("parses every JSON kind")
    func parsesKinds() throws {
        let value = try JSONValue(parsing: #"{"a":1,"b":1.5,"c":"x","d":true,"e":null,"f":[1,"y"],"g":{"h":false}}"#)
        #expect(value == ["a": 1, "b": 1.5, "c": "x", "d": true, "e": .null, "f": [1, "y"], "g": ["h": false]])
    }

    @Test("booleans are not numbers and numbers are not booleans")
    func boolsStayBools() throws {
        #expect(try JSONValue(parsing: "[true, 1, 0]") == [true, 1, 0])
        #expect(JSONValue.bool(true) != JSONValue.number(1))
    }

    @Test("compact serialization sorts keys and prints integral numbers without a fraction")
    func compact() {
        let value: JSONValue = ["z": 1.0, "a": [2.5, "q\"\n\u{01}"], "m": .null, "é": "हिन्दी"]
        #expect(value.compactJSON == #"{"a":[2.5,"q\"\n\u0001"],"m":null,"z":1,"é":"हिन्दी"}"#)
    }

    @Test("1 equals 1.0")
    func numericEquality() throws {
        #expect(try JSONValue(parsing: "1") == JSONValue(parsing: "1.0"))
    }

    @Test("serialization round-trips through the parser")
    func roundTrip() throws {
        let value: JSONValue = ["list": [1, -2, 3.25, 1e21], "nested": ["ok": true], "text": "tab\there"]
        #expect(try JSONValue(parsing: value.compactJSON) == value)
    }

    @Test("invalid JSON throws")
    func invalid() {
        #expect(throws: (any Error).self) { try JSONValue(parsing: "{nope") }
    }
}
