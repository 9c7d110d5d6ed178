import APITransport
import Foundation
import Testing
import TextFileIO

@testable import CoverageGate
@testable import FlowCommands
@testable import FlowCore
@testable import FlowRuntime

@Suite("run command: filters, jobs, fail-fast, variables, target readiness")
struct FlowRunOptionsTests {
    typealias Collector = OutputCollector

    /// A flow named `name` with `tags`, one GET of `path`.
    func flow(_ name: String, tags: [String] = [], path: String = "/ping") -> String {
        """
        name: \(name)
        tags: [\(tags.joined(separator: ", "))]
        steps:
          - name: call
            request: {url: "\(path)"}
            expect: {status: 200}
        """
    }

    /// Answers 200 to `/health/ready` and `/ping`, 500 to anything else.
    func healthyClient() -> CannedHTTPClient {
        CannedHTTPClient { request throws(APITransportError) in
            CannedHTTPClient.json(["/ping", "/health/ready"].contains(request.url.path) ? 200 : 500, "{}")
        }
    }

    func run(
        _ directory: TemporaryDirectory, _ options: FlowRunCommand.Options, client: CannedHTTPClient, output: Collector, errors: Collector
    ) async
        -> FlowRunCommand.ExitStatus
    {
        await FlowRunCommand(
            paths: [directory.path + "/Flows"], target: "http://127.0.0.1:9", reportDirectory: directory.path + "/out", options: options,
            makeClient: { client }
        ).execute(standardOutput: output.add, standardError: errors.add)
    }

    @Test("--tag selects any of its tags, --skip-tag removes, --name matches part of the name; no match is a usage error")
    func filters() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("Flows/a.yaml", flow("Patient books", tags: ["patient", "smoke"]))
        try directory.write("Flows/b.yaml", flow("Doctor runs the day", tags: ["doctor"]))
        try directory.write("Flows/c.yaml", flow("Admin onboards", tags: ["admin", "slow"]))
        let cases: [(FlowFilter, [String])] = [
            (FlowFilter(tags: ["patient", "doctor"]), ["Patient books", "Doctor runs the day"]),
            (FlowFilter(skipTags: ["slow"]), ["Patient books", "Doctor runs the day"]),
            (FlowFilter(names: ["ADMIN"]), ["Admin onboards"]),
            (FlowFilter(tags: ["smoke"], names: ["doctor"]), []),
        ]
        for (filter, expected) in cases {
            let output = Collector()
            let errors = Collector()
            let status = await run(directory, .init(filter: filter), client: healthyClient(), output: output, errors: errors)
            let ran = output.lines.dropLast().compactMap { $0.split(separator: "  ").dropFirst().first.map(String.init) }
            if expected.isEmpty {
                #expect(status == .usage)
                #expect(errors.lines == ["no flow matches the filters (3 flows loaded)"])
            } else {
                #expect(status == .passed)
                #expect(Set(ran) == Set(expected), "filter \(filter)")
            }
        }
    }

    @Test("--fail-fast: after the first failure no flow starts; the rest are skipped in the tally and in JUnit")
    func failFast() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("Flows/1.yaml", flow("first fails", path: "/broken"))
        try directory.write("Flows/2.yaml", flow("second"))
        try directory.write("Flows/3.yaml", flow("third"))
        let client = healthyClient()
        let output = Collector()
        let status = await run(directory, .init(failFast: true), client: client, output: output, errors: Collector())
        #expect(status == .failed)
        #expect(output.lines.last == "0 passed, 1 failed, 2 skipped")
        #expect(await client.log.requests.map(\.url.path) == ["/health/ready", "/broken"])
        let junit = try String(contentsOfFile: directory.path + "/out/junit.xml", encoding: .utf8)
        #expect(junit.components(separatedBy: "<skipped").count - 1 == 2)
    }

    @Test("--jobs 3 runs flows at the same time; reports keep file order")
    func jobs() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        for index in 1...6 { try directory.write("Flows/\(index).yaml", flow("flow \(index)")) }
        let concurrency = ConcurrencyProbe()
        let client = ProbingClient(probe: concurrency)
        let output = Collector()
        let status = await FlowRunCommand(
            paths: [directory.path + "/Flows"], target: "http://127.0.0.1:9", reportDirectory: directory.path + "/out", options: .init(jobs: 3),
            makeClient: { client }
        ).execute(standardOutput: output.add, standardError: { _ in })
        #expect(status == .passed)
        #expect(await concurrency.peak > 1, "more than one flow was in flight at once")
        #expect(await concurrency.peak <= 3)
        let junit = try String(contentsOfFile: directory.path + "/out/junit.xml", encoding: .utf8)
        let positions = (1...6).map { junit.range(of: "name=\"flow \($0)\"")!.lowerBound }
        #expect(positions == positions.sorted())
        #expect(await run(directory, .init(jobs: 0), client: healthyClient(), output: Collector(), errors: Collector()) == .usage)
    }

    @Test("--var overrides a target variable and defines new ones")
    func variables() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("Flows/a.yaml", flow("uses a variable", path: "/items/{{ itemId }}"))
        let client = CannedHTTPClient { request throws(APITransportError) in CannedHTTPClient.json(200, "{}") }
        let status = await run(directory, .init(variables: ["itemId": "42"]), client: client, output: Collector(), errors: Collector())
        #expect(status == .passed)
        #expect(await client.log.requests.map(\.url.path) == ["/health/ready", "/items/42"])
    }

    @Test("a target that is unreachable or not ready exits 3 with a clear message and runs nothing")
    func readiness() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("Flows/a.yaml", flow("anything"))
        let draining = CannedHTTPClient { _ throws(APITransportError) in CannedHTTPClient.json(503, "{}") }
        let errors = Collector()
        #expect(await run(directory, .init(), client: draining, output: Collector(), errors: errors) == .targetUnavailable)
        #expect(errors.lines == ["target 'http://127.0.0.1:9' (http://127.0.0.1:9) is not ready: GET /health/ready answered 503; nothing was run"])
        #expect(await draining.log.requests.count == 1)

        let refused = CannedHTTPClient { request throws(APITransportError) in
            throw APITransportError(kind: .unreachable, message: "connection refused", url: request.url)
        }
        let refusedErrors = Collector()
        #expect(await run(directory, .init(), client: refused, output: Collector(), errors: refusedErrors) == .targetUnavailable)
        #expect(refusedErrors.lines.first?.contains("is unreachable: connection refused") == true)
        // Nothing ran, and the report folder says so (an earlier run's green junit.xml is never left for CI).
        let junit = try String(contentsOfFile: directory.path + "/out/junit.xml", encoding: .utf8)
        #expect(junit.contains("errors=\"1\"") && junit.contains("no flow ran: target"))
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/out/flows.json"))
    }
}

/// Counts how many requests are in flight at once; each `/ping` stays 50 ms (suspended, not blocking a thread).
actor ConcurrencyProbe {
    private var current = 0
    private(set) var peak = 0

    func enter() {
        current += 1
        peak = max(peak, current)
    }

    func leave() { current -= 1 }
}

/// Answers 200 to everything, holding each `/ping` for 50 ms while counting it in the probe.
struct ProbingClient: FlowHTTPClient {
    let probe: ConcurrencyProbe

    func perform(_ request: APIRequest, timeout: Duration) async throws(APITransportError) -> APIResponse {
        if request.url.path == "/ping" {
            await probe.enter()
            try? await Task.sleep(for: .milliseconds(50))
            await probe.leave()
        }
        return CannedHTTPClient.json(200, "{}")
    }
}
