import Foundation

/// Writes a run as JUnit XML that validates against the common JUnit XSD (Surefire flavour).
///
/// Shape: `<testsuites name tests failures errors time>` with one `<testsuite>` per flow file
/// (`name` = path relative to the flows root; `tests failures errors skipped time timestamp hostname`),
/// a `<properties>` element with the `target`, and one `<testcase classname name time>` per flow.
/// A failed flow has `<failure type="AssertionFailure" message="…">full text</failure>`; an errored flow an
/// `<error>`; a skipped flow `<skipped>`. Every testcase has a `<system-out>` with its step log.
/// Times are seconds with three decimals and a dot. All text is escaped and characters XML 1.0 forbids are dropped,
/// so the output is always well-formed.
public enum JUnitReportWriter {
    /// The XML document for `report`, UTF-8 text with an XML declaration.
    public static func render(_ report: RunReport) -> String {
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<testsuites" + attributes([
            ("name", "illajwala-flows"), ("tests", "\(report.results.count)"), ("failures", "\(report.failedCount)"),
            ("errors", "\(report.erroredCount)"), ("time", DurationText.seconds(report.duration)),
        ]) + ">\n"
        for group in report.resultsByFile {
            let results = group.results
            let time = results.reduce(0) { $0 + $1.duration }
            let timestamp = results.first.map { timestampText($0.startedAt) } ?? timestampText(report.startedAt)
            xml += "  <testsuite" + attributes([
                ("name", group.suiteName), ("tests", "\(results.count)"),
                ("failures", "\(results.count { $0.status == .failed })"), ("errors", "\(results.count { $0.status == .errored })"),
                ("skipped", "\(results.count { $0.status == .skipped })"), ("time", DurationText.seconds(time)),
                ("timestamp", timestamp), ("hostname", report.hostname),
            ]) + ">\n"
            xml += "    <properties>\n"
            xml += "      <property" + attributes([("name", "target"), ("value", report.target)]) + "/>\n"
            xml += "    </properties>\n"
            for result in results {
                xml += "    <testcase" + attributes([
                    ("name", result.name), ("classname", group.suiteName), ("time", DurationText.seconds(result.duration)),
                ]) + ">\n"
                if let failure = result.failure {
                    let element: String
                    switch result.status {
                    case .failed: element = "failure"
                    case .errored: element = "error"
                    case .skipped: element = "skipped"
                    case .passed: element = ""
                    }
                    if !element.isEmpty {
                        xml += "      <\(element)" + attributes([("message", failure.summary), ("type", failure.type)]) + ">"
                        xml += XMLText.escapeText(failure.details) + "</\(element)>\n"
                    }
                }
                xml += "      <system-out>" + XMLText.escapeText(stepLog(result)) + "</system-out>\n"
                xml += "    </testcase>\n"
            }
            xml += "  </testsuite>\n"
        }
        xml += "</testsuites>\n"
        return xml
    }

    /// Writes ``render(_:)`` to `url` (UTF-8), creating parent folders.
    /// - Throws: file-system errors from `FileManager` / `Data.write`.
    public static func write(_ report: RunReport, to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(render(report).utf8).write(to: url, options: .atomic)
    }

    private static func attributes(_ pairs: [(String, String)]) -> String {
        pairs.map { " \($0.0)=\"\(XMLText.escapeAttribute($0.1))\"" }.joined()
    }

    /// ISO 8601 local-time-free timestamp in UTC, e.g. `2026-03-01T09:30:00Z`.
    static func timestampText(_ date: Date) -> String { RelativeDate.rfc3339(date) }

    /// One line per step: status, name, request line, response status and time.
    static func stepLog(_ result: FlowResult) -> String {
        result.steps.map { step in
            var line = "[\(step.status.rawValue)] \(step.name)"
            if let request = step.request { line += " — \(request.method) \(request.url)" }
            if let response = step.response { line += " → \(response.status)" }
            line += " (\(DurationText.seconds(step.duration)) s)"
            return line
        }.joined(separator: "\n")
    }
}
