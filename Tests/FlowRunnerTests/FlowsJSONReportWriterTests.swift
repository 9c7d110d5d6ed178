import APITransport
import Foundation
import Testing
import TextFileIO

@testable import CoverageGate
@testable import FlowCommands
@testable import FlowCore
@testable import FlowRuntime

@Suite("flows.json report")
struct FlowsJSONReportWriterTests {
    static let schema = ExternalTools.packageRoot.appendingPathComponent("docs/schemas/flows-report.schema.json")

    /// Validates every document against the schema with the Python `jsonschema` package (draft 2020-12, formats
    /// checked); prints one line per document: `ok` or the first error.
    static let validator = """
        import json, sys
        from jsonschema import Draft202012Validator
        schema = json.load(open(sys.argv[1]))
        Draft202012Validator.check_schema(schema)
        validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
        for path in sys.argv[2:]:
            errors = sorted(validator.iter_errors(json.load(open(path))), key=lambda e: list(e.absolute_path))
            print("ok" if not errors else "invalid: " + "/".join(map(str, errors[0].absolute_path)) + ": " + errors[0].message)
        """

    func document(_ report: RunReport) throws -> [String: JSONValue] {
        guard case .object(let fields) = try JSONValue(parsing: FlowsJSONReportWriter.render(report)) else {
            Issue.record("flows.json is not an object")
            return [:]
        }
        return fields
    }

    @Test("the run, its counts and every flow with flaky attempts, matrix values and steps")
    func content() throws {
        let fields = try document(ReportFixtures.richReport())
        #expect(fields["schemaVersion"] == 1)
        #expect(fields["target"] == "local")
        #expect(fields["baseURL"] == "http://127.0.0.1:8080")
        #expect(fields["startedAt"] == "2026-09-21T14:13:20Z")
        #expect(fields["durationMs"] == 2500)
        #expect(fields["hostname"] == "ci-host")
        #expect(fields["interruption"] == "SIGINT")
        #expect(fields["counts"] == ["total": 7, "passed": 5, "failed": 1, "errored": 0, "skipped": 1, "flaky": 1])
        guard case .array(let flows)? = fields["flows"], flows.count == 7 else {
            Issue.record("expected 7 flows")
            return
        }
        guard case .object(let video) = flows[0], case .object(let flaky) = flows[3] else { return }
        #expect(video["name"] == "Book [mode=video]")
        #expect(video["flowName"] == "Book")
        #expect(video["suite"] == "Flows/patient/book.yaml")
        #expect(video["matrix"] == [["name": "mode", "value": "video"]])
        #expect(video["failure"] == .null)
        #expect(video["durationMs"] == 700)
        guard case .array(let steps)? = video["steps"], case .object(let login) = steps[0] else { return }
        #expect(login["phase"] == "setup")
        #expect(login["actor"] == .null)
        #expect(login["attempts"] == 1)
        #expect(login["durationMs"] == 50)
        #expect(login["curl"] == "curl -X POST 'http://127.0.0.1:8080/api/auth/login' -H 'Authorization: ***'")
        #expect(
            login["request"] == [
                "method": "POST", "url": "http://127.0.0.1:8080/api/auth/login", "headers": [["name": "Authorization", "value": "***"]],
                "bodyExcerpt": "{\"a\":1}",
            ])
        #expect(
            login["response"] == [
                "status": 200, "headers": [["name": "content-type", "value": "application/json"]], "bodyExcerpt": "{\"ok\":true}", "durationMs": 25,
            ])
        #expect(login["assertions"] == [["subject": "status", "expected": "200", "actual": "200", "passed": true]])
        #expect(flaky["flaky"] == true)
        guard case .array(let attempts)? = flaky["previousAttempts"], attempts.count == 2, case .object(let first) = attempts[0] else {
            Issue.record("expected two earlier attempts")
            return
        }
        #expect(first["attempt"] == 1)
        #expect(first["status"] == "failed")
        #expect(
            first["failure"] == [
                "step": "list", "summary": "step 'list': status 500, expected 200", "details": "attempt 1 details", "type": "AssertionFailure",
            ])
    }

    @Test("durations are milliseconds rounded to the microsecond; negative durations give 0")
    func milliseconds() {
        #expect(Milliseconds.from(.nanoseconds(1_234_567_800)) == 1234.568)
        #expect(Milliseconds.from(.zero) == 0)
        #expect(Milliseconds.from(.seconds(-3)) == 0)
    }

    @Test(
        "written reports validate against docs/schemas/flows-report.schema.json, and the schema rejects broken documents",
        .enabled(if: ExternalTools.hasJSONSchema, "requires the Python package jsonschema (pip install jsonschema; .ci/run installs it)"))
    func validatesAgainstSchema() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var written: [String] = []
        for (index, report) in [ReportFixtures.report(), ReportFixtures.richReport(), RunReport(target: "t", startedAt: Date(), duration: .zero, results: [])]
            .enumerated()
        {
            let path = directory.path + "/flows-\(index).json"
            try FlowsJSONReportWriter.write(report, to: URL(fileURLWithPath: path))
            written.append(path)
        }
        // Broken documents, each derived from a valid one by one change the schema must catch.
        let valid = try document(ReportFixtures.richReport())
        var broken: [String: JSONValue] = [:]
        var missingCounts = valid
        missingCounts["counts"] = nil
        broken["missing-counts"] = .object(missingCounts)
        var stringDuration = valid
        stringDuration["durationMs"] = "2500"
        broken["string-duration"] = .object(stringDuration)
        var badStatus = valid
        if case .array(var flows)? = badStatus["flows"], case .object(var flow) = flows[0] {
            flow["status"] = "green"
            flows[0] = .object(flow)
            badStatus["flows"] = .array(flows)
        }
        broken["bad-status"] = .object(badStatus)
        var badTime = valid
        badTime["startedAt"] = "yesterday"
        broken["bad-time"] = .object(badTime)
        var extra = valid
        extra["unexpected"] = true
        broken["extra-field"] = .object(extra)
        let brokenNames = broken.keys.sorted()
        for name in brokenNames {
            let path = directory.path + "/\(name).json"
            try Data((broken[name] ?? .null).compactJSON.utf8).write(to: URL(fileURLWithPath: path))
            written.append(path)
        }

        let outcome = try ExternalTools.python(Self.validator, [Self.schema.path] + written)
        #expect(outcome.status == 0, "\(outcome.errorText)")
        let lines = String(decoding: outcome.standardOutput, as: UTF8.self).split(separator: "\n").map(String.init)
        #expect(lines.count == written.count)
        #expect(Array(lines.prefix(3)) == ["ok", "ok", "ok"], "written reports: \(lines.prefix(3))")
        for (name, line) in zip(brokenNames, lines.dropFirst(3)) {
            #expect(line.hasPrefix("invalid: "), "\(name) was accepted")
        }
    }
}
