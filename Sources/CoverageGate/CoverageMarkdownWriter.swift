import FlowCore
import Foundation
import TextFileIO

/// Writes a ``CoverageReport`` as Markdown for people and CI job summaries: a heading, the verdict, a table of
/// modules and the total (files, lines covered/total, line, function and region coverage, threshold, result) and a
/// note on what is counted.
public enum CoverageMarkdownWriter {
    /// The Markdown text for `report`.
    public static func render(_ report: CoverageReport) -> String {
        var lines = [
            "# Code coverage", "",
            (report.passed ? "✅ " : "❌ ") + report.verdict, "",
            "| Module | Files | Lines | Lines % | Functions % | Regions % | Threshold | Result |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
        ]
        for row in report.modules {
            lines.append(line(CoverageTableFormatter.cells(row), bold: false))
        }
        lines.append(line(CoverageTableFormatter.cells(report.total), bold: true))
        lines += [
            "",
            "Thresholds gate line coverage. Only files under the package's `Sources/` count; excluded modules are "
                + "reported but neither gated nor counted in the total. Numbers are those of `llvm-cov report` on the same data.",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    /// Writes ``render(_:)`` to `url` (UTF-8), creating parent folders.
    /// - Throws: file-system errors.
    public static func write(_ report: CoverageReport, to url: URL) throws {
        try ReportFile.write(render(report), to: url)
    }

    private static func line(_ cells: [String], bold: Bool) -> String {
        var cells = cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }
        if let result = cells.last {
            cells[cells.count - 1] = result == "PASS" ? "✅ PASS" : result == "FAIL" ? "❌ FAIL" : result
        }
        if bold { cells[0] = "**\(cells[0])**" }
        return "| " + cells.joined(separator: " | ") + " |"
    }
}
