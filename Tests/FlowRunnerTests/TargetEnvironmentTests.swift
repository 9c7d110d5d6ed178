import APITransport
import Foundation
import Testing
import TextFileIO

@testable import CoverageGate
@testable import FlowCommands
@testable import FlowCore
@testable import FlowRuntime

@Suite("targets: environment variables and masked secrets")
struct TargetEnvironmentTests {
    typealias Collector = OutputCollector

    let targets = """
        targets:
          local: {embedded: true}
          staging:
            baseURL: "${BASE}"
            vars:
              password: "${PASSWORD}"
              greeting: "hello ${NAME}, costs $${NOT_A_VARIABLE}"
        """

    @Test("the resolved target's ${NAME} references are read from the environment and become secrets")
    func expansion() throws {
        let environment = ["BASE": "https://staging.example.test", "PASSWORD": "s3cret-staging-pass", "NAME": "qa"]
        let targets = try TargetsFileParser.parse(self.targets, file: "targets.yaml", environment: environment, expanding: "staging")
        let staging = try #require(targets["staging"])
        #expect(staging.kind == .remote(URL(string: "https://staging.example.test")!))
        let values = try staging.vars.map { try $0.value.evaluate(in: TemplateScope(layers: [])) }
        #expect(values == [.string("s3cret-staging-pass"), .string("hello qa, costs ${NOT_A_VARIABLE}")])
        #expect(Set(staging.secrets) == ["s3cret-staging-pass", "qa"], "values of vars are secrets; the base URL is not")
    }

    @Test("a value written {secret: value} is a secret too; a non-string secret is an error with its line")
    func markedSecrets() throws {
        let text = """
            targets:
              local:
                embedded: true
                vars: {webhookSecret: {secret: dev-only-hook}, plain: visible, nested: {a: 1}}
            """
        let local = try #require(try TargetsFileParser.parse(text, file: "t.yaml", expanding: "local")["local"])
        #expect(local.secrets == ["dev-only-hook"])
        let values = try local.vars.map { try $0.value.evaluate(in: TemplateScope(layers: [])) }
        #expect(values == [.string("dev-only-hook"), .string("visible"), .object(["a": 1])])
        #expect(throws: FlowLoadError.self) {
            try TargetsFileParser.parse("targets:\n  local: {embedded: true, vars: {s: {secret: [1]}}}\n", file: "t.yaml", expanding: "local")
        }
    }

    @Test("an unset variable of the chosen target is an error with its line; other targets do not need theirs")
    func missing() throws {
        do {
            _ = try TargetsFileParser.parse(targets, file: "targets.yaml", environment: ["BASE": "https://s.example.test"], expanding: "staging")
            Issue.record("unset variables must be reported")
        } catch {
            #expect(
                error.diagnostics.map(\.description) == [
                    "targets.yaml:6:17: environment variable PASSWORD is not set (needed by target 'staging')",
                    "targets.yaml:7:17: environment variable NAME is not set (needed by target 'staging')",
                ])
        }
        let local = try TargetsFileParser.parse(targets, file: "targets.yaml", environment: [:], expanding: "local")
        #expect(local["local"]?.kind == .embedded(fixtures: nil))
    }

    @Test("secrets are masked as *** in console lines, JUnit and the summary")
    func masking() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("Flows/targets.yaml", "targets:\n  staging:\n    baseURL: \"http://127.0.0.1:9\"\n    vars: {token: \"${API_TOKEN}\"}\n")
        try directory.write(
            "Flows/a.yaml",
            """
            name: leaks nothing
            steps:
              - name: call
                request: {url: "/echo/{{ token }}", auth: {bearer: "{{ token }}"}}
                expect:
                  status: 200
                  body: {equals: "{{ token }}"}
            """)
        let secret = "tok-very-secret-123"
        let client = CannedHTTPClient { request throws(APITransportError) in
            CannedHTTPClient.json(200, request.url.path == "/health/ready" ? "{}" : "{\"echo\": \"\(request.url.path)\"}")
        }
        let output = Collector()
        let errors = Collector()
        let status = await FlowRunCommand(
            paths: [directory.path + "/Flows"], target: "staging", reportDirectory: directory.path + "/out",
            environment: ["API_TOKEN": secret], makeClient: { client }
        ).execute(standardOutput: output.add, standardError: errors.add)
        #expect(status == .failed)
        let written = try ["junit.xml", "summary.md"].map { try String(contentsOfFile: directory.path + "/out/" + $0, encoding: .utf8) }
        for text in output.lines + errors.lines + written {
            #expect(!text.contains(secret))
        }
        #expect(written.allSatisfy { $0.contains("***") })
        #expect(await client.log.requests.last?.url.path == "/echo/\(secret)", "the real value is sent")

        let missing = Collector()
        let refused = await FlowRunCommand(
            paths: [directory.path + "/Flows"], target: "staging", reportDirectory: directory.path + "/out2", environment: [:], makeClient: { client }
        ).execute(standardOutput: { _ in }, standardError: missing.add)
        #expect(refused == .usage)
        #expect(missing.lines.first?.hasSuffix("environment variable API_TOKEN is not set (needed by target 'staging')") == true)
    }
}
