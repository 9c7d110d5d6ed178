import APITransport
import Foundation
import Testing
import TextFileIO

@testable import CoverageGate
@testable import FlowCommands
@testable import FlowCore
@testable import FlowRuntime

@Suite("JSONParser and JSONNumber")
struct JSONParserTests {
    @Test("numbers keep their text and compare by exact value")
    func exactNumbers() throws {
        let value = try JSONValue(parsing: #"[12345678901234567891, 1.10, 1e2, -0, 0.1, 9007199254740993]"#)
        #expect(value.compactJSON == "[12345678901234567891,1.10,1e2,-0,0.1,9007199254740993]")
        guard case .array(let numbers) = value else {
            Issue.record("not an array")
            return
        }
        #expect(numbers[0] != .number(JSONNumber("12345678901234567890")!))
        #expect(numbers[1] == .number(JSONNumber("1.1")!))
        #expect(numbers[2] == .number(100))
        #expect(numbers[3] == .number(0))
        #expect(numbers[5] != .number(JSONNumber("9007199254740992")!))
        let ordered = [
            "-1e3", "-2", "-1.5", "-0", "0.1", "0.10000000000000001", "1", "1.0000000000000000001", "12345678901234567890", "12345678901234567891", "1e20",
        ]
        .map { JSONNumber($0)! }
        for (index, number) in ordered.enumerated() {
            for later in ordered[(index + 1)...] where number != later { #expect(number < later, "\(number) < \(later)") }
        }
        #expect(Set([JSONNumber("1.0")!, JSONNumber("1")!, JSONNumber("10e-1")!]).count == 1)
        #expect(JSONNumber("12345678901234567890")?.intValue == nil)
        #expect(JSONNumber("9223372036854775807")?.intValue == Int.max)
        #expect(JSONNumber("-9223372036854775808")?.intValue == Int.min)
        #expect(JSONNumber("4.00")?.intValue == 4)
        for invalid in ["01", "1.", ".5", "+1", "1e", "--1", "1e1000000001", "NaN", "0x10", ""] { #expect(JSONNumber(invalid) == nil, "\(invalid)") }
    }

    @Test("multipleOf is exact for decimals and integers of any length")
    func multiples() {
        func multiple(_ a: String, _ b: String) -> Bool { JSONNumber(a)!.isMultiple(of: JSONNumber(b)!) }
        #expect(multiple("0.3", "0.1"))
        #expect(multiple("19.99", "0.01"))
        #expect(!multiple("19.999", "0.01"))
        #expect(multiple("123456789012345678901234567890", "10"))
        #expect(!multiple("123456789012345678901234567891", "10"))
        #expect(multiple("1e400", "7e399") == false)
        #expect(multiple("7e400", "7"))
        #expect(multiple("0", "0.5"))
        #expect(!multiple("1", "3"))
    }

    @Test("errors name the line and column; nothing but RFC 8259 JSON is accepted")
    func errors() {
        let cases: [(String, String)] = [
            ("{\n  \"a\": 1,\n}", "line 3, column 1: expected a member name in double quotes"),
            ("[1, 2", "line 1, column 6: unexpected end of the document"),
            ("[01]", "line 1, column 3: a number cannot have a leading zero"),
            ("{\"a\" 1}", "line 1, column 6: expected ':' after the member name"),
            ("\"tab\there\"", "line 1, column 5: control character U+0009 in a string must be escaped"),
            ("\"\\x\"", "line 1, column 2: invalid escape '\\x' in a string"),
            ("[1] [2]", "line 1, column 5: unexpected text after the JSON value"),
            ("", "line 1, column 1: empty document"),
            ("// comment\n{}", "line 1, column 1: expected a value (object, array, string, number, true, false or null)"),
            ("\u{FEFF}{\"a\": nul}", "line 1, column 7: expected a value (object, array, string, number, true, false or null)"),
        ]
        for (text, message) in cases {
            #expect(throws: JSONParseError.self, "\(text)") { try JSONValue(parsing: text) }
            do {
                _ = try JSONValue(parsing: text)
            } catch {
                #expect(error.description == message, "\(text.debugDescription)")
            }
        }
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: Data([0x22, 0xC3, 0x28, 0x22])) }
    }

    @Test("strings: escapes, surrogate pairs, unpaired surrogates, a byte-order mark, duplicate keys")
    func strings() throws {
        #expect(try JSONValue(parsing: #""\ud83d\ude00 \u00E9 \/ \n""#) == .string("😀 é / \n"))
        #expect(try JSONValue(parsing: #""\ud800x""#) == .string("\u{FFFD}x"))
        #expect(try JSONValue(parsing: "\u{FEFF}[true]") == [true])
        #expect(try JSONValue(parsing: #"{"a": 1, "a": 2}"#) == ["a": 2])
    }

    @Test("the deepest document accepted survives every recursive walk on a concurrency thread; one level more is refused")
    func depth() async throws {
        let limit = JSONParser.maximumDepth
        let text = String(repeating: "[", count: limit) + "{\"token\": 1}" + String(repeating: "]", count: limit)
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: "[" + text + "]") }
        do {
            _ = try JSONValue(parsing: "[" + text + "]")
        } catch {
            #expect(error.message == "nested deeper than \(limit) levels")
        }
        // Every walk the runner makes of a response body, in a task (where a crash would take the runner down).
        let survived = await Task.detached { () -> Bool in
            guard let value = try? JSONValue(parsing: String(repeating: "[", count: limit - 1) + "{\"token\": 1}" + String(repeating: "]", count: limit - 1)),
                let copy = try? JSONValue(parsing: value.compactJSON)
            else { return false }
            var hasher = Hasher()
            value.hash(into: &hasher)
            _ = hasher.finalize()
            let query = try? JSONPathQuery("$..*[?@.token == 1]")
            let selected = query?.select(in: value) ?? []
            let schema = try? JSONSchemaDocument(root: ["type": "array", "items": ["$ref": "#"]], source: "inline")
            let violations = schema.map { JSONSchemaValidator(document: $0).violations(of: value) } ?? []
            let diff = JSONDiff.render(expected: .array([]), actual: value, maskingSensitiveMembers: true)
            let recorded = RecordedText.bound(value, maskingSensitiveMembers: true)
            let checks = [
                value == copy, selected.count == 1, SensitiveFields.hasSensitiveMember(value), !violations.isEmpty, diff != nil, recorded.hasSuffix(")"),
            ]
            if checks.contains(false) { print("depth checks: \(checks) selected \(selected.count) violations \(violations.prefix(2))") }
            return !checks.contains(false)
        }.value
        #expect(survived)
    }
}
