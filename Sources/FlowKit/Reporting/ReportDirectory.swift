import Foundation

/// Writes every report of a run into one folder: `junit.xml` and `summary.md`.
public enum ReportDirectory {
    /// Writes the reports of `report` into `directory`, creating it.
    /// - Returns: the files written, in order.
    /// - Throws: file-system errors (the first one; earlier files stay written).
    @discardableResult
    public static func write(_ report: RunReport, to directory: URL) throws -> [URL] {
        let junit = directory.appendingPathComponent("junit.xml")
        let summary = directory.appendingPathComponent("summary.md")
        try JUnitReportWriter.write(report, to: junit)
        try MarkdownSummaryWriter.write(report, to: summary)
        return [junit, summary]
    }
}
