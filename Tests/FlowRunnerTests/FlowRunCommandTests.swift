import APITransport
import Foundation
import Testing
import TextFileIO

@testable import CoverageGate
@testable import FlowCommands
@testable import FlowCore
@testable import FlowRuntime

@Suite("run command")
struct FlowRunCommandTests {
    typealias Collector = OutputCollector

    let flowText = """
        name: NAME
        steps:
          - name: ping
            request: {url: /ping}
            expect: {status: 200}
        """

    @Test("runs flows against a URL target, prints a line per flow and the tally, writes both reports")
    func runsAndReports() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("Flows/a.yaml", flowText.replacingOccurrences(of: "NAME", with: "good"))
        try directory.write("Flows/b/c.yaml", flowText.replacingOccurrences(of: "NAME", with: "bad").replacingOccurrences(of: "/ping", with: "/fail"))
        let client = CannedHTTPClient { request throws(APITransportError) in
            CannedHTTPClient.json(["/ping", "/health/ready"].contains(request.url.path) ? 200 : 500, "{}")
        }
        let output = Collector()
        let errors = Collector()
        let command = FlowRunCommand(
            paths: [directory.path + "/Flows"], target: "http://127.0.0.1:9", reportDirectory: directory.path + "/out",
            makeClient: { client })
        let status = await command.execute(standardOutput: output.add, standardError: errors.add)
        #expect(status == .failed)
        #expect(errors.lines.isEmpty)
        #expect(output.lines[0].hasPrefix("PASS  good  (a.yaml, "))
        #expect(output.lines[1].hasPrefix("FAIL  bad  (b/c.yaml, "))
        // The failure's full text follows its line, indented: the step, the expectation, the request, a curl line.
        let details = output.lines.dropFirst(2).dropLast(2)
        #expect(details.allSatisfy { $0.hasPrefix("      ") })
        // The line before the tally names the reports written.
        #expect(output.lines.dropLast().last?.hasPrefix("reports: junit.xml, summary.md, flows.json, report.html") == true)
        #expect(details.contains { $0.contains("status expected 200, actual 500") })
        #expect(details.contains { $0.contains("reproduce: curl -sS -i 'http://127.0.0.1:9/nope'") } || details.contains { $0.contains("reproduce: curl") })
        #expect(output.lines.last == "1 passed, 1 failed, 0 skipped")
        let junit = try String(contentsOfFile: directory.path + "/out/junit.xml", encoding: .utf8)
        #expect(junit.contains("<testsuite name=\"b/c.yaml\""))
        #expect(junit.contains("<property name=\"target\" value=\"http://127.0.0.1:9\"/>"))
        #expect(FileManager.default.fileExists(atPath: directory.path + "/out/summary.md"))
    }

    @Test("all passing exits 0")
    func allPass() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = try directory.write("a.yaml", flowText.replacingOccurrences(of: "NAME", with: "good"))
        let client = CannedHTTPClient { _ throws(APITransportError) in CannedHTTPClient.json(200, "{}") }
        let output = Collector()
        let status = await FlowRunCommand(paths: [file], target: "http://127.0.0.1:9", reportDirectory: directory.path + "/r", makeClient: { client })
            .execute(standardOutput: output.add, standardError: { _ in })
        #expect(status == .passed)
        #expect(output.lines.last == "1 passed, 0 failed, 0 skipped")
    }

    @Test("flow-file errors exit 2, print FILE:LINE diagnostics and run nothing")
    func flowErrors() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("a.yaml", "name: a\nsteps: []\n")
        try directory.write("b.yaml", flowText.replacingOccurrences(of: "NAME", with: "ok"))
        let client = CannedHTTPClient { _ throws(APITransportError) in CannedHTTPClient.json(200, "{}") }
        let errors = Collector()
        let output = Collector()
        let status = await FlowRunCommand(paths: [directory.path], target: "http://127.0.0.1:9", reportDirectory: directory.path + "/r", makeClient: { client })
            .execute(standardOutput: output.add, standardError: errors.add)
        #expect(status == .usage)
        #expect(errors.lines == ["\(directory.path)/a.yaml:2:8: 'steps' must not be empty"])
        #expect(output.lines.isEmpty)
        #expect(await client.log.requests.isEmpty)
    }

    @Test("an unknown target name exits 2")
    func unknownTarget() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("Flows/a.yaml", flowText)
        try directory.write("Flows/targets.yaml", "targets:\n  ci: {baseURL: \"http://127.0.0.1:8080\"}\n")
        let errors = Collector()
        let status = await FlowRunCommand(paths: [directory.path + "/Flows"], target: "staging", reportDirectory: directory.path + "/r")
            .execute(standardOutput: { _ in }, standardError: errors.add)
        #expect(status == .usage)
        #expect(errors.lines == ["unknown target 'staging' (known: ci); give a target name or an http(s):// URL"])
    }
}
