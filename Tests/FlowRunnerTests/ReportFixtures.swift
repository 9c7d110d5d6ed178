import APITransport
import Foundation
import TextFileIO

@testable import CoverageGate
@testable import FlowCommands
@testable import FlowCore
@testable import FlowRuntime

/// Run reports with hostile text for the report writers.
enum ReportFixtures {
    static let hostile = "]]> <tag attr=\"v\"> & 'quoted' \u{0}\u{1}\u{8}\u{B}\u{C}\u{1F}\u{FFFE}\u{FFFF} tab\tline\ncr\r end"
    static let devanagari = String(repeating: "नमस्ते दुनिया 🙏🏽👩‍⚕️ ", count: 400)

    static func report() -> RunReport {
        let source = FlowSource(path: "Flows/patient/<book> & \"pay\".yaml", suiteName: "patient/<book> & \"pay\".yaml")
        let started = Date(timeIntervalSince1970: 1_790_000_000)
        let step = StepRecord(
            name: "book \(hostile)", status: .failed,
            request: RecordedRequest(method: "POST", url: "http://x/api?a=1&b=<2>", headers: [], bodyExcerpt: hostile),
            response: RecordedResponse(status: 409, headers: [], bodyExcerpt: devanagari, duration: .seconds(0.25)),
            assertions: [AssertionResult(subject: "$.data.status", expected: "\"confirmed\"", actual: hostile, passed: false)],
            duration: .seconds(0.3), message: hostile)
        let failed = FlowResult(
            name: "Patient \(hostile)", source: source, status: .failed, steps: [step], startedAt: started, duration: .seconds(1234.5678),
            failure: FlowResult.Failure(step: "book", summary: "step 'book': \(hostile)", details: hostile + "\n" + devanagari, kind: .assertionFailure))
        let errored = FlowResult(
            name: "Errored", source: source, status: .errored, steps: [], startedAt: started, duration: .seconds(0.0004),
            failure: FlowResult.Failure(step: "ping", summary: "transport error", details: "connection refused", kind: .transportError))
        let passed = FlowResult(
            name: "Passed", source: FlowSource(path: "Flows/admin/a.yaml", suiteName: "admin/a.yaml"), status: .passed,
            steps: [StepRecord(name: "ok", status: .passed, assertions: [], duration: .seconds(0.1))], startedAt: started, duration: .seconds(0.1), failure: nil
        )
        let skipped = FlowResult(
            name: "Skipped", source: FlowSource(path: "Flows/admin/a.yaml", suiteName: "admin/a.yaml"), status: .skipped,
            steps: [], startedAt: started, duration: .zero,
            failure: FlowResult.Failure(step: "", summary: "run cancelled", details: "run cancelled", kind: .cancelled))
        return RunReport(
            target: "local & <ci>", startedAt: started, duration: .seconds(1235), hostname: "host\u{0}name", results: [failed, errored, passed, skipped])
    }

    static let scriptName = "Book <script>alert('x')</script> & pay"

    /// A step that sent a request and got an answer, as the runner records it.
    static func step(
        _ name: String, _ status: StepRecord.Status, method: String = "GET", url: String, responseStatus: Int? = 200,
        phase: StepRecord.Phase = .main, actor: String? = "patient", duration: Duration = .milliseconds(50)
    ) -> StepRecord {
        var record = StepRecord(
            name: name, status: status,
            request: RecordedRequest(
                method: method, url: url, headers: [HeaderField(name: "Authorization", value: "***")],
                bodyExcerpt: method == "GET" ? nil : "{\"a\":1}"),
            response: responseStatus.map {
                RecordedResponse(
                    status: $0, headers: [HeaderField(name: "content-type", value: "application/json")], bodyExcerpt: "{\"ok\":true}", duration: duration / 2)
            },
            assertions: [AssertionResult(subject: "status", expected: "200", actual: responseStatus.map(String.init) ?? "(absent)", passed: status == .passed)],
            duration: duration, message: status == .passed ? nil : "expected 200")
        record.phase = phase
        record.actor = actor
        record.curl = "curl -X \(method) '\(url)' -H 'Authorization: ***'"
        return record
    }

    /// A run with every feature the reports show: a flaky flow (one failed and one errored earlier attempt), matrix
    /// cases of one flow, two files with the same suite name, a flow name used twice in one file, a skipped flow
    /// without a reason, a failed flow whose name holds a `<script>`, setup/teardown steps, actors, curl lines,
    /// a base URL and an interruption.
    static func richReport() -> RunReport {
        let base = "http://127.0.0.1:8080"
        let started = Date(timeIntervalSince1970: 1_790_000_000)
        let book = FlowSource(path: "Flows/patient/book.yaml", suiteName: "patient/book.yaml")
        let otherBook = FlowSource(path: "More/patient/book.yaml", suiteName: "patient/book.yaml")
        let admin = FlowSource(path: "Flows/admin/a.yaml", suiteName: "admin/a.yaml")
        let earlierFailure = FlowResult(
            name: "Flaky", source: admin, status: .failed,
            steps: [step("list", .failed, url: base + "/api/clinics", responseStatus: 500)], startedAt: started, duration: .seconds(0.2),
            failure: FlowResult.Failure(step: "list", summary: "step 'list': status 500, expected 200", details: "attempt 1 details", kind: .assertionFailure))
        let earlierError = FlowResult(
            name: "Flaky", source: admin, status: .errored,
            steps: [step("list", .errored, url: base + "/api/clinics", responseStatus: nil)], startedAt: started, duration: .seconds(0.1),
            failure: FlowResult.Failure(step: "list", summary: "transport error", details: "connection reset", kind: .transportError))
        let flaky = FlowResult(
            name: "Flaky", source: admin, status: .passed, steps: [step("list", .passed, url: base + "/api/clinics?city=Pune")],
            startedAt: started, duration: .seconds(0.3), failure: nil, previousAttempts: [earlierFailure, earlierError])
        var video = FlowResult(
            name: "Book", source: book, status: .passed,
            steps: [
                step("log in", .passed, method: "POST", url: base + "/api/auth/login", phase: .setup, actor: nil),
                step("book", .passed, method: "POST", url: base + "/api/appointments", responseStatus: 201, duration: .seconds(0.4)),
                step("my availability", .passed, url: base + "/api/doctors/me/availability", actor: "doctor"),
                step("bulk", .passed, method: "PATCH", url: base + "/api/waitlists/bulk/status"),
                step("log out", .passed, method: "POST", url: base + "/api/auth/logout", responseStatus: 204, phase: .teardown),
            ],
            startedAt: started, duration: .seconds(0.7), failure: nil)
        video.matrix = [MatrixBinding(name: "mode", value: "video")]
        var clinic = video
        clinic.matrix = [MatrixBinding(name: "mode", value: "clinic")]
        clinic.steps = [step("doctor", .passed, url: base + "/api/doctors/42"), step("elsewhere", .passed, url: "https://example.org/x")]
        let failed = FlowResult(
            name: scriptName, source: otherBook, status: .failed,
            steps: [
                step("typo", .passed, url: base + "/api/nope/7?x=1", responseStatus: 404),
                step("pay", .failed, method: "POST", url: base + "/api/payments/verify", responseStatus: 402, duration: .seconds(0.3)),
                StepRecord(name: "after", status: .skipped, duration: .zero),
            ],
            startedAt: started, duration: .seconds(0.5),
            failure: FlowResult.Failure(
                step: "pay", summary: "step 'pay': status 402, expected 200", details: "</pre><script>alert(1)</script>", kind: .assertionFailure))
        let twiceA = FlowResult(name: "Twice", source: admin, status: .passed, steps: [], startedAt: started, duration: .seconds(0.01), failure: nil)
        let twiceB = twiceA
        let skipped = FlowResult(name: "Never", source: admin, status: .skipped, steps: [], startedAt: started, duration: .zero, failure: nil)
        var report = RunReport(
            target: "local", startedAt: started, duration: .seconds(2.5), hostname: "ci-host",
            results: [video, clinic, failed, flaky, twiceA, twiceB, skipped])
        report.baseURL = base
        report.interruption = "SIGINT"
        return report
    }
}
