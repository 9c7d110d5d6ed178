import APITransport
import FlowCore
import Foundation
import Testing

@testable import FlowCommands
@testable import FlowRuntime

/// The CI-scale options of `run` and `merge-reports`, in process (the binary tests prove the CLI; these run the same
/// code where code coverage sees it): shards and their merge, quarantine, contract checking, changed operations.
@Suite("CI scale in process: shard, merge, quarantine, contract and changed operations through FlowRunCommand")
struct CIScaleInProcessTests {
    static let openAPI = """
        openapi: 3.1.0
        info: {title: t, version: '1'}
        paths:
          /ping:
            get:
              responses:
                '200': {description: OK, content: {application/json: {schema: {type: object, required: [ok]}}}}
          /pong:
            get:
              responses:
                '200': {description: OK, content: {application/json: {schema: {type: object}}}}

        """

    static func flow(_ name: String, _ path: String) -> String {
        "name: \(name)\nsteps:\n  - name: get\n    request: {url: \(path)}\n    expect: {status: 200}\n"
    }

    static let client = CannedHTTPClient { request throws(APITransportError) in
        CannedHTTPClient.json(200, request.url.path == "/ping" ? #"{"nope":1}"# : #"{"ok":true}"#)
    }

    static func command(_ folder: TemporaryDirectory, report: String, _ change: (inout FlowRunCommand.Options) -> Void) -> FlowRunCommand {
        var options = FlowRunCommand.Options(openAPIPath: folder.path + "/openapi.yaml")
        change(&options)
        return FlowRunCommand(
            paths: [folder.path + "/Flows"], target: "http://127.0.0.1:9", reportDirectory: folder.path + "/" + report, options: options,
            makeClient: { client })
    }

    @Test("shards run their part and merge back; the contract fails /ping's body; quarantine holds it; changed operations pick flows")
    func everything() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        try folder.write("openapi.yaml", Self.openAPI)
        for index in 0..<4 { try folder.write("Flows/pong\(index).yaml", Self.flow("pong \(index)", "/pong")) }
        try folder.write("Flows/ping.yaml", Self.flow("ping", "/ping"))

        // The contract: /ping's body lacks `ok`.
        let output = OutputCollector()
        let whole = await Self.command(folder, report: "whole") { _ in }.execute(standardOutput: output.add, standardError: { _ in })
        #expect(whole == .failed)
        #expect(
            output.lines.contains {
                $0.contains("contract: GET /ping 200: body /: required property 'ok' is missing") || $0.contains("contract: GET /ping 200: body /:")
            })
        let warned = await Self.command(folder, report: "warn") { $0.contractViolationsFail = false }.execute(standardOutput: { _ in }, standardError: { _ in })
        #expect(warned == .passed)

        // Quarantine holds the failing flow.
        try folder.write(
            "Flows/quarantine.yaml", "quarantine:\n  - {file: ping.yaml, name: ping, owner: '@qa', reason: 'TICKET-2', expires: 2999-01-01}\n")
        let held = OutputCollector()
        let quarantined = await Self.command(folder, report: "held") { $0.runID = "r1" }.execute(standardOutput: held.add, standardError: { _ in })
        #expect(quarantined == .passed)
        #expect(held.lines.contains { $0.hasPrefix("quarantined: 1 flow ran, 1 failed without failing the run") })

        // Shards, merged.
        var folders: [String] = []
        for index in 1...2 {
            let status = await Self.command(folder, report: "s\(index)") {
                $0.shard = try? FlowShard(index: index, count: 2)
                $0.durationsPath = folder.path + "/held/flows.json"
                $0.runID = "r1"
            }.execute(standardOutput: { _ in }, standardError: { _ in })
            #expect(status == .passed)
            folders.append(folder.path + "/s\(index)")
        }
        let merged = OutputCollector()
        let merge = MergeReportsCommand(folders: folders, reportDirectory: folder.path + "/merged", openAPIPath: folder.path + "/openapi.yaml")
        #expect(merge.execute(standardOutput: merged.add, standardError: { _ in }) == .passed)
        #expect(merged.lines.first == "merged 2 shards of http://127.0.0.1:9: 4 passed, 0 failed, 1 skipped")
        let refusals = OutputCollector()
        #expect(
            MergeReportsCommand(folders: [folders[0]], reportDirectory: folder.path + "/x").execute(standardOutput: { _ in }, standardError: refusals.add)
                == .usage)
        #expect(refusals.lines.first?.contains("shard 2/2 missing") == true)
        #expect(MergeReportsCommand(folders: [], reportDirectory: folder.path + "/x").execute(standardOutput: { _ in }, standardError: { _ in }) == .usage)

        // Changed operations: only /ping changed, so only the flow that exercised it runs.
        try folder.write("base.yaml", Self.openAPI.replacingOccurrences(of: "required: [ok]", with: "required: []"))
        let chosen = OutputCollector()
        _ = await Self.command(folder, report: "changed") {
            $0.changedOperationsBase = folder.path + "/base.yaml"
            $0.historyPath = folder.path + "/held/.."
        }.execute(standardOutput: chosen.add, standardError: { _ in })
        let bad = OutputCollector()
        let both = await Self.command(folder, report: "bad") {
            $0.changedOperationsBase = folder.path + "/base.yaml"
            $0.sinceRef = "HEAD"
        }.execute(standardOutput: { _ in }, standardError: bad.add)
        #expect(both == .usage && bad.lines.contains { $0.contains("give one") })
        let noHistory = OutputCollector()
        _ = await Self.command(folder, report: "blind") { $0.changedOperationsBase = folder.path + "/base.yaml" }
            .execute(standardOutput: noHistory.add, standardError: { _ in })
        #expect(noHistory.lines.first?.contains("running every flow") == true)
        let history = OutputCollector()
        _ = await Self.command(folder, report: "chosen") {
            $0.changedOperationsBase = folder.path + "/base.yaml"
            $0.durationsPath = folder.path + "/held/flows.json"
        }.execute(standardOutput: history.add, standardError: { _ in })
        #expect(history.lines.first == "changed operations: 1 operation changed (GET /ping); 1 of 5 flows selected", "\(history.lines)")
        #expect(chosen.lines.first?.hasPrefix("changed operations: 1 operation changed (GET /ping); 1 of 5 flows selected") == true, "\(chosen.lines)")
    }
}
