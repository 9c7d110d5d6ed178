import Foundation
import TextFileIO

/// The load test's report files in the report folder: `load.json` (docs/schemas/load.schema.json),
/// `load-summary.md`, `load-report.html` (charts as inline SVG, no network fetch) and `load-junit.xml` (one test case
/// per threshold, so CI shows which SLO broke).
public enum LoadReportFiles {
    public static let json = "load.json"
    public static let summary = "load-summary.md"
    public static let html = "load-report.html"
    public static let junit = "load-junit.xml"

    /// Writes the four reports into `directory` (created when missing), each atomically.
    /// - Returns: the files written.
    /// - Throws: file-system errors.
    public static func write(_ results: LoadResults, to directory: URL) throws -> [URL] {
        let files: [(String, String)] = [
            (json, ReportFile.prettyJSON(results)),
            (summary, LoadSummaryWriter.render(results)),
            (html, LoadHTMLWriter.render(results)),
            (junit, LoadJUnitWriter.render(results)),
        ]
        var written: [URL] = []
        for (name, text) in files {
            let url = directory.appendingPathComponent(name)
            try ReportFile.write(text, to: url)
            written.append(url)
        }
        return written
    }
}

/// Numbers as the load reports print them.
enum LoadNumber {
    static func milliseconds(_ value: Double) -> String {
        value >= 100 ? String(format: "%.0f", value) : value >= 10 ? String(format: "%.1f", value) : String(format: "%.2f", value)
    }

    static func rate(_ value: Double) -> String { String(format: "%.1f", value) }

    static func percent(_ fraction: Double) -> String { String(format: "%.2f%%", fraction * 100) }

    /// The headline: interrupted, thresholds broken or held, or none set.
    static func verdict(_ results: LoadResults) -> String {
        if results.interrupted { return "INTERRUPTED (figures cover what ran)" + (results.passed ? "" : "; thresholds broken") }
        return results.thresholds.isEmpty ? "no thresholds set" : results.passed ? "every threshold held" : "THRESHOLDS BROKEN"
    }

    /// `1 journey`, `2 journeys`.
    static func count(_ value: Int, _ noun: String) -> String { "\(value) \(noun)\(value == 1 ? "" : "s")" }
}
