import FlowCore
import Foundation
import Testing

@testable import FlowRuntime

/// `quarantine.yaml` and `--history`: quarantined failures reported without failing the run, expiry enforced,
/// flakiness and readiness to leave quarantine computed from earlier runs.
@Suite("Quarantine and history: owners and expiry, failures that do not fail the run, the flakiest flows, ready to leave")
struct QuarantineTests {
    static let entry = """
        quarantine:
          - file: bad.yaml
            name: bad
            owner: "@qa"
            reason: "TICKET-1 teapot"
            expires: 2027-01-31

        """

    @Test("a well-formed list parses; every mistake is named at its line")
    func parsing() throws {
        let list = try QuarantineList.parse(Self.entry, path: "Flows/quarantine.yaml")
        #expect(list.entries == [.init(file: "bad.yaml", name: "bad", owner: "@qa", reason: "TICKET-1 teapot", expires: "2027-01-31", line: 2)])
        let broken = """
            quarantine:
              - file: bad.yaml
                owner: ""
                expires: tomorrow
              - {file: a.yaml, name: a, owner: o, reason: r, expires: 2027-02-30}
              - {file: b.yaml, name: b, owner: o, reason: r, expires: 2027-02-01, extra: 1}
              - {file: c.yaml, name: c, owner: o, reason: r, expires: 2027-02-01}
              - {file: c.yaml, name: c, owner: o, reason: r, expires: 2027-03-01}

            """
        do {
            _ = try QuarantineList.parse(broken, path: "Flows/quarantine.yaml")
            Issue.record("a broken list was accepted")
        } catch {
            let text = error.diagnostics.map(\.description).joined(separator: "\n")
            for expected in [
                "quarantine.yaml:2:5: quarantine entry is missing required key 'name'", "missing required key 'reason'", ":3:", ":4:14: expires must be a date",
                ":5:", "expires must be a date", "unknown key 'extra'", ":8:5: 'c' in c.yaml is already quarantined at line 7",
            ] {
                #expect(text.contains(expected), "\(expected)\n\(text)")
            }
        }
        #expect(throws: FlowLoadError.self) { try QuarantineList.parse("quarantine: {a: 1}\n", path: "q.yaml") }
        #expect(throws: FlowLoadError.self) { try QuarantineList.parse("entries: []\n", path: "q.yaml") }
    }

    static func result(_ name: String, _ status: FlowResult.Status, file: String = "bad.yaml", flakyAttempts: Int = 0) -> FlowResult {
        FlowResult(
            name: name, source: FlowSource(path: "Flows/\(file)", suiteName: file), status: status, steps: [], startedAt: Date(),
            duration: .milliseconds(5),
            failure: status == .passed ? nil : .init(step: "s", summary: "status expected 418, actual 200", details: "d", kind: .assertionFailure),
            previousAttempts: Array(
                repeating: FlowResult(
                    name: name, source: FlowSource(path: "Flows/\(file)", suiteName: file), status: .failed, steps: [], startedAt: Date(),
                    duration: .zero, failure: nil), count: flakyAttempts))
    }

    @Test("a failure of a quarantined flow becomes a skip that says so; a pass stays a pass; an expired entry does nothing")
    func applying() throws {
        let list = try QuarantineList.parse(Self.entry, path: "Flows/quarantine.yaml")
        let applied = list.apply(
            to: [Self.result("bad", .failed), Self.result("bad [mode=a]", .errored), Self.result("good", .failed, file: "good.yaml")], today: "2027-01-31")
        #expect(applied.map(\.status) == [.skipped, .skipped, .failed])
        #expect(applied[0].failure?.summary == "quarantined: TICKET-1 teapot (owner @qa, until 2027-01-31); it failed: status expected 418, actual 200")
        #expect(applied[0].quarantine?.outcome == .failed && applied[1].quarantine?.outcome == .errored, "a matrix row by its flow's name")
        #expect(list.apply(to: [Self.result("bad", .passed)], today: "2027-01-01")[0].quarantine?.outcome == .passed)
        let expired = list.apply(to: [Self.result("bad", .failed)], today: "2027-02-01")
        #expect(expired[0].status == .failed && expired[0].quarantine == nil)
        #expect(
            list.expiredProblems(today: "2027-02-01") == [
                "Flows/quarantine.yaml:2: the quarantine of 'bad' (bad.yaml, owner @qa) expired on 2027-01-31: fix the flow and remove the entry, or give it a new date"
            ])
        #expect(list.expiredProblems(today: "2027-01-31").isEmpty, "an entry applies through its last day")
    }

    @Test("records: flips and flaky runs make the flip rate; passes in a row count from the end; quarantined flows by their real outcome")
    func records() throws {
        func run(_ results: [FlowResult], at offset: TimeInterval) -> RunReport {
            RunReport(target: "t", startedAt: Date(timeIntervalSince1970: 1_000 + offset), duration: .seconds(1), results: results)
        }
        let list = try QuarantineList.parse(Self.entry, path: "Flows/quarantine.yaml")
        let earlier = [
            run([Self.result("flip", .passed, file: "flip.yaml"), Self.result("bad", .failed), Self.result("steady", .passed, file: "s.yaml")], at: 30),
            run([Self.result("flip", .failed, file: "flip.yaml"), Self.result("bad", .passed), Self.result("steady", .passed, file: "s.yaml")], at: 10),
            run(
                list.apply(to: [Self.result("flip", .passed, file: "flip.yaml", flakyAttempts: 1), Self.result("bad", .failed)], today: "2027-01-01"),
                at: 20),
        ]
        let history = FlowHistory(runs: earlier, directory: "history")
        let current = run(
            list.apply(
                to: [Self.result("flip", .failed, file: "flip.yaml"), Self.result("bad", .passed), Self.result("steady", .passed, file: "s.yaml")],
                today: "2027-01-01"), at: 40)
        let records = Dictionary(uniqueKeysWithValues: history.records(endingWith: current).map { ($0.name, $0) })
        #expect(records["flip"]?.outcomes == [.failed, .flaky, .passed, .failed], "oldest first, the current run last")
        #expect(records["flip"]?.flipRate == 0.75, "2 flips (failed → flaky, passed → failed) and 1 flaky run over 4 runs")
        #expect(records["steady"]?.flipRate == 0 && records["steady"]?.outcomes == [.passed, .passed, .passed])
        #expect(records["bad"]?.outcomes == [.passed, .failed, .failed, .passed], "the quarantined flow's real outcomes")
        #expect(records["bad"]?.passesInARow == 1)
        let summary = MarkdownSummaryWriter.render(current, history: history)
        #expect(summary.contains("## Flakiest flows"))
        #expect(summary.contains("| flip | flip.yaml | ❌⚠️✅❌ | 2 | 1 | 0.75 |"), "\(summary)")
        #expect(summary.contains("| bad | bad.yaml | @qa | 2027-01-31 | passed | 1 | TICKET-1 teapot |"), "\(summary)")
        let passing = (0..<5).map { run([Self.result("bad", .passed)], at: Double($0)) }
        let ready = MarkdownSummaryWriter.render(
            run(list.apply(to: [Self.result("bad", .passed)], today: "2027-01-01"), at: 99), history: FlowHistory(runs: passing, directory: "h"))
        #expect(ready.contains("| 6 — **ready to leave quarantine** |"), "\(ready)")
    }

    @Test(
        "the binary: a quarantined failure passes the run and shows as skipped; expired it fails again; validate refuses it",
        .enabled(if: RunnerBinary.isBuilt, RunnerBinary.notBuilt))
    func throughTheBinary() async throws {
        try await RunnerBinary.withLoopbackTarget { folder, base in
            try folder.write("Flows/good.yaml", ShardingTests.flowFile("good", steps: 1))
            try folder.write("Flows/bad.yaml", "name: bad\nsteps:\n  - name: s\n    request: {url: /fast}\n    expect: {status: 418}\n")
            try folder.write("Flows/quarantine.yaml", Self.entry.replacingOccurrences(of: "2027-01-31", with: "2999-12-31"))
            for index in 1...2 {
                let run = try RunnerBinary.run(["run", "Flows", "--target", base, "--report-dir", "history/run-\(index)"], in: folder.url)
                #expect(run.status == 0, "\(run.standardError)")
            }
            let run = try RunnerBinary.run(["run", "Flows", "--target", base, "--report-dir", "reports", "--history", "history"], in: folder.url)
            #expect(run.status == 0, "the quarantined failure does not fail the run: \(run.standardOutput)")
            #expect(run.standardOutput.contains("quarantined: 1 flow ran, 1 failed without failing the run"))
            let junit = try String(contentsOf: folder.url.appendingPathComponent("reports/junit.xml"), encoding: .utf8)
            #expect(junit.contains(#"<skipped message="quarantined: TICKET-1 teapot (owner @qa, until 2999-12-31); it failed: "#))
            let summary = try String(contentsOf: folder.url.appendingPathComponent("reports/summary.md"), encoding: .utf8)
            #expect(summary.contains("## Quarantined flows") && summary.contains("## Flakiest flows"))
            #expect(try RunnerBinary.run(["validate", "Flows", "--target", base], in: folder.url).status == 0)

            try folder.write("Flows/quarantine.yaml", Self.entry.replacingOccurrences(of: "2027-01-31", with: "2020-01-31"))
            let expired = try RunnerBinary.run(["run", "Flows", "--target", base, "--report-dir", "expired"], in: folder.url)
            #expect(expired.status == 1, "an expired entry no longer holds the failure back")
            #expect(expired.standardError.contains("expired on 2020-01-31") && expired.standardError.contains("it no longer applies"))
            let validate = try RunnerBinary.run(["validate", "Flows", "--target", base], in: folder.url)
            #expect(validate.status == 2 && validate.standardError.contains("quarantine.yaml:2: the quarantine of 'bad'"), "\(validate.standardError)")

            // Validating one folder judges only the entries of files it loaded.
            try folder.write("Flows/sub/other.yaml", ShardingTests.flowFile("other", steps: 1))
            try folder.write("Flows/quarantine.yaml", Self.entry.replacingOccurrences(of: "2027-01-31", with: "2999-12-31"))
            let subset = try RunnerBinary.run(["validate", "Flows/sub", "--target", base], in: folder.url)
            #expect(subset.status == 0, "an entry for a file outside the folder is not stale: \(subset.standardError)")
            try folder.write("Flows/quarantine.yaml", Self.entry.replacingOccurrences(of: "name: bad", with: "name: renamed"))
            let stale = try RunnerBinary.run(["validate", "Flows", "--target", base], in: folder.url)
            #expect(stale.status == 2 && stale.standardError.contains("the quarantine entry 'renamed' in bad.yaml names no flow"), "\(stale.standardError)")
            let missing = try RunnerBinary.run(["run", "Flows", "--target", base, "--history", "nowhere"], in: folder.url)
            #expect(missing.status == 2 && missing.standardError.contains("--history nowhere: no such folder"))
        }
    }
}
