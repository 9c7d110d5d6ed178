import FlowCore
import Foundation
import Testing

/// The runner's JSON Schema validator (`schema:` expectations, `--openapi-validate`) against the official
/// JSON-Schema-Test-Suite, draft 2020-12 — the suite the `jsonschema` package's source distribution on PyPI carries
/// (`scripts/json-schema-test-suite.sh` downloads it; `.ci/run` sets `JSON_SCHEMA_TEST_SUITE`).
///
/// Every file of a keyword the validator supports runs; a test group whose schema the validator refuses to load
/// (a keyword or `$ref` form it does not support, as documented in ``JSONSchemaDocument``) must be refused, never
/// half-checked, and its refusal is counted. `format` is asserted here (not only annotated), so the suite's
/// `optional/format` files for the formats it checks run instead of the annotation-only `format.json`.
@Suite("JSON-Schema-Test-Suite (draft 2020-12) against the runner's validator")
struct JSONSchemaTestSuiteTests {
    static let folder = ProcessInfo.processInfo.environment["JSON_SCHEMA_TEST_SUITE"].map { URL(fileURLWithPath: $0) }
    static let available = folder.map { FileManager.default.fileExists(atPath: $0.appendingPathComponent("type.json").path) } ?? false

    /// Files of keywords the validator implements.
    static let files = [
        "additionalProperties", "allOf", "anyOf", "boolean_schema", "const", "contains", "default", "defs", "dependentRequired", "enum",
        "exclusiveMaximum", "exclusiveMinimum", "if-then-else", "infinite-loop-detection", "items", "maxContains", "maxItems", "maxLength",
        "maxProperties", "maximum", "minContains", "minItems", "minLength", "minProperties", "minimum", "multipleOf", "not", "oneOf",
        "pattern", "patternProperties", "prefixItems", "properties", "propertyNames", "ref", "required", "type", "uniqueItems",
        "optional/format/date-time", "optional/format/date", "optional/format/uuid", "optional/format/email",
    ]

    @Test(
        "every test of the supported keywords' files passes; schemas with unsupported features are refused, not half-checked",
        .enabled(if: available, "set JSON_SCHEMA_TEST_SUITE to the suite's tests/draft2020-12 folder (scripts/json-schema-test-suite.sh)"))
    func suite() throws {
        guard let folder = Self.folder else { return }
        var passed = 0
        var failures: [String] = []
        var refused: [String] = []
        for name in Self.files {
            let url = folder.appendingPathComponent(name + ".json")
            guard case .array(let groups) = try JSONValue(parsing: Data(contentsOf: url)) else {
                Issue.record("\(name).json is not a list of test groups")
                continue
            }
            for group in groups {
                guard case .object(let fields) = group, let schema = fields["schema"], case .array(let tests)? = fields["tests"] else { continue }
                let description = fields["description"]?.stringValue ?? "?"
                let document: JSONSchemaDocument
                do {
                    document = try JSONSchemaDocument(root: schema, source: "\(name).json")
                } catch {
                    refused.append("\(name): \(description): \(error.message)")
                    continue
                }
                let validator = JSONSchemaValidator(document: document)
                for test in tests {
                    guard case .object(let test) = test, let data = test["data"], case .bool(let valid)? = test["valid"] else { continue }
                    let violations = validator.violations(of: data)
                    if violations.isEmpty == valid {
                        passed += 1
                    } else {
                        failures.append(
                            "\(name): \(description): \(test["description"]?.stringValue ?? "?"): expected \(valid ? "valid" : "invalid"), "
                                + (violations.first.map { "got \($0)" } ?? "got valid"))
                    }
                }
            }
        }
        print("JSON-Schema-Test-Suite draft 2020-12: \(passed) tests passed, \(failures.count) failed, \(refused.count) groups refused at load")
        for line in refused { print("  refused: \(line)") }
        #expect(failures.isEmpty, "\(failures.count) failed:\n\(failures.joined(separator: "\n"))")
        #expect(passed >= 850, "\(passed) tests ran (875 of jsonschema 4.23.0's copy of the suite)")
        #expect(
            refused.allSatisfy { line in
                ["$id", "$anchor", "$dynamic", "unevaluated", "remote", "local references", "unsupported JSON Schema keyword", "does not point"].contains {
                    line.contains($0)
                }
            }, "\(refused)")
    }
}
