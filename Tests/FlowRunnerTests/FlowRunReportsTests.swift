import APITransport
import Foundation
import Testing
import TextFileIO

@testable import CoverageGate
@testable import FlowCommands
@testable import FlowCore
@testable import FlowRuntime

@Suite("run command: the six reports, --openapi and --min-api-coverage")
struct FlowRunReportsTests {
    typealias Collector = OutputCollector

    /// Two operations; the flows below call only `GET /ping`.
    static let spec = """
        openapi: 3.1.0
        info: {title: t, version: "1"}
        paths:
          /ping:
            get: {operationId: ping, responses: {'200': {description: ok}}}
          /pong:
            get: {operationId: pong, responses: {'200': {description: ok}}}
        """

    func flow(_ name: String, tags: [String], path: String = "/ping") -> String {
        """
        name: \(name)
        tags: [\(tags.joined(separator: ", "))]
        steps:
          - name: call
            request: {url: "\(path)"}
            expect: {status: 200}
        """
    }

    /// A folder with two flows (`GET /ping` tagged `a`, `GET /nowhere` tagged `b`, which fails) and `openapi.yaml`.
    func project() throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        try directory.write("Flows/a.yaml", flow("pings", tags: ["a"]))
        try directory.write("Flows/b.yaml", flow("goes nowhere", tags: ["b"], path: "/nowhere"))
        try directory.write("openapi.yaml", Self.spec)
        return directory
    }

    func run(
        _ directory: TemporaryDirectory, _ options: FlowRunCommand.Options, client: CannedHTTPClient, errors: Collector
    ) async
        -> FlowRunCommand.ExitStatus
    {
        await FlowRunCommand(
            paths: [directory.path + "/Flows"], target: "http://127.0.0.1:9", reportDirectory: directory.path + "/out", options: options,
            makeClient: { client }
        ).execute(standardOutput: { _ in }, standardError: errors.add)
    }

    func healthyClient() -> CannedHTTPClient {
        CannedHTTPClient { request throws(APITransportError) in
            CannedHTTPClient.json(["/ping", "/health/ready"].contains(request.url.path) ? 200 : 404, "{}")
        }
    }

    func files(_ directory: TemporaryDirectory) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path + "/out")) ?? []).sorted()
    }

    @Test("a run writes all six reports; coverage counts every operation although --tag selected one flow")
    func sixReports() async throws {
        let directory = try project()
        defer { directory.remove() }
        let errors = Collector()
        let options = FlowRunCommand.Options(filter: FlowFilter(tags: ["a"]), openAPIPath: directory.path + "/openapi.yaml")
        let status = await run(directory, options, client: healthyClient(), errors: errors)
        #expect(status == .passed, "\(errors.lines)")
        #expect(errors.lines.isEmpty)
        #expect(files(directory) == ["api-coverage.json", "api-coverage.md", "flows.json", "junit.xml", "report.html", "summary.md"])
        let coverage = try String(contentsOfFile: directory.path + "/out/api-coverage.md", encoding: .utf8)
        #expect(coverage.contains("1/2 operations (50%)"))
        let summary = try String(contentsOfFile: directory.path + "/out/summary.md", encoding: .utf8)
        #expect(summary.contains("1/2 operations (50%)"))
        let html = try String(contentsOfFile: directory.path + "/out/report.html", encoding: .utf8)
        #expect(html.contains("<p id=\"tally\">1 passed, 0 failed, 0 skipped</p>"))
    }

    @Test("coverage below --min-api-coverage exits 1 with a message line, though every flow passed; at the minimum it passes")
    func gate() async throws {
        let directory = try project()
        defer { directory.remove() }
        let errors = Collector()
        let strict = FlowRunCommand.Options(filter: FlowFilter(tags: ["a"]), openAPIPath: directory.path + "/openapi.yaml", minimumAPICoverage: 50.5)
        #expect(await run(directory, strict, client: healthyClient(), errors: errors) == .failed)
        #expect(errors.lines == ["API coverage 1/2 operations (50%) is below --min-api-coverage 50.5%"])
        let enough = FlowRunCommand.Options(filter: FlowFilter(tags: ["a"]), openAPIPath: directory.path + "/openapi.yaml", minimumAPICoverage: 50)
        let quiet = Collector()
        #expect(await run(directory, enough, client: healthyClient(), errors: quiet) == .passed)
        #expect(quiet.lines.isEmpty)
    }

    @Test("requests that match no operation are listed in api-coverage.json")
    func unmatched() async throws {
        let directory = try project()
        defer { directory.remove() }
        let errors = Collector()
        let status = await run(directory, .init(openAPIPath: directory.path + "/openapi.yaml"), client: healthyClient(), errors: errors)
        #expect(status == .failed)
        guard case .object(let json) = try JSONValue(parsing: Data(contentsOf: URL(fileURLWithPath: directory.path + "/out/api-coverage.json"))),
            case .array(let unmatched)? = json["unmatchedRequests"]
        else {
            Issue.record("no unmatchedRequests")
            return
        }
        #expect(unmatched.count == 1)
        guard case .object(let request) = unmatched.first else { return }
        #expect(request["path"] == "/nowhere")
        #expect(request["status"] == 404)
        #expect(request["flow"] == "goes nowhere")
    }

    @Test("a missing document skips coverage with a note (stale coverage files removed); with --min-api-coverage it is a usage error")
    func missingDocument() async throws {
        let directory = try project()
        defer { directory.remove() }
        try directory.write("out/api-coverage.json", "{}")
        let errors = Collector()
        let missing = directory.path + "/nope.yaml"
        let status = await run(directory, .init(filter: FlowFilter(tags: ["a"]), openAPIPath: missing), client: healthyClient(), errors: errors)
        #expect(status == .passed)
        #expect(errors.lines == ["note: API coverage skipped: \(missing) does not exist (give the OpenAPI document with --openapi PATH)"])
        #expect(files(directory) == ["flows.json", "junit.xml", "report.html", "summary.md"])

        let client = healthyClient()
        let usage = Collector()
        let gated = await run(directory, .init(openAPIPath: missing, minimumAPICoverage: 10), client: client, errors: usage)
        #expect(gated == .usage)
        #expect(usage.lines == ["--min-api-coverage needs an OpenAPI document, but \(missing) does not exist (give its path with --openapi PATH)"])
        #expect(await client.log.requests.isEmpty, "nothing runs")
    }

    @Test("a malformed document or a minimum outside 0–100 is a usage error before anything runs")
    func usageErrors() async throws {
        let directory = try project()
        defer { directory.remove() }
        try directory.write("broken.yaml", "openapi: 3.1.0\npaths: [\n")
        let client = healthyClient()
        let errors = Collector()
        #expect(await run(directory, .init(openAPIPath: directory.path + "/broken.yaml"), client: client, errors: errors) == .usage)
        #expect(errors.lines.count == 1)
        #expect(errors.lines.first?.hasPrefix("cannot read the OpenAPI document for API coverage: \(directory.path)/broken.yaml:3: YAML syntax error") == true)
        let range = Collector()
        let options = FlowRunCommand.Options(openAPIPath: directory.path + "/openapi.yaml", minimumAPICoverage: 101)
        #expect(await run(directory, options, client: client, errors: range) == .usage)
        #expect(range.lines == ["--min-api-coverage must be a percentage from 0 to 100, not 101"])
        #expect(await client.log.requests.isEmpty)
    }

    @Test("ReportDirectory writes the four run reports without coverage when none was requested")
    func reportDirectory() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let written = try ReportDirectory.write(ReportFixtures.richReport(), to: URL(fileURLWithPath: directory.path + "/r"))
        #expect(written.map(\.lastPathComponent) == ["junit.xml", "summary.md", "flows.json", "report.html"])
    }
}
