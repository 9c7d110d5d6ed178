import FlowCore
import Foundation
import TextFileIO

/// Writes a run as JUnit XML that validates against the common JUnit XSD (Surefire flavour,
/// `Tests/FlowRunnerTests/Resources/junit.xsd`).
///
/// Shape: `<testsuites name tests failures errors time>` with one `<testsuite>` per flow file
/// (`name tests failures errors skipped time timestamp hostname`, counts equal to its test cases), a `<properties>`
/// element naming the `target`, the `baseURL` and, for a run that stopped early, the `interruption`; then one
/// `<testcase classname name time>` per flow. Suite and case names come from ``ReportCaseNames``, so every
/// (classname, name) pair is unique, also for matrix expansions (`Book [mode=video]`) and flows of the same name.
///
/// - A failed flow has `<failure type message>full text</failure>`; an errored flow `<error type message>`;
///   a skipped flow `<skipped message>` (with the reason as text when there is one).
/// - A *flaky* flow (passed after earlier failed attempts) is a passing test case with one `<flakyFailure type message>`
///   per earlier failed attempt (`<flakyError>` for an attempt that errored), oldest first, each holding the
///   attempt's failure text in `<stackTrace>` and its step log in `<system-out>`.
/// - Every test case has a `<system-out>` with its step log.
///
/// Times are seconds with three decimals and a dot, whatever the locale; suite times are the sum of their cases.
/// All text is escaped and characters XML 1.0 forbids are dropped, so the output is always well-formed.
public enum JUnitReportWriter {
    /// The XML document for `report`, UTF-8 text with an XML declaration.
    public static func render(_ report: RunReport) -> String {
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml +=
            "<testsuites"
            + attributes([
                ("name", "illajwala-flows"), ("tests", "\(report.results.count)"), ("failures", "\(report.failedCount)"),
                ("errors", "\(report.erroredCount)"), ("time", DurationText.seconds(report.duration)),
            ]) + ">\n"
        for group in ReportCaseNames.groupedBySuite(ReportCaseNames.name(report.results)) {
            let results = group.results.map(\.result)
            let time = results.reduce(Duration.zero) { $0 + max(.zero, $1.duration) }
            let timestamp = results.first.map { timestampText($0.startedAt) } ?? timestampText(report.startedAt)
            xml +=
                "  <testsuite"
                + attributes([
                    ("name", group.suite), ("tests", "\(results.count)"),
                    ("failures", "\(results.count { $0.status == .failed })"), ("errors", "\(results.count { $0.status == .errored })"),
                    ("skipped", "\(results.count { $0.status == .skipped })"), ("time", DurationText.seconds(time)),
                    ("timestamp", timestamp), ("hostname", report.hostname),
                ]) + ">\n"
            xml += "    <properties>\n"
            for (name, value) in properties(of: report) {
                xml += "      <property" + attributes([("name", name), ("value", value)]) + "/>\n"
            }
            xml += "    </properties>\n"
            for named in group.results {
                xml += testCase(named)
            }
            xml += "  </testsuite>\n"
        }
        xml += "</testsuites>\n"
        return xml
    }

    /// Writes ``render(_:)`` to `url` (UTF-8), creating parent folders.
    /// - Throws: file-system errors from `FileManager` / `Data.write`.
    public static func write(_ report: RunReport, to url: URL) throws {
        try ReportFile.write(render(report), to: url)
    }

    /// `target`, `baseURL` (when known) and `interruption` (when the run stopped early), in that order.
    static func properties(of report: RunReport) -> [(String, String)] {
        var pairs = [("target", report.target)]
        if let baseURL = report.baseURL { pairs.append(("baseURL", baseURL)) }
        if let interruption = report.interruption { pairs.append(("interruption", interruption)) }
        return pairs
    }

    private static func testCase(_ named: NamedFlowResult) -> String {
        let result = named.result
        var xml =
            "    <testcase"
            + attributes([
                ("name", named.name), ("classname", named.suite), ("time", DurationText.seconds(result.duration)),
            ]) + ">\n"
        switch result.status {
        case .failed, .errored:
            let element = result.status == .failed ? "failure" : "error"
            let failure =
                result.failure
                ?? FlowResult.Failure(
                    step: "", summary: "flow \(result.status.rawValue)", details: "flow \(result.status.rawValue)", kind: .unknown)
            xml += "      <\(element)" + attributes([("message", failure.summary), ("type", failure.kind.rawValue)]) + ">"
            xml += XMLText.escapeText(failure.details) + "</\(element)>\n"
            // --retries: the earlier attempts of a flow that never passed, as Surefire's rerun elements.
            for attempt in result.previousAttempts {
                xml += flakyAttempt(attempt, rerun: true)
            }
        case .skipped:
            let reason = result.failure?.summary ?? "not run"
            xml += "      <skipped" + attributes([("message", reason)]) + ">"
            xml += XMLText.escapeText(result.failure?.details ?? reason) + "</skipped>\n"
        case .passed:
            for attempt in result.previousAttempts {
                xml += flakyAttempt(attempt)
            }
        }
        xml += "      <system-out>" + XMLText.escapeText(stepLog(result)) + "</system-out>\n"
        xml += "    </testcase>\n"
        return xml
    }

    /// `<flakyFailure>` (or `<flakyError>` for an attempt that errored) for one earlier attempt of a flaky flow;
    /// with `rerun`, `<rerunFailure>`/`<rerunError>` for an earlier attempt of a flow that failed every time.
    private static func flakyAttempt(_ attempt: FlowResult, rerun: Bool = false) -> String {
        let prefix = rerun ? "rerun" : "flaky"
        let element = prefix + (attempt.status == .errored ? "Error" : "Failure")
        let failure =
            attempt.failure
            ?? FlowResult.Failure(
                step: "", summary: "attempt \(attempt.status.rawValue)", details: "attempt \(attempt.status.rawValue)", kind: .unknown)
        var xml = "      <\(element)" + attributes([("message", failure.summary), ("type", failure.kind.rawValue)]) + ">\n"
        xml += "        <stackTrace>" + XMLText.escapeText(failure.details) + "</stackTrace>\n"
        xml += "        <system-out>" + XMLText.escapeText(stepLog(attempt)) + "</system-out>\n"
        xml += "      </\(element)>\n"
        return xml
    }

    private static func attributes(_ pairs: [(String, String)]) -> String {
        pairs.map { " \($0.0)=\"\(XMLText.escapeAttribute($0.1))\"" }.joined()
    }

    /// ISO 8601 local-time-free timestamp in UTC, e.g. `2026-03-01T09:30:00Z`.
    static func timestampText(_ date: Date) -> String { RelativeDate.rfc3339(date) }

    /// One line per step: status, phase (when not `main`), actor, name, request line, response status and time.
    static func stepLog(_ result: FlowResult) -> String {
        result.steps.map { step in
            var line = "[\(step.status.rawValue)]"
            if step.phase != .main { line += " (\(step.phase.rawValue))" }
            line += " \(step.name)"
            if let actor = step.actor { line += " as \(actor)" }
            if let request = step.request { line += " — \(request.method) \(request.url)" }
            if let response = step.response { line += " → \(response.status)" }
            if step.attempts > 1 { line += " after \(step.attempts) attempts" }
            line += " (\(DurationText.seconds(step.duration)) s)"
            return line
        }.joined(separator: "\n")
    }
}
