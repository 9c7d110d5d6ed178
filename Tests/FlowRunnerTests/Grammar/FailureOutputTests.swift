import APITransport
import Foundation
import Testing
import TextFileIO

@testable import CoverageGate
@testable import FlowCommands
@testable import FlowCore
@testable import FlowRuntime

@Suite("Failure output: JSON diffs, curl lines, credential masking, console verbosity")
struct FailureOutputTests {
    @Test("a JSON diff names missing, unexpected and changed members at their normalized paths, bounded in length")
    func diff() throws {
        let expected = try JSONValue(parsing: #"{"a":1,"b":[1,2],"c":{"d":"x"},"it's":true}"#)
        let actual = try JSONValue(parsing: #"{"a":2,"b":[1],"c":{"d":"x","e":null}}"#)
        #expect(
            JSONDiff.render(expected: expected, actual: actual) == """
                ~ $['a']: expected 1, actual 2
                - $['b'][1]: 2 (missing)
                + $['c']['e']: null (unexpected)
                - $['it\\'s']: true (missing)
                """)
        #expect(JSONDiff.render(expected: .number(1), actual: .number(2)) == nil)
        #expect(JSONDiff.render(expected: expected, actual: expected) == nil)
        let many = JSONValue.array((0..<30).map { .number($0) })
        let lines = JSONDiff.render(expected: many, actual: .array([]))?.split(separator: "\n") ?? []
        #expect(lines.count == JSONDiff.maximumLines + 1)
        #expect(lines.last == "… 18 more differences")
    }

    @Test("curl lines quote for POSIX shells and mask credentials")
    func curl() {
        let request = APIRequest(
            method: "PUT", url: URL(string: "http://127.0.0.1:8080/api/x?q=a%20b")!,
            headers: [("Authorization", "Bearer abc.def"), ("Cookie", "refreshToken=r1"), ("X-Note", "it's")],
            body: Data(#"{"newPassword":"p","name":"O'Neil"}"#.utf8))
        #expect(
            CurlCommand.render(request)
                == #"curl -sS -i -X PUT 'http://127.0.0.1:8080/api/x?q=a%20b' -H 'Authorization: Bearer ***' -H 'Cookie: ***' -H 'X-Note: it'\''s' --data-raw '{"name":"O'\''Neil","newPassword":"***"}'"#
        )
        #expect(CurlCommand.render(APIRequest(method: "GET", url: URL(string: "http://h/x")!)) == "curl -sS -i 'http://h/x'")
    }

    @Test("sensitive members are masked anywhere in a JSON body; other text is left alone")
    func sensitiveFields() {
        #expect(
            SensitiveFields.maskText(#"{"data":{"accessToken":"t","user":{"email":"e"}},"list":[{"secret":1}]}"#)
                == #"{"data":{"accessToken":"***","user":{"email":"e"}},"list":[{"secret":"***"}]}"#)
        #expect(SensitiveFields.maskText("password=hunter2") == "password=hunter2")
        #expect(SensitiveFields.maskText(#"{"ok":true}"#) == #"{"ok":true}"#)
        #expect(SensitiveFields.isSensitivePath("$.data.refreshToken"))
        #expect(!SensitiveFields.isSensitivePath("$.data.user.email"))
    }

    func result(_ status: FlowResult.Status, previous: Int = 0) -> FlowResult {
        var step = StepRecord(name: "book", status: status == .passed ? .passed : .failed, duration: .seconds(0.01))
        step.request = RecordedRequest(
            method: "POST", url: "http://h/api/appointments", headers: [HeaderField(name: "Authorization", value: "Bearer ***")], bodyExcerpt: "{}")
        step.response = RecordedResponse(status: 409, headers: [], bodyExcerpt: #"{"error":{"code":"SLOT_UNAVAILABLE"}}"#, duration: .seconds(0.002))
        let failure =
            status == .passed
            ? nil
            : FlowResult.Failure(
                step: "book", summary: "step 'book': status expected 201, actual 409", details: "step 'book' (f.yaml:3)\n  status expected 201, actual 409",
                kind: .assertionFailure)
        var result = FlowResult(
            name: "flow", source: FlowSource(path: "Flows/f.yaml", suiteName: "f.yaml"), status: status, steps: [step], startedAt: Date(),
            duration: .seconds(0.5), failure: failure)
        result.previousAttempts = (0..<previous).map { _ in self.result(.failed) }
        return result
    }

    @Test("quiet prints only failures and the tally; verbose adds every request and response; flaky flows say so")
    func verbosity() {
        let report = RunReport(
            target: "local", startedAt: Date(), duration: .seconds(1), results: [result(.passed), result(.failed), result(.passed, previous: 1)])
        func lines(_ verbosity: ConsoleReporter.Verbosity) -> [String] {
            let collected = OutputCollector()
            let reporter = ConsoleReporter(verbosity: verbosity, live: false) { collected.add($0) }
            for result in report.results { reporter.finished(result) }
            reporter.end(report)
            return collected.lines.joined().split(separator: "\n", omittingEmptySubsequences: false).map(String.init).dropLast()
        }
        let quiet = lines(.quiet)
        #expect(quiet.first?.hasPrefix("FAIL  flow  (f.yaml, 0.500 s)  step 'book'") == true)
        #expect(quiet.contains("        status expected 201, actual 409"))
        #expect(!quiet.contains { $0.hasPrefix("PASS") })
        #expect(quiet.last == "2 passed, 1 failed, 0 skipped")
        #expect(quiet.contains("1 flaky (passed only on a retry): flow"))
        let normal = lines(.normal)
        #expect(normal.contains { $0.hasPrefix("FLAKY  flow  (f.yaml, 0.500 s)  passed on attempt 2") })
        let verbose = lines(.verbose)
        #expect(verbose.contains("        > POST http://h/api/appointments"))
        #expect(verbose.contains("        > Authorization: Bearer ***"))
        #expect(verbose.contains(#"        < {"error":{"code":"SLOT_UNAVAILABLE"}}"#))
        #expect(verbose.last == "2 passed, 1 failed, 0 skipped")
    }

    @Test("the live line is redrawn in place and erased before permanent lines")
    func live() {
        let collected = OutputCollector()
        let reporter = ConsoleReporter(verbosity: .normal, live: true) { collected.add($0) }
        reporter.begin(count: 2)
        reporter.progress(flow: "flow", step: "book")
        reporter.finished(result(.passed))
        #expect(collected.lines[0].hasPrefix("\r\u{1B}[2K[0/2] 1 running · flow › book ("))
        #expect(collected.lines[1].hasPrefix("\r\u{1B}[2KPASS  flow"))
    }
}
