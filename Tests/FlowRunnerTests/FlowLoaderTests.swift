import APITransport
import Foundation
import Testing
import TextFileIO

@testable import CoverageGate
@testable import FlowCommands
@testable import FlowCore
@testable import FlowRuntime

@Suite("Flow loading and targets")
struct FlowLoaderTests {
    let minimal = "name: NAME\nsteps:\n  - name: s\n    request: {url: /x}\n"

    @Test("folders are searched recursively and sorted; targets.yaml and _includes are skipped")
    func discovery() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("b/second.yml", minimal.replacingOccurrences(of: "NAME", with: "B"))
        try directory.write("a.yaml", minimal.replacingOccurrences(of: "NAME", with: "A"))
        try directory.write("targets.yaml", "targets: {}\n")
        try directory.write("_includes/shared.yaml", "not: a flow\n")
        try directory.write("notes.txt", "ignored")
        let flows = try FlowLoader.load(paths: [directory.path + "/"])
        #expect(flows.map(\.name) == ["A", "B"])
        #expect(flows.map(\.source.suiteName) == ["a.yaml", "b/second.yml"])
        #expect(flows[1].source.path == directory.path + "/b/second.yml")
    }

    @Test("errors from all files are collected")
    func collectsAllErrors() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("one.yaml", "name: x\nsteps: []\n")
        try directory.write("two.yaml", "name: y\nstep: []\n")
        try directory.write("ok.yaml", minimal)
        #expect {
            try FlowLoader.load(paths: [directory.path])
        } throws: { error in
            let messages = (error as? FlowLoadError)?.diagnostics.map(\.description) ?? []
            return messages.count == 3
                && messages[0] == "\(directory.path)/one.yaml:2:8: 'steps' must not be empty"
                && messages[1] == "\(directory.path)/two.yaml:1:1: flow is missing required key 'steps'"
                && messages[2].hasPrefix("\(directory.path)/two.yaml:2:1: unknown key 'step'")
        }
    }

    @Test("missing paths and non-YAML files are errors")
    func badPaths() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let text = try directory.write("readme.md", "#")
        #expect {
            try FlowLoader.discover(paths: [directory.path + "/missing", text])
        } throws: { error in
            (error as? FlowLoadError)?.diagnostics.map(\.description) == [
                "\(directory.path)/missing: no such file or directory", "\(text): not a flow file (expected .yaml or .yml)",
            ]
        }
    }

    @Test("targets file: embedded and remote targets with vars")
    func targets() throws {
        let targets = try TargetsFileParser.parse(
            """
            targets:
              local: {embedded: true, fixtures: Fixtures, vars: {adminEmail: admin@example.test, retries: 2}}
              ci: {baseURL: "http://127.0.0.1:8080", vars: {}}
            """, file: "targets.yaml")
        #expect(targets["local"]?.kind == .embedded(fixtures: "Fixtures"))
        #expect(targets["local"]?.vars.map(\.name) == ["adminEmail", "retries"])
        #expect(targets["ci"]?.kind == .remote(URL(string: "http://127.0.0.1:8080")!))
    }

    @Test("targets file errors carry lines")
    func targetErrors() {
        #expect {
            try TargetsFileParser.parse("targets:\n  a: {baseURL: nope}\n  b: {vars: {}}\n  c: {embedded: true, port: 1}\n", file: "t.yaml")
        } throws: { error in
            let messages = (error as? FlowLoadError)?.diagnostics.map(\.description) ?? []
            return messages.count == 3 && messages[0].hasPrefix("t.yaml:2:16:") && messages[1].hasPrefix("t.yaml:3:6:")
                && messages[2].hasPrefix("t.yaml:4:23: unknown key 'port'")
        }
    }

    @Test("an embedded target's server: variables reach the service's checks; its problems point at the name or the value; remote targets cannot set them")
    func serverEnvironment() throws {
        let provider = StubEmbeddedServiceProvider()
        let targets = try TargetsFileParser.parse(
            "targets:\n  local:\n    embedded: true\n    server: {KNOWN: 600, OTHER: \"127.0.0.1, ::1\"}\n", file: "t.yaml", embeddedService: provider)
        #expect(targets["local"]?.serverEnvironment == ["KNOWN": "600", "OTHER": "127.0.0.1, ::1"])
        #expect(provider.checked.contains(["KNOWN": "600", "OTHER": "127.0.0.1, ::1"]))
        #expect {
            try TargetsFileParser.parse(
                "targets:\n  a:\n    embedded: true\n    server: {UNKNOWN: 1, KNOWN: bad}\n  b:\n    baseURL: http://x.test\n    server: {KNOWN: 5}\n  c:\n    embedded: true\n    server: {KNOWN: 10, WHOLE: bad}\n",
                file: "t.yaml", embeddedService: provider)
        } throws: { error in
            let messages = (error as? FlowLoadError)?.diagnostics.map(\.description) ?? []
            return messages.count == 4
                && messages.contains("t.yaml:4:14: 'UNKNOWN' is not known")
                && messages.contains("t.yaml:4:33: 'server' of target 'a': 'KNOWN' cannot be 'bad'")
                && messages.contains { $0.hasPrefix("t.yaml:7:5: 'server' of target 'b' configures an embedded server") }
                && messages.contains { $0.hasPrefix("t.yaml:10:5: 'server' of target 'c': the whole block is wrong") }
        }
    }

    @Test("without an embedded service, server: blocks are kept unchecked, so the file's remote targets stay usable")
    func serverEnvironmentWithoutService() throws {
        let targets = try TargetsFileParser.parse(
            "targets:\n  local:\n    embedded: true\n    server: {ANY_NAME: 1}\n  ci: {baseURL: \"http://127.0.0.1:9\"}\n", file: "t.yaml")
        #expect(targets["local"]?.serverEnvironment == ["ANY_NAME": "1"])
        #expect(targets["ci"]?.kind == .remote(URL(string: "http://127.0.0.1:9")!))
    }

    @Test("target selection: names, URLs, local fallback and unknown names")
    func selection() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("Flows/targets.yaml", "targets:\n  ci: {baseURL: \"http://ci.example.test\"}\n")
        let flows = try directory.write("Flows/patient/a.yaml", minimal)
        #expect(try TargetSelection.resolve("ci", targetsFile: nil, searchStart: flows).kind == .remote(URL(string: "http://ci.example.test")!))
        let url = try TargetSelection.resolve("https://staging.example.test", targetsFile: nil, searchStart: flows)
        #expect(url.kind == .remote(URL(string: "https://staging.example.test")!) && url.vars.isEmpty)
        #expect(try TargetSelection.resolve("local", targetsFile: nil, searchStart: flows).kind == .embedded(fixtures: "Fixtures"))
        #expect(throws: TargetSelection.SelectionError.self) {
            try TargetSelection.resolve("staging", targetsFile: nil, searchStart: directory.path + "/Flows")
        }
    }
}
