import FlowCore
import Foundation
import TextFileIO

/// Writes a ``CoverageReport`` as JSON for machines (pretty-printed, keys sorted):
/// ```json
/// {
///   "passed": false,
///   "modules": [
///     {"name": "FlowRuntime", "files": 50,
///      "lines": {"count": 4000, "covered": 3000, "percent": 75},
///      "functions": {"count": 800, "covered": 700, "percent": 87.5},
///      "regions": {"count": 5000, "covered": 3500, "percent": 70},
///      "threshold": 80, "excluded": false, "passed": false}
///   ],
///   "total": {"name": "total", …}
/// }
/// ```
/// Percentages are unrounded (`covered * 100 / count`, 100 when `count` is 0); `threshold` is `null` when the row is
/// not gated; `files` is 0 when the data has no file of the module.
public enum CoverageJSONWriter {
    /// The JSON text for `report`.
    public static func render(_ report: CoverageReport) -> String {
        ReportFile.prettyJSON(Document(passed: report.passed, modules: report.modules.map(Entry.init), total: Entry(report.total)))
    }

    /// Writes ``render(_:)`` to `url` (UTF-8), creating parent folders.
    /// - Throws: file-system errors.
    public static func write(_ report: CoverageReport, to url: URL) throws {
        try ReportFile.write(render(report), to: url)
    }

    private struct Document: Encodable {
        var passed: Bool
        var modules: [Entry]
        var total: Entry
    }

    private struct Counts: Encodable {
        var count: Int
        var covered: Int
        var percent: Double

        init(_ counts: CoverageCounts) {
            count = counts.count
            covered = counts.covered
            percent = counts.percent
        }
    }

    private struct Entry: Encodable {
        var name: String
        var files: Int
        var lines: Counts
        var functions: Counts
        var regions: Counts
        var threshold: Double?
        var excluded: Bool
        var passed: Bool

        init(_ row: CoverageReport.Row) {
            name = row.coverage.name
            files = row.coverage.fileCount
            lines = Counts(row.coverage.lines)
            functions = Counts(row.coverage.functions)
            regions = Counts(row.coverage.regions)
            threshold = row.threshold
            excluded = row.gate == .excluded
            passed = row.passed
        }

        enum CodingKeys: String, CodingKey {
            case name, files, lines, functions, regions, threshold, excluded, passed
        }

        /// Like the synthesized encoding, but writes `"threshold": null` instead of leaving the key out.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(name, forKey: .name)
            try container.encode(files, forKey: .files)
            try container.encode(lines, forKey: .lines)
            try container.encode(functions, forKey: .functions)
            try container.encode(regions, forKey: .regions)
            try container.encode(threshold, forKey: .threshold)
            try container.encode(excluded, forKey: .excluded)
            try container.encode(passed, forKey: .passed)
        }
    }
}
