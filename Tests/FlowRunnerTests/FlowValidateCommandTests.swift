import APITransport
import Foundation
import Testing
import TextFileIO

@testable import CoverageGate
@testable import FlowCommands
@testable import FlowCore
@testable import FlowRuntime

@Suite("validate and list commands")
struct FlowValidateCommandTests {
    typealias Collector = OutputCollector

    static let corpus =
        Bundle.module.url(forResource: "broken-flows", withExtension: nil, subdirectory: "Resources")
        ?? URL(fileURLWithPath: "/nonexistent-broken-flows")

    static var corpusFiles: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: corpus.path)) ?? []).filter { $0.hasSuffix(".yaml") }.sorted()
    }

    @Test("every file of the broken-flow corpus is caught, with its line and the expected message", arguments: corpusFiles)
    func corpusFile(_ name: String) throws {
        let path = Self.corpus.appendingPathComponent(name).path
        let expected = try #require(
            try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").first?.split(separator: "# expect: ", maxSplits: 1).last)
        let errors = Collector()
        let output = Collector()
        let status = FlowValidateCommand(paths: [path], target: "http://127.0.0.1:9").execute(standardOutput: output.add, standardError: errors.add)
        #expect(status == .usage)
        #expect(errors.lines.contains { $0.hasPrefix(path + ":") && $0.contains(expected) }, "\(errors.lines)")
        #expect(output.lines.last?.hasSuffix("problem") == true || output.lines.last?.hasSuffix("problems") == true)
    }

    @Test("the corpus is there (an empty corpus would make the test above pass without checking anything)")
    func corpusPresent() {
        #expect(Self.corpusFiles.count >= 10)
    }

    @Test("a runner without an embedded service refuses an embedded target in validate and run, and keeps the remote ones usable")
    func embeddedTargetWithoutService() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write(
            "Flows/targets.yaml",
            "targets:\n  local: {embedded: true, server: {RATE_LIMIT_API_PER_MINUTE: 600}}\n  ci: {baseURL: \"http://127.0.0.1:9\"}\n")
        try directory.write("Flows/a.yaml", "name: a\nsteps:\n  - {name: s, request: {url: /health/ready}}\n")
        let errors = Collector()
        #expect(FlowValidateCommand(paths: [directory.path + "/Flows"], target: "local").execute(standardOutput: { _ in }, standardError: errors.add) == .usage)
        #expect(errors.lines.contains { $0.contains("target 'local' is embedded, but this runner has no embedded service") }, "\(errors.lines)")
        let output = Collector()
        #expect(FlowValidateCommand(paths: [directory.path + "/Flows"], target: "ci").execute(standardOutput: output.add, standardError: { _ in }) == .passed)
        let runErrors = Collector()
        let status = await FlowRunCommand(paths: [directory.path + "/Flows"], target: "local", reportDirectory: directory.path + "/r")
            .execute(standardOutput: { _ in }, standardError: runErrors.add)
        #expect(status == .usage)
        #expect(runErrors.lines.contains { $0.contains("no embedded service") }, "\(runErrors.lines)")
    }

    @Test("all problems of all files are reported in one run, including duplicate flow names across files")
    func allAtOnce() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("Flows/a.yaml", "name: same\nsteps:\n  - name: s\n    request: {url: \"/{{ nope }}\"}\n    expect: {status: 200}\n")
        try directory.write("Flows/b.yaml", "name: same\nsteps:\n  - name: s\n    request: {url: /x}\n    expekt: {status: 200}\n")
        try directory.write("Flows/c.yaml", "name: different\nsteps:\n  - name: s\n    request: {url: /x}\n    expect: {status: 200}\n")
        let errors = Collector()
        let output = Collector()
        let status = FlowValidateCommand(paths: [directory.path + "/Flows"], target: "http://127.0.0.1:9")
            .execute(standardOutput: output.add, standardError: errors.add)
        #expect(status == .usage)
        // A file with a parse problem is still linted as far as it parsed: its flow name clashes with a.yaml's.
        #expect(errors.lines.count == 3, "\(errors.lines)")
        #expect(errors.lines.contains { $0.contains("b.yaml:5:5") && $0.contains("expekt") })
        #expect(errors.lines.contains { $0.contains("a.yaml:3:5") && $0.contains("undefined variable 'nope'") })
        #expect(errors.lines.contains { $0.contains("b.yaml:1:1") && $0.contains("flow name 'same' is also used by") })
        #expect(output.lines == ["3 problems"])

        try directory.write("Flows/b.yaml", "name: same\nsteps:\n  - name: s\n    request: {url: /x}\n    expect: {status: 200}\n")
        try directory.write("Flows/a.yaml", "name: same\nsteps:\n  - name: s\n    request: {url: \"/{{ nope }}\"}\n    expect: {status: 200}\n")
        let second = Collector()
        _ = FlowValidateCommand(paths: [directory.path + "/Flows"], target: "http://127.0.0.1:9", extraVariables: ["nope"])
            .execute(standardOutput: { _ in }, standardError: second.add)
        #expect(
            second.lines == ["\(directory.path)/Flows/b.yaml:1:1: flow name 'same' is also used by \(directory.path)/Flows/a.yaml; reports need unique names"])
    }

    @Test("list prints the selected flows with tags and step counts")
    func list() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("Flows/a.yaml", "name: first\ntags: [smoke, patient]\nsteps:\n  - name: s\n    request: {url: /x}\n")
        try directory.write("Flows/b.yaml", "name: second\nsteps:\n  - name: s\n    request: {url: /x}\n  - name: t\n    request: {url: /y}\n")
        let output = Collector()
        #expect(FlowListCommand(paths: [directory.path + "/Flows"]).execute(standardOutput: output.add, standardError: { _ in }) == .passed)
        #expect(output.lines == ["a.yaml  first  [smoke, patient]  1 step", "b.yaml  second  []  2 steps", "2 flows, 3 steps"])
        let smoke = Collector()
        _ = FlowListCommand(paths: [directory.path + "/Flows"], filter: FlowFilter(tags: ["smoke"])).execute(standardOutput: smoke.add, standardError: { _ in })
        #expect(smoke.lines.count == 2)
        #expect(
            FlowListCommand(paths: [directory.path + "/Flows"], filter: FlowFilter(names: ["zzz"])).execute(standardOutput: { _ in }, standardError: { _ in })
                == .usage)
    }

    @Test("did-you-mean picks the closest known name within two edits")
    func suggestions() {
        #expect(FlowLinter.suggestion(for: "pasword", among: ["password", "email"]) == "; did you mean 'password'?")
        #expect(FlowLinter.suggestion(for: "token", among: ["password"]) == "")
        #expect(EditDistance.between("kitten", "sitting") == 3)
    }
}
