import FlowCore
import Foundation
import Testing

@testable import CoverageGate
@testable import FlowRuntime

/// `merge-reports`: shards of one run joined into one set of the six reports; folders of different runs refused.
@Suite("merge-reports: every shard's flows in one set of valid reports; folders of different runs refused with nothing written")
struct MergeReportsTests {
    @Test("flows.json reads back into the same report: writing what was read gives the same bytes")
    func roundTrip() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        var report = ReportFixtures.richReport()
        report.shard = try FlowShard(index: 2, count: 3)
        report.runID = "ci-42"
        let file = folder.url.appendingPathComponent("flows.json")
        try FlowsJSONReportWriter.write(report, to: file)
        let read = try FlowsJSONReader.read(file)
        #expect(FlowsJSONReportWriter.render(read) == FlowsJSONReportWriter.render(report))
        #expect(read.shard == report.shard && read.runID == "ci-42")
        #expect(read.results.flatMap(\.steps).map(\.undocumented) == report.results.flatMap(\.steps).map(\.undocumented))
    }

    @Test("an unreadable, foreign or broken flows.json is named with what is wrong")
    func readErrors() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let cases: [(String, String)] = [
            ("{", "not a flows.json report"), (#"{"schemaVersion":2}"#, "not a flows.json report"),
        ]
        for (text, problem) in cases {
            let path = try folder.write("flows.json", text)
            #expect(throws: FlowsJSONReader.ReadError.self) { try FlowsJSONReader.read(URL(fileURLWithPath: path)) }
            do {
                _ = try FlowsJSONReader.read(URL(fileURLWithPath: path))
            } catch {
                #expect(error.description.contains(path) && error.description.contains(problem), "\(error.description)")
            }
        }
        var report = ReportFixtures.richReport()
        report.results[0].status = .passed
        let good = FlowsJSONReportWriter.render(report)
        let path = try folder.write("flows.json", good.replacingOccurrences(of: #""status" : "passed""#, with: #""status" : "exploded""#))
        do {
            _ = try FlowsJSONReader.read(URL(fileURLWithPath: path))
            Issue.record("an unknown status was accepted")
        } catch {
            #expect(error.description.contains("unknown status 'exploded'"), "\(error.description)")
        }
    }

    @Test(
        "the binary: three shards merge into valid reports that count every flow; a failure fails the merge; other runs are refused",
        .enabled(if: RunnerBinary.isBuilt, RunnerBinary.notBuilt))
    func throughTheBinary() async throws {
        try await RunnerBinary.withLoopbackTarget { folder, base in
            for index in 0..<7 { try folder.write("Flows/f\(index).yaml", ShardingTests.flowFile("flow \(index)", steps: 1 + index % 3)) }
            try folder.write("Flows/matrix.yaml", ShardingTests.flowFile("matrix", steps: 1, matrix: true))
            try folder.write(
                "Flows/fails.yaml", "name: fails\nsteps:\n  - name: wrong status\n    request: {url: /fast}\n    expect: {status: 418}\n")
            for index in 1...3 {
                let shard = try RunnerBinary.run(
                    ["run", "Flows", "--target", base, "--report-dir", "s\(index)", "--shard", "\(index)/3", "--run-id", "run-7"], in: folder.url)
                #expect([0, 1].contains(shard.status), "\(shard.standardError)")
            }
            _ = try RunnerBinary.run(["run", "Flows", "--target", base, "--report-dir", "other", "--shard", "1/3", "--run-id", "run-8"], in: folder.url)
            _ = try RunnerBinary.run(["run", "Flows", "--target", base, "--report-dir", "two", "--shard", "1/2", "--run-id", "run-7"], in: folder.url)
            _ = try RunnerBinary.run(["run", "Flows", "--target", base, "--report-dir", "whole", "--run-id", "run-7"], in: folder.url)

            let openAPI = ExternalTools.packageRoot.appendingPathComponent("openapi.yaml").path
            let merged = try RunnerBinary.run(["merge-reports", "s1", "s2", "s3", "--report-dir", "merged", "--openapi", openAPI], in: folder.url)
            #expect(merged.status == 1, "one flow failed: the merge fails like the run would\n\(merged.standardError)")
            #expect(merged.standardOutput.contains("merged 3 shards of \(base): 10 passed, 1 failed, 0 skipped"), "\(merged.standardOutput)")
            let names = ["junit.xml", "summary.md", "flows.json", "report.html", "api-coverage.json", "api-coverage.md"]
            for name in names {
                #expect(FileManager.default.fileExists(atPath: folder.path + "/merged/" + name), "\(name)")
            }
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.url.appendingPathComponent("merged/flows.json"))) as? [String: Any]
            let counts = json?["counts"] as? [String: Int]
            #expect(counts?["total"] == 11 && counts?["failed"] == 1, "7 flows, 3 matrix rows and the failing one")
            #expect(json?["runId"] as? String == "run-7")
            #expect(json?["shard"] is NSNull)
            let junit = try String(contentsOf: folder.url.appendingPathComponent("merged/junit.xml"), encoding: .utf8)
            let cases = junit.components(separatedBy: "<testcase ").dropFirst().compactMap { $0.split(separator: "\"").dropFirst().first.map(String.init) }
            #expect(cases.count == 11 && Set(cases).count == 11, "unique case names: \(cases)")
            if ExternalTools.hasJSONSchema {
                let outcome = try ExternalTools.python(
                    FlowsJSONReportWriterTests.validator, [FlowsJSONReportWriterTests.schema.path, folder.path + "/merged/flows.json"])
                let output = String(decoding: outcome.standardOutput, as: UTF8.self)
                #expect(output.trimmingCharacters(in: .whitespacesAndNewlines) == "ok", "\(output)")
            }

            let refusals: [([String], String)] = [
                (["s1", "s2"], "shard 3/3 missing"), (["s1", "s1", "s3"], "are both shard 1/3"), (["s1", "other", "s3"], "belongs to run 'run-8'"),
                (["s1", "two"], "one run has one shard count"), (["s1", "whole"], "holds a whole run"),
                (["s1", "nowhere"], "nowhere/flows.json: cannot read it"),
            ]
            for (arguments, message) in refusals {
                let outcome = try RunnerBinary.run(["merge-reports"] + arguments + ["--report-dir", "refused"], in: folder.url)
                #expect(outcome.status == 2, "\(arguments)")
                #expect(outcome.standardError.contains(message) && outcome.standardError.contains("nothing was written"), "\(outcome.standardError)")
                #expect(!FileManager.default.fileExists(atPath: folder.path + "/refused"), "nothing written for \(arguments)")
            }
            // Shards split by different plans (by steps and by durations) would duplicate and drop flows: refused.
            _ = try RunnerBinary.run(["run", "Flows", "--target", base, "--report-dir", "whole-run", "--run-id", "run-7"], in: folder.url)
            let differentPlan = try RunnerBinary.run(
                ["run", "Flows", "--target", base, "--report-dir", "timed3", "--shard", "3/3", "--run-id", "run-7", "--durations", "whole-run/flows.json"],
                in: folder.url)
            #expect([0, 1].contains(differentPlan.status))
            let mixed = try RunnerBinary.run(["merge-reports", "s1", "s2", "timed3", "--report-dir", "refused"], in: folder.url)
            #expect(mixed.status == 2 && mixed.standardError.contains("were split by different plans"), "\(mixed.standardError)")
            let intoInput = try RunnerBinary.run(["merge-reports", "s1", "s2", "s3", "--report-dir", "s1/"], in: folder.url)
            #expect(intoInput.status == 2 && intoInput.standardError.contains("would overwrite the shard"), "\(intoInput.standardError)")
            let none = try RunnerBinary.run(["merge-reports", "--report-dir", "refused"], in: folder.url)
            #expect(none.status == 2 && none.standardError.contains("name the shards' report folders"))
        }
    }
}
