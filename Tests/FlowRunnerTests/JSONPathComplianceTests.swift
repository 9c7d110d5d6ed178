import APITransport
import Foundation
import Testing
import TextFileIO

@testable import CoverageGate
@testable import FlowCommands
@testable import FlowCore
@testable import FlowRuntime

/// Runs the JSONPath Compliance Test Suite (RFC 9535; `Resources/jsonpath-cts/cts.json`, BSD-2 licensed, see the
/// `LICENSE` and `NOTICE` next to it): every case must pass.
///
/// A valid case must select exactly the node list of `result` (or one of `results`, where the order of object
/// members is not defined), with the Normalized Paths of `result_paths` (`results_paths`); an `invalid_selector`
/// case must throw ``JSONPathError`` with a column inside the selector (1 … count + 1, the end).
@Suite("JSONPath compliance test suite")
struct JSONPathComplianceTests {
    /// One entry of `cts.json`.
    struct Case {
        var name: String
        var selector: String
        var isInvalid: Bool
        var document: JSONValue
        /// Acceptable node lists: `[result]`, or `results`.
        var results: [[JSONValue]]
        /// The paths of each acceptable node list, in the same order; empty when the case gives none.
        var paths: [[String]]
    }

    static func loadCases() throws -> [Case] {
        let url = try #require(
            Bundle.module.url(forResource: "cts", withExtension: "json", subdirectory: "Resources/jsonpath-cts"),
            "cts.json is missing from the test resources")
        guard case .object(let suite) = try JSONValue(parsing: Data(contentsOf: url)),
            case .array(let tests)? = suite["tests"]
        else {
            Issue.record("cts.json has no \"tests\" array")
            return []
        }
        return try tests.map { test in
            guard case .object(let fields) = test, case .string(let name)? = fields["name"],
                case .string(let selector)? = fields["selector"]
            else { throw CTSFormatError(description: "a case without name or selector: \(test.compactJSON)") }
            func list(_ value: JSONValue?) -> [JSONValue]? {
                if case .array(let values)? = value { return values }
                return nil
            }
            func strings(_ value: JSONValue?) -> [String]? { list(value)?.compactMap(\.stringValue) }
            let results = list(fields["result"]).map { [$0] } ?? list(fields["results"])?.compactMap { list($0) } ?? []
            let paths =
                strings(fields["result_paths"]).map { [$0] } ?? list(fields["results_paths"])?.compactMap { strings($0) }
                ?? []
            return Case(
                name: name, selector: selector, isInvalid: fields["invalid_selector"] == .bool(true),
                document: fields["document"] ?? .null, results: results, paths: paths)
        }
    }

    struct CTSFormatError: Error, CustomStringConvertible {
        var description: String
    }

    /// What is wrong with the implementation on one case, or `nil` when the case passes.
    static func problem(with test: Case) -> String? {
        let query: JSONPathQuery
        do {
            query = try JSONPathQuery(test.selector)
        } catch {
            guard test.isInvalid else { return "a valid selector was rejected: \(error)" }
            guard (1...test.selector.count + 1).contains(error.column) else {
                return "column \(error.column) is outside the selector (\(test.selector.count) characters): \(error)"
            }
            return nil
        }
        if test.isInvalid { return "an invalid selector was accepted" }
        guard !test.results.isEmpty else { return "the case has neither result nor results" }
        let nodes = query.selectLocated(in: test.document)
        let values = nodes.map(\.value)
        let paths = nodes.map { $0.path.description }
        guard query.select(in: test.document) == values else { return "select(in:) and selectLocated(in:) differ" }
        for (index, expected) in test.results.enumerated() where expected == values {
            if test.paths.isEmpty || test.paths[index] == paths { return nil }
        }
        let expected = test.results.map { JSONValue.array($0).compactJSON }.joined(separator: " or ")
        let expectedPaths = test.paths.map { $0.joined(separator: ", ") }.joined(separator: " or ")
        return "selected \(JSONValue.array(values).compactJSON) at \(paths.joined(separator: ", ")); "
            + "expected \(expected) at \(expectedPaths)"
    }

    @Test("every case of cts.json passes (valid selectors select the expected nodes and paths, invalid ones throw)")
    func everyCase() throws {
        let cases = try Self.loadCases()
        try #require(!cases.isEmpty, "cts.json has no cases")
        var passed = 0
        for test in cases {
            if let problem = Self.problem(with: test) {
                Issue.record("\(test.name) — \(test.selector): \(problem)")
            } else {
                passed += 1
            }
        }
        #expect(passed == cases.count, "\(passed) of \(cases.count) compliance cases passed")
    }

    @Test("the suite is complete: valid and invalid cases, some with several acceptable orders, all with paths")
    func suitePresent() throws {
        let cases = try Self.loadCases()
        #expect(cases.count >= 700)
        #expect(cases.filter(\.isInvalid).count >= 200)
        #expect(cases.contains { $0.results.count > 1 })
        #expect(cases.filter { !$0.isInvalid }.allSatisfy { $0.paths.count == $0.results.count })
    }
}
