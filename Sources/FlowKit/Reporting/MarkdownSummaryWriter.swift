import Foundation

/// Writes a run as Markdown for people (and CI step summaries): a tally, a table of flows
/// (flow, file, result, duration), then every failure in full.
public enum MarkdownSummaryWriter {
    /// The Markdown text for `report`.
    public static func render(_ report: RunReport) -> String {
        var lines = [
            "# Flow run against \(inline(report.target))", "",
            "\(report.tally) in \(DurationText.seconds(report.duration)) s", "",
            "| Flow | File | Result | Duration (s) |", "| --- | --- | --- | ---: |",
        ]
        for result in report.results {
            lines.append("| \(cell(result.name)) | \(cell(result.source.suiteName)) | \(label(result.status)) | \(DurationText.seconds(result.duration)) |")
        }
        let failures = report.results.filter { $0.failure != nil && $0.status != .passed }
        if !failures.isEmpty {
            lines += ["", "## Failures"]
            for result in failures {
                guard let failure = result.failure else { continue }
                lines += ["", "### \(inline(result.name)) (\(inline(result.source.suiteName)))", ""]
                let fence = String(repeating: "`", count: max(3, longestBacktickRun(failure.details) + 1))
                lines += [fence + "text", failure.details, fence]
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Writes ``render(_:)`` to `url` (UTF-8), creating parent folders.
    /// - Throws: file-system errors.
    public static func write(_ report: RunReport, to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(render(report).utf8).write(to: url, options: .atomic)
    }

    private static func label(_ status: FlowResult.Status) -> String {
        switch status {
        case .passed: return "✅ passed"
        case .failed: return "❌ failed"
        case .errored: return "💥 error"
        case .skipped: return "⏭ skipped"
        }
    }

    /// A table cell: pipes escaped, line breaks flattened.
    private static func cell(_ text: String) -> String {
        inline(text).replacingOccurrences(of: "|", with: "\\|")
    }

    private static func inline(_ text: String) -> String {
        text.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
    }

    private static func longestBacktickRun(_ text: String) -> Int {
        var longest = 0
        var current = 0
        for character in text {
            current = character == "`" ? current + 1 : 0
            longest = max(longest, current)
        }
        return longest
    }
}
