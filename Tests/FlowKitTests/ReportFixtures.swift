import Foundation

@testable import FlowKit

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
            response: RecordedResponse(status: 409, headers: [], bodyExcerpt: devanagari, duration: 0.25),
            assertions: [AssertionResult(subject: "$.data.status", expected: "\"confirmed\"", actual: hostile, passed: false)],
            duration: 0.3, message: hostile)
        let failed = FlowResult(
            name: "Patient \(hostile)", source: source, status: .failed, steps: [step], startedAt: started, duration: 1234.5678,
            failure: FlowResult.Failure(step: "book", summary: "step 'book': \(hostile)", details: hostile + "\n" + devanagari, type: "AssertionFailure"))
        let errored = FlowResult(
            name: "Errored", source: source, status: .errored, steps: [], startedAt: started, duration: 0.0004,
            failure: FlowResult.Failure(step: "ping", summary: "transport error", details: "connection refused", type: "TransportError"))
        let passed = FlowResult(
            name: "Passed", source: FlowSource(path: "Flows/admin/a.yaml", suiteName: "admin/a.yaml"), status: .passed,
            steps: [StepRecord(name: "ok", status: .passed, assertions: [], duration: 0.1)], startedAt: started, duration: 0.1, failure: nil)
        let skipped = FlowResult(
            name: "Skipped", source: FlowSource(path: "Flows/admin/a.yaml", suiteName: "admin/a.yaml"), status: .skipped,
            steps: [], startedAt: started, duration: 0,
            failure: FlowResult.Failure(step: "", summary: "run cancelled", details: "run cancelled", type: "Cancelled"))
        return RunReport(target: "local & <ci>", startedAt: started, duration: 1235, hostname: "host\u{0}name", results: [failed, errored, passed, skipped])
    }
}
