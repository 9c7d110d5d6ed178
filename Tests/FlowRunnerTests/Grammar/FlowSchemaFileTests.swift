import APITransport
import Foundation
import Testing
import TextFileIO
import Yams

@testable import CoverageGate
@testable import FlowCommands
@testable import FlowCore
@testable import FlowRuntime

/// `Flows/flow.schema.json` (for editors) must accept every shipped flow and step file and reject the malformed
/// shapes of the broken-flow corpus — checked here with the runner's own JSON Schema validator, and in CI with
/// Python's jsonschema (`scripts/check-flow-schema.py`).
@Suite("Flows/flow.schema.json")
struct FlowSchemaFileTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static func yamlFiles(under folder: URL) -> [URL] {
        let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)
        return (enumerator?.allObjects as? [URL] ?? []).filter {
            $0.pathExtension == "yaml" && !["targets.yaml", "quarantine.yaml"].contains($0.lastPathComponent)
        }
        .sorted { $0.path < $1.path }
    }

    /// A YAML document as JSON (Yams' plain-scalar resolution: ints, floats, booleans, null).
    static func json(_ text: String) throws -> JSONValue {
        func convert(_ value: Any?) -> JSONValue {
            switch value {
            case nil, is NSNull: return .null
            case let bool as Bool: return .bool(bool)
            case let int as Int: return .number(int)
            case let double as Double: return .number(JSONNumber(double))
            case let string as String: return .string(string)
            case let array as [Any?]: return .array(array.map(convert))
            case let dictionary as [AnyHashable: Any?]:
                var members: [String: JSONValue] = [:]
                for (key, member) in dictionary { members["\(key)"] = convert(member) }
                return .object(members)
            default: return .string("\(value!)")
            }
        }
        return convert(try Yams.load(yaml: text))
    }

    func validator() throws -> JSONSchemaValidator {
        JSONSchemaValidator(
            document: try JSONSchemaDocument(
                parsing: Data(contentsOf: Self.root.appendingPathComponent("Flows/flow.schema.json")), source: "Flows/flow.schema.json"))
    }

    @Test("every shipped flow and step file satisfies the schema")
    func shippedFlows() throws {
        let validator = try validator()
        let files = Self.yamlFiles(under: Self.root.appendingPathComponent("Flows"))
        #expect(files.count >= 25)
        for file in files {
            let violations = validator.violations(of: try Self.json(String(contentsOf: file, encoding: .utf8)))
            #expect(violations.isEmpty, "\(file.lastPathComponent): \(violations.prefix(3))")
        }
    }

    @Test("corpus files marked '# schema: rejects' are rejected")
    func malformedShapes() throws {
        let validator = try validator()
        let marked = Self.yamlFiles(under: Self.root.appendingPathComponent("Tests/FlowRunnerTests/Resources/broken-flows"))
            .filter { (try? String(contentsOf: $0, encoding: .utf8).contains("# schema: rejects")) == true }
        #expect(marked.count >= 5)
        for file in marked {
            #expect(!validator.violations(of: try Self.json(String(contentsOf: file, encoding: .utf8))).isEmpty, "\(file.lastPathComponent)")
        }
    }
}
