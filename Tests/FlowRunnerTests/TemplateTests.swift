import APITransport
import Foundation
import Testing
import TextFileIO

@testable import CoverageGate
@testable import FlowCommands
@testable import FlowCore
@testable import FlowRuntime

@Suite("Templating")
struct TemplateTests {
    let scope = TemplateScope(layers: [
        ["stepOnly": "s", "shadowed": "step"],
        ["id": 42, "user": ["name": "Asha", "roles": ["admin", "doctor"]], "shadowed": "capture"],
        ["email": "a@example.test", "price": 12.5, "flag": true],
    ])

    func evaluate(_ text: String) throws -> JSONValue { try Template(text).evaluate(in: scope) }

    @Test("a sole placeholder keeps the value's JSON type")
    func typePreserved() throws {
        #expect(try evaluate("{{ id }}") == 42)
        #expect(try evaluate("  {{id}} ") == 42)
        #expect(try evaluate("{{ flag }}") == true)
        #expect(try evaluate("{{ user.roles }}") == ["admin", "doctor"])
    }

    @Test("interpolation renders strings raw and other values as compact JSON")
    func interpolation() throws {
        #expect(try evaluate("id={{ id }} price={{ price }} name={{ user.name }}") == "id=42 price=12.5 name=Asha")
        #expect(try evaluate("roles: {{ user.roles }}") == #"roles: ["admin","doctor"]"#)
        #expect(try evaluate("plain text") == "plain text")
    }

    @Test("paths with members, indexes and quoted names")
    func paths() throws {
        #expect(try evaluate("{{ user.roles[1] }}") == "doctor")
        #expect(try evaluate("{{ user.roles[-1] }}") == "doctor")
        #expect(try evaluate("{{ user['name'] }}") == "Asha")
    }

    @Test("earlier layers shadow later ones")
    func shadowing() throws {
        #expect(try evaluate("{{ shadowed }}") == "step")
    }

    @Test("undefined variables and missing members name the culprit")
    func undefined() throws {
        #expect(throws: TemplateError.undefinedVariable("nobody")) { try evaluate("{{ nobody }}") }
        #expect(throws: TemplateError.unknownGenerator("fake.colour")) { try evaluate("{{ fake.colour }}") }
        #expect(throws: TemplateError.missingMember(path: "user.age")) { try evaluate("{{ user.age }}") }
        #expect(throws: TemplateError.missingMember(path: "user.roles[5]")) { try evaluate("{{ user.roles[5] }}") }
    }

    @Test("syntax errors: unclosed placeholder, unknown function, bad arity")
    func syntax() {
        #expect(throws: TemplateError.syntax(message: "'{{' without a closing '}}'", offset: 4)) { try Template("abc {{ id") }
        #expect(throws: TemplateError.unknownFunction("frobnicate")) { try Template("{{ frobnicate() }}") }
        #expect(throws: (any Error).self) { try Template("{{ hmac_sha256('a') }}") }
        #expect(throws: (any Error).self) { try Template("{{ }}") }
        #expect(throws: (any Error).self) { try Template("{{ a b }}") }
    }

    @Test("generators give a new value every time")
    func generatorsUnique() throws {
        let template = try Template("{{ fake.email }}|{{ fake.phone }}|{{ uuid }}|{{ uuid() }}")
        var seen = Set<String>()
        for _ in 0..<50 {
            let parts = try template.render(in: scope).split(separator: "|").map(String.init)
            #expect(parts[0].hasPrefix("flow+") && parts[0].hasSuffix("@example.test"))
            #expect(parts[1].wholeMatch(of: /\+919[0-9]{9}/) != nil)
            #expect(UUID(uuidString: parts[2]) != nil && parts[2] == parts[2].lowercased())
            for part in parts { #expect(seen.insert(part).inserted) }
        }
        let name = try evaluate("{{ fake.name }}")
        #expect(name.stringValue?.split(separator: " ").count == 2)
    }

    @Test("date() is relative to today in the given zone")
    func date() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Kolkata")!
        let expected = calendar.date(byAdding: .day, value: 1, to: Date())!
        let parts = calendar.dateComponents([.year, .month, .day], from: expected)
        let text = String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
        #expect(try evaluate(#"{{ date("+1d", "Asia/Kolkata") }}"#) == .string(text))
        let week = try evaluate("{{ date('-1w') }}").stringValue ?? ""
        #expect(week.wholeMatch(of: /\d{4}-\d{2}-\d{2}/) != nil)
        #expect(throws: (any Error).self) { try evaluate("{{ date('+1h') }}") }
        #expect(throws: (any Error).self) { try evaluate("{{ date('+1d', 'Mars/Olympus') }}") }
    }

    @Test("datetime() and now() are RFC 3339 UTC instants")
    func datetime() throws {
        let now = try #require(ValueOrdering.parseDate(try evaluate("{{ now() }}").stringValue ?? ""))
        #expect(abs(now.timeIntervalSinceNow) < 5)
        let later = try #require(ValueOrdering.parseDate(try evaluate(#"{{ datetime("+2h") }}"#).stringValue ?? ""))
        #expect(abs(later.timeIntervalSince(now) - 7200) < 5)
        let earlier = try #require(ValueOrdering.parseDate(try evaluate("{{ datetime('-30m') }}").stringValue ?? ""))
        #expect(abs(now.timeIntervalSince(earlier) - 1800) < 5)
    }

    @Test("hmac_sha256 matches RFC 4231 test case 2")
    func hmac() throws {
        #expect(
            try evaluate(#"{{ hmac_sha256("Jefe", 'what do ya want for nothing?') }}"#)
                == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        let scope = TemplateScope(layers: [["key": "Jefe", "message": "what do ya want for nothing?"]])
        #expect(
            try Template("{{ hmac_sha256(key, message) }}").evaluate(in: scope)
                == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test("json() renders compact JSON text")
    func json() throws {
        #expect(try evaluate("{{ json(user) }}") == #"{"name":"Asha","roles":["admin","doctor"]}"#)
        #expect(try evaluate("{{ json(12) }}") == "12")
    }

    @Test("template values evaluate recursively")
    func templateValue() throws {
        let value = TemplateValue.object([
            .init(key: "id", value: .string(try Template("{{ id }}"))),
            .init(key: "list", value: .array([.number(1), .string(try Template("n-{{ id }}")), .null, .bool(false)])),
        ])
        #expect(try value.evaluate(in: scope) == ["id": 42, "list": [1, "n-42", .null, false]])
    }
}
