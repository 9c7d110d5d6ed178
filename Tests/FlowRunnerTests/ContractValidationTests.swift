import FlowCore
import Foundation
import Testing

@testable import FlowRuntime

/// `--openapi-validate`: every response checked against the OpenAPI contract of its operation — through the binary
/// against a loopback server whose answers break a test document in known ways.
@Suite("Contract validation: undeclared statuses, schema breaks with their JSON Pointer, missing headers; fail, warn or off")
struct ContractValidationTests {
    /// A document for ``LoadTargetServer`` (every path answers 200 `{"ok":true}`, JSON, no X-Request-Id).
    static let document = """
        openapi: 3.1.0
        info: {title: contract test, version: '1'}
        paths:
          /fast:
            get:
              responses:
                '200':
                  description: OK
                  content:
                    application/json:
                      schema: {$ref: 'schemas.yaml#/Ok'}
          /wrong-type:
            get:
              responses:
                '200':
                  description: OK
                  content:
                    application/json:
                      schema:
                        type: object
                        properties:
                          ok: {type: [string, 'null']}
          /teapot:
            get:
              responses:
                '201': {description: Created}
          /needs-header:
            get:
              responses:
                '200':
                  description: OK
                  headers:
                    X-Request-Id: {$ref: '#/components/headers/RequestId'}
                  content:
                    application/json:
                      schema: {allOf: [{$ref: 'schemas.yaml#/Ok'}]}
        components:
          headers:
            RequestId:
              required: true
              schema: {type: string}

        """
    static let schemas = """
        Ok:
          type: object
          required: [ok]
          properties:
            ok: {type: boolean}
          example: {ok: true}

        """

    static func flow(_ path: String) -> String {
        "name: get \(path)\nsteps:\n  - name: get\n    request: {url: /\(path)}\n    expect: {status: 200}\n"
    }

    @Test(
        "the binary: violations fail their steps, are named with pointers and counted; warn reports them; off checks nothing",
        .enabled(if: RunnerBinary.isBuilt, RunnerBinary.notBuilt))
    func throughTheBinary() async throws {
        try await RunnerBinary.withLoopbackTarget { folder, base in
            try folder.write("openapi.yaml", Self.document)
            try folder.write("schemas.yaml", Self.schemas)
            for path in ["fast", "wrong-type", "teapot", "needs-header"] { try folder.write("Flows/\(path).yaml", Self.flow(path)) }

            let failing = try RunnerBinary.run(["run", "Flows", "--target", base, "--report-dir", "fail"], in: folder.url)
            #expect(failing.status == 1)
            let output = failing.standardOutput
            #expect(output.contains("PASS  get fast"), "an external $ref schema the body keeps: \(output)")
            #expect(output.contains("contract: GET /wrong-type 200: body /ok: expected string or null, found boolean"), "\(output)")
            #expect(output.contains("contract: GET /teapot 200: status 200 is not declared (declared: 201)"))
            #expect(output.contains("contract: GET /needs-header 200: required header 'x-request-id' is missing"))
            #expect(output.contains("1 passed, 3 failed, 0 skipped"))
            #expect(output.contains("contract: 3 responses broke openapi.yaml"))
            let flows = try String(contentsOf: folder.url.appendingPathComponent("fail/flows.json"), encoding: .utf8)
            #expect(flows.contains(#""pointer" : "\/ok""#) || flows.contains(#""pointer" : "/ok""#), "the JSON Pointer of the offending value")
            #expect(flows.contains(#""type" : "ContractViolation""#))
            let coverage = try JSONValue(parsing: Data(contentsOf: folder.url.appendingPathComponent("fail/api-coverage.json")))
            if case .object(let fields) = coverage, case .object(let totals)? = fields["totals"] {
                #expect(totals["contractViolations"] == 3)
            } else {
                Issue.record("api-coverage.json has no totals")
            }
            let summary = try String(contentsOf: folder.url.appendingPathComponent("fail/summary.md"), encoding: .utf8)
            #expect(summary.contains("## Contract violations"))

            let warned = try RunnerBinary.run(["run", "Flows", "--target", base, "--report-dir", "warn", "--contract-violations", "warn"], in: folder.url)
            #expect(warned.status == 0, "\(warned.standardOutput)")
            #expect(warned.standardOutput.contains("contract: 3 responses broke openapi.yaml (--contract-violations=warn: reported, not failing)"))
            let warnedFlows = try String(contentsOf: folder.url.appendingPathComponent("warn/flows.json"), encoding: .utf8)
            #expect(warnedFlows.contains("is not declared (declared: 201)"))

            let off = try RunnerBinary.run(["run", "Flows", "--target", base, "--report-dir", "off", "--no-openapi-validate"], in: folder.url)
            #expect(off.status == 0 && !off.standardOutput.contains("contract:"))

            let mistakes: [([String], String)] = [
                (["--openapi-validate", "--openapi", "missing.yaml"], "--openapi-validate: missing.yaml does not exist"),
                (["--contract-violations", "sometimes"], "--contract-violations must be fail or warn"),
            ]
            for (arguments, message) in mistakes {
                let outcome = try RunnerBinary.run(["run", "Flows", "--target", base, "--report-dir", "bad"] + arguments, in: folder.url)
                #expect(outcome.status == 2 && outcome.standardError.contains(message), "\(outcome.standardError)")
            }
            try folder.write("schemas.yaml", Self.schemas.replacingOccurrences(of: "type: object", with: "type: object\n  discriminatorX: 1"))
            let unsupported = try RunnerBinary.run(["run", "Flows", "--target", base, "--report-dir", "bad"], in: folder.url)
            #expect(
                unsupported.status == 2 && unsupported.standardError.contains("unsupported JSON Schema keyword 'discriminatorX'"),
                "\(unsupported.standardError)")
        }
    }

    @Test("OpenAPI 3.0's nullable lets null through; without it null is a type error; annotations are ignored")
    func nullable() throws {
        let resource: JSONValue = [
            "components": [
                "schemas": [
                    "Name": ["type": "string", "nullable": true, "example": "Asha"],
                    "Strict": ["type": "string", "xml": ["name": "n"]],
                ]
            ]
        ]
        let nullable = try JSONSchemaDocument(resource: resource, schemaAt: "#/components/schemas/Name", source: "doc")
        #expect(JSONSchemaValidator(document: nullable).violations(of: .null).isEmpty)
        #expect(!JSONSchemaValidator(document: nullable).violations(of: 3).isEmpty)
        let strict = try JSONSchemaDocument(resource: resource, schemaAt: "#/components/schemas/Strict", source: "doc")
        #expect(JSONSchemaValidator(document: strict).violations(of: .null).first?.message == "expected string, found null")
        #expect(throws: JSONSchemaDocument.LoadError.self) {
            try JSONSchemaDocument(resource: resource, schemaAt: "#/components/schemas/Missing", source: "doc")
        }
        #expect(throws: JSONSchemaDocument.LoadError.self, "plain JSON Schema does not know nullable") {
            try JSONSchemaDocument(resource: resource, schemaAt: "#/components/schemas/Name", source: "doc", dialect: .jsonSchema)
        }
    }
}
