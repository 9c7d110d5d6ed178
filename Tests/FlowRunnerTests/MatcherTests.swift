import APITransport
import Testing
import TextFileIO

@testable import CoverageGate
@testable import FlowCommands
@testable import FlowCore
@testable import FlowRuntime

@Suite("Matchers and predicates")
struct MatcherTests {
    let scope = TemplateScope(layers: [["expectedStatus": "confirmed", "min": 2]])

    func check(_ predicate: Predicate, _ actual: JSONValue?) throws -> Bool {
        try MatcherEvaluator.evaluate(.predicates([predicate]), actual: actual, in: scope).passed
    }

    func literal(_ value: TemplateValue, _ actual: JSONValue?) throws -> Bool {
        try MatcherEvaluator.evaluate(.literal(value), actual: actual, in: scope).passed
    }

    func template(_ text: String) throws -> TemplateValue { .string(try Template(text)) }

    @Test("literals compare by JSON equality, numbers numerically")
    func literals() throws {
        #expect(try literal(.number(1), .number(1.0)))
        #expect(try !literal(.number(1), .string("1")))
        #expect(try literal(template("{{ expectedStatus }}"), "confirmed"))
        #expect(try !literal(template("{{ expectedStatus }}"), "pending"))
        #expect(try !literal(.null, nil))
    }

    @Test("equals")
    func equals() throws {
        #expect(try check(.equals(.array([.number(1), .bool(true)])), [1, true]))
        #expect(try !check(.equals(.number(2)), 3))
    }

    @Test("exists")
    func exists() throws {
        #expect(try check(.exists(true), nil) == false)
        #expect(try check(.exists(true), .null))
        #expect(try check(.exists(false), nil))
        #expect(try !check(.exists(false), "x"))
    }

    @Test("contains: substring, element, key")
    func contains() throws {
        #expect(try check(.contains(template("json")), "application/json; charset=utf-8"))
        #expect(try !check(.contains(template("xml")), "application/json"))
        #expect(try check(.contains(.number(2)), [1, 2]))
        #expect(try !check(.contains(.number(3)), [1, 2]))
        #expect(try check(.contains(template("id")), ["id": 1]))
        #expect(try !check(.contains(template("name")), ["id": 1]))
        #expect(try !check(.contains(template("x")), nil))
    }

    @Test("matches searches with a regular expression")
    func matches() throws {
        #expect(try check(.matches(Template("^order_[a-z0-9]+$")), "order_ab12"))
        #expect(try check(.matches(Template("[0-9]{3}")), "abc123def"))
        #expect(try !check(.matches(Template("^x")), "abc"))
        #expect(try !check(.matches(Template("1")), 1))
    }

    @Test("type, including integer")
    func type() throws {
        #expect(try check(.type(.string), "x"))
        #expect(try check(.type(.number), 1.5))
        #expect(try check(.type(.integer), 3))
        #expect(try !check(.type(.integer), 3.5))
        #expect(try check(.type(.boolean), false))
        #expect(try check(.type(.array), []))
        #expect(try check(.type(.object), [:]))
        #expect(try check(.type(.null), .null))
        #expect(try !check(.type(.string), 1))
        #expect(try !check(.type(.null), nil))
    }

    @Test("length with an integer or a nested matcher")
    func length() throws {
        #expect(try check(.length(.literal(.number(3))), "abc"))
        #expect(try check(.length(.literal(.number(2))), [1, 2]))
        #expect(try check(.length(.literal(.number(1))), ["a": 1]))
        #expect(try check(.length(.predicates([.compare(.gte, template("{{ min }}"))])), [1, 2, 3]))
        #expect(try !check(.length(.predicates([.compare(.gte, .number(4))])), [1, 2, 3]))
        #expect(try !check(.length(.literal(.number(1))), 5))
        #expect(try check(.length(.literal(.number(2))), "नम"))
    }

    @Test("comparisons on numbers, dates and strings")
    func comparisons() throws {
        #expect(try check(.compare(.gt, .number(1)), 2))
        #expect(try !check(.compare(.gt, .number(2)), 2))
        #expect(try check(.compare(.gte, .number(2)), 2))
        #expect(try check(.compare(.lt, .number(2)), 1.5))
        #expect(try check(.compare(.lte, .number(2)), 2))
        #expect(try !check(.compare(.lte, .number(2)), 3))
        #expect(try check(.compare(.gt, template("2026-01-01T10:00:00+05:30")), "2026-01-01T05:00:00Z"))
        #expect(try !check(.compare(.gt, template("2026-01-01T10:00:00Z")), "2026-01-01T09:00:00.500Z"))
        #expect(try check(.compare(.lt, template("2026-02-01")), "2026-01-31"))
        #expect(try check(.compare(.lt, template("b")), "a"))
        #expect(try !check(.compare(.lt, .number(5)), "a"))
        #expect(try !check(.compare(.gt, .number(1)), nil))
    }

    @Test("oneOf")
    func oneOf() throws {
        #expect(try check(.oneOf([template("pending"), template("{{ expectedStatus }}")]), "confirmed"))
        #expect(try !check(.oneOf([template("pending"), .number(1)]), "cancelled"))
    }

    @Test("several predicates must all hold, and the description lists them")
    func conjunction() throws {
        let matcher = Matcher.predicates([.type(.string), .matches(try Template("^a")), .length(.literal(.number(3)))])
        #expect(try MatcherEvaluator.evaluate(matcher, actual: "abc", in: scope).passed)
        let outcome = try MatcherEvaluator.evaluate(matcher, actual: "abcd", in: scope)
        #expect(!outcome.passed)
        #expect(outcome.expected == "type string and matches /^a/ and length 3")
    }
}
