import APITransport
import Foundation
import Testing
import TextFileIO

@testable import CoverageGate
@testable import FlowCommands
@testable import FlowCore
@testable import FlowRuntime

@Suite("API coverage: OpenAPI operations, request matching, totals")
struct APICoverageTests {
    static let spec = """
        openapi: 3.1.0
        info: {title: t, version: "1"}
        paths:
          /api/clinics:
            get:
              operationId: listClinics
              responses: {'200': {description: ok}, '4XX': {description: client error}}
          /api/doctors/{id}:
            get:
              operationId: getDoctor
              responses: {'200': {description: ok}, '404': {description: missing}}
          /api/doctors/me/availability:
            get:
              operationId: myAvailability
              responses: {default: {description: anything}}
          /api/doctors/{id}/availability:
            get:
              operationId: doctorAvailability
              responses: {'200': {description: ok}}
          /api/waitlists/{id}/status:
            patch:
              operationId: changeStatus
              responses: {'200': {description: ok}}
          /api/waitlists/bulk/status:
            parameters: []
            patch:
              operationId: bulkStatus
              responses: {200: {description: ok}}
          /api/files/{name}.json:
            get:
              responses: {'200': {description: ok}}
          /api/auth/login:
            post:
              operationId: login
              responses: {'200': {description: ok}}
            summary: not an operation
        """

    static func operations() throws -> [APIOperation] { try OpenAPIOperationsReader.parse(spec, file: "spec.yaml") }

    @Test("reads method, path template, operationId and response keys of every operation, in document order")
    func readsOperations() throws {
        let operations = try Self.operations()
        #expect(
            operations.map(\.label) == [
                "GET /api/clinics", "GET /api/doctors/{id}", "GET /api/doctors/me/availability", "GET /api/doctors/{id}/availability",
                "PATCH /api/waitlists/{id}/status", "PATCH /api/waitlists/bulk/status", "GET /api/files/{name}.json", "POST /api/auth/login",
            ])
        #expect(operations[0].operationId == "listClinics")
        #expect(operations[0].declaredStatusCodes == ["200", "4XX"])
        #expect(operations[5].declaredStatusCodes == ["200"], "an unquoted status key is read as text")
        #expect(operations[6].operationId == nil)
    }

    @Test("the repository's openapi.yaml has 42 operations")
    func repositoryDocument() throws {
        let operations = try OpenAPIOperationsReader.read(fileAt: ExternalTools.packageRoot.appendingPathComponent("openapi.yaml").path)
        #expect(operations.count == 42)
        #expect(operations.first == APIOperation(method: "GET", pathTemplate: "/health", operationId: "getHealth", declaredStatusCodes: ["200", "503", "401"]))
        #expect(Set(operations.map(\.label)).count == 42)
    }

    @Test(
        "malformed documents give FILE:LINE: message errors",
        arguments: [
            ("openapi: 3.1.0\npaths: [\n", "spec.yaml:3: YAML syntax error"),
            ("", "spec.yaml: the document is empty"),
            ("- a\n", "spec.yaml:1: an OpenAPI document must be a mapping"),
            ("paths: {}\n", "spec.yaml:1: not an OpenAPI document (no 'openapi' version)"),
            ("openapi: 3.1.0\n", "spec.yaml:1: the document has no 'paths'"),
            ("openapi: 3.1.0\npaths: [a]\n", "spec.yaml:2: 'paths' must be a mapping"),
            ("openapi: 3.1.0\npaths:\n  api/x: {}\n", "spec.yaml:3: a path under 'paths' must start with '/'"),
            ("openapi: 3.1.0\npaths:\n  /x: 3\n", "spec.yaml:3: path '/x' must be a mapping"),
            ("openapi: 3.1.0\npaths:\n  /x: {$ref: '#/a'}\n", "spec.yaml:3: path '/x' is a $ref"),
            ("openapi: 3.1.0\npaths:\n  /x:\n    get: yes\n", "spec.yaml:4: operation GET /x must be a mapping"),
            ("openapi: 3.1.0\npaths:\n  /x:\n    get: {responses: [200]}\n", "spec.yaml:4: 'responses' of GET /x must be a mapping"),
            ("openapi: 3.1.0\npaths:\n  /x: {}\n  /x: {}\n", "spec.yaml:3: duplicate key(s) '/x'"),
        ])
    func malformed(text: String, message: String) {
        let error = #expect(throws: OpenAPIDocumentError.self) { try OpenAPIOperationsReader.parse(text, file: "spec.yaml") }
        #expect(error?.description.hasPrefix(message) == true, "\(String(describing: error))")
    }

    @Test("a missing file is a read error naming it")
    func missingFile() {
        let error = #expect(throws: OpenAPIDocumentError.self) { try OpenAPIOperationsReader.read(fileAt: "/nonexistent/openapi.yaml") }
        #expect(error?.description.hasPrefix("/nonexistent/openapi.yaml: cannot read the file") == true)
    }

    @Test(
        "requests match the most specific template of their method",
        arguments: [
            ("GET", "/api/doctors/me/availability", "myAvailability"),
            ("GET", "/api/doctors/42/availability", "doctorAvailability"),
            ("GET", "/api/doctors/me", "getDoctor"),
            ("get", "/api/doctors/42", "getDoctor"),
            ("PATCH", "/api/waitlists/bulk/status", "bulkStatus"),
            ("PATCH", "/api/waitlists/7/status", "changeStatus"),
            ("GET", "/api/files/report.json", nil),
            ("POST", "/api/auth/login/", "login"),
            ("GET", "/api/clinics/", "listClinics"),
        ] as [(String, String, String?)])
    func matching(method: String, path: String, operationId: String?) throws {
        let operations = try Self.operations()
        let matcher = APIOperationMatcher(operations)
        let segments = path.split(separator: "/").map(String.init)
        let found = matcher.operation(method: method, segments: segments)
        if let operationId {
            #expect(found?.operationId == operationId)
        } else {
            #expect(found?.pathTemplate == "/api/files/{name}.json")
        }
    }

    @Test("no match: another method, more or fewer segments, an empty parameter")
    func noMatch() throws {
        let matcher = APIOperationMatcher(try Self.operations())
        #expect(matcher.operation(method: "DELETE", segments: ["api", "clinics"]) == nil)
        #expect(matcher.operation(method: "GET", segments: ["api", "doctors"]) == nil)
        #expect(matcher.operation(method: "GET", segments: ["api", "doctors", "1", "2", "3"]) == nil)
        #expect(matcher.operation(method: "GET", segments: ["api", "files", ".json"]) == nil)
    }

    @Test("path templates: parameters inside segments, specificity")
    func pathTemplates() {
        #expect(PathTemplate("/a/{x}-{y}.csv").matches(["a", "1-2.csv"]))
        #expect(!PathTemplate("/a/{x}-{y}.csv").matches(["a", "-2.csv"]))
        #expect(PathTemplate("/v{major}/x").matches(["v2", "x"]))
        #expect(!PathTemplate("/v{major}/x").matches(["v", "x"]))
        #expect(PathTemplate("/a/{x}{y}").matches(["a", "xy"]))
        #expect(PathTemplate("/a/{unclosed").matches(["a", "{unclosed"]))
        #expect(PathTemplate("/a/b").isMoreSpecific(than: PathTemplate("/a/{id}")))
        #expect(PathTemplate("/a/b/{id}").isMoreSpecific(than: PathTemplate("/a/{id}/c")))
        #expect(!PathTemplate("/a/{id}").isMoreSpecific(than: PathTemplate("/a/{name}")))
    }

    @Test("request URLs are reduced to their decoded path below the base URL")
    func requestPaths() {
        #expect(RequestPath.segments(of: "http://h:8080/api/doctors/7?x=1#f", under: "http://h:8080") == ["api", "doctors", "7"])
        #expect(RequestPath.segments(of: "http://h:8080/v1/api/a%20b", under: "http://h:8080/v1/") == ["api", "a b"])
        #expect(RequestPath.segments(of: "http://h/api", under: "http://h:80") == ["api"])
        #expect(RequestPath.segments(of: "https://h/api", under: "http://h") == nil)
        #expect(RequestPath.segments(of: "http://other:8080/api", under: "http://h:8080") == nil)
        #expect(RequestPath.segments(of: "http://h:8080/v2/api", under: "http://h:8080/v1") == nil)
        #expect(RequestPath.segments(anyHostOf: "http://x/api//y/") == ["api", "y"])
        #expect(RequestPath.text(["api", "y"]) == "/api/y")
    }

    @Test("declared response keys: exact codes, ranges, default")
    func statusKeys() {
        #expect(DeclaredStatusCodes.key(for: 404, in: ["200", "4XX", "default"]) == "4XX")
        #expect(DeclaredStatusCodes.key(for: 404, in: ["404", "4xx"]) == "404")
        #expect(DeclaredStatusCodes.key(for: 500, in: ["200", "default"]) == "default")
        #expect(DeclaredStatusCodes.key(for: 500, in: ["200"]) == nil)
    }

    @Test("coverage of a run: exercised operations with their status codes, unexercised codes, undeclared codes, unmatched requests")
    func coverage() throws {
        let coverage = APICoverageCalculator.coverage(of: ReportFixtures.richReport(), operations: try Self.operations(), document: "spec.yaml")
        let byID = Dictionary(uniqueKeysWithValues: coverage.operations.map { ($0.operation.label, $0) })
        let clinics = try #require(byID["GET /api/clinics"])
        #expect(clinics.requests == 2, "the flaky flow's earlier failed attempt counts; the errored one got no response")
        #expect(clinics.exercisedStatusCodes == [200, 500])
        #expect(clinics.unexercisedStatusCodes == ["4XX"])
        #expect(clinics.undeclaredStatusCodes == [500])
        #expect(byID["GET /api/doctors/{id}"]?.exercisedStatusCodes == [200])
        #expect(byID["GET /api/doctors/{id}"]?.unexercisedStatusCodes == ["404"])
        #expect(byID["GET /api/doctors/me/availability"]?.exercisedStatusCodes == [200])
        #expect(byID["GET /api/doctors/me/availability"]?.unexercisedStatusCodes == [])
        #expect(byID["GET /api/doctors/{id}/availability"]?.exercised == false)
        #expect(byID["PATCH /api/waitlists/bulk/status"]?.exercised == true)
        #expect(byID["PATCH /api/waitlists/{id}/status"]?.exercised == false)
        #expect(byID["POST /api/auth/login"]?.requests == 1)
        #expect(coverage.exercisedCount == 5)
        #expect(coverage.operationCount == 8)
        #expect(coverage.percent == 62.5)
        #expect(coverage.totalsText == "5/8 operations (62.5%)")
        let unmatched = coverage.unmatchedRequests.map { "\($0.method) \($0.path ?? $0.url) \($0.status) \($0.flow) / \($0.step)" }
        #expect(unmatched.contains("GET /api/nope/7 404 \(ReportFixtures.scriptName) / typo"))
        #expect(unmatched.contains("GET https://example.org/x 200 Book [mode=clinic] / elsewhere"))
        #expect(unmatched.contains { $0.hasPrefix("POST /api/appointments 201") })
        #expect(unmatched.count == 5)
    }

    @Test("percentages: one decimal rounded down, 100 for a document without operations")
    func percentages() {
        #expect(APICoverageReport.percentText(42.5) == "42.5")
        #expect(APICoverageReport.percentText(100) == "100")
        #expect(APICoverageReport.percentText(200.0 / 3) == "66.6")
        #expect(APICoverageReport.percentText(.nan) == "0")
        #expect(APICoverageReport(document: "d", operations: [], unmatchedRequests: []).percent == 100)
    }

    @Test("api-coverage.json and api-coverage.md list every operation, the totals and the unmatched requests")
    func writers() throws {
        let coverage = APICoverageCalculator.coverage(of: ReportFixtures.richReport(), operations: try Self.operations(), document: "spec.yaml")
        guard case .object(let json) = try JSONValue(parsing: APICoverageJSONWriter.render(coverage)) else {
            Issue.record("not an object")
            return
        }
        #expect(json["document"] == "spec.yaml")
        guard case .object(let totals)? = json["totals"], case .array(let operations)? = json["operations"],
            case .array(let unmatched)? = json["unmatchedRequests"]
        else {
            Issue.record("missing fields")
            return
        }
        #expect(totals["operations"] == 8 && totals["exercised"] == 5 && totals["percent"] == 62.5)
        #expect(totals["unmatchedRequests"] == .number(unmatched.count))
        #expect(operations.count == 8)
        #expect(
            operations[0] == [
                "method": "GET", "path": "/api/clinics", "operationId": "listClinics", "exercised": true, "requests": 2,
                "declaredStatusCodes": ["200", "4XX"], "exercisedStatusCodes": [200, 500], "unexercisedStatusCodes": ["4XX"], "undeclaredStatusCodes": [500],
                "contractViolations": 0,
            ])
        #expect(operations[6].compactJSON.contains("\"operationId\":null"))
        let markdown = APICoverageMarkdownWriter.render(coverage)
        #expect(markdown.contains("5/8 operations (62.5%) of `spec.yaml` exercised"))
        #expect(markdown.contains("| ✅ | `GET /api/clinics` | listClinics | 2 | 200, 500 | 4XX | 500 |"))
        #expect(markdown.contains("| ❌ | `GET /api/doctors/{id}/availability` | doctorAvailability | 0 |  | 200 |  |"))
        #expect(markdown.contains("## Requests that matched no operation"))
        #expect(markdown.contains("| GET | `/api/nope/7` | 404 |"))
    }
}
