/// Formats a ``CoverageReport`` as a plain-text table for the terminal:
/// ```text
/// Module            Files  Lines      Lines %  Functions %  Regions %  Threshold  Result
/// BookingCore          25  1234/1300   94.92%       95.00%     90.12%        90%  PASS
/// illajwala-api         0  no data          -            -          -   excluded  -
/// total                97  5120/6000   85.33%       …                        80%  PASS
/// ```
public enum CoverageTableFormatter {
    /// The table's lines (header, one per module, the total), without the verdict.
    public static func lines(_ report: CoverageReport) -> [String] {
        let header = ["Module", "Files", "Lines", "Lines %", "Functions %", "Regions %", "Threshold", "Result"]
        let rightAligned: Set<Int> = [1, 2, 3, 4, 5, 6]
        let rows = [header] + (report.modules + [report.total]).map(cells)
        var widths = Array(repeating: 0, count: header.count)
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        return rows.map { row in
            var line = ""
            for (index, cell) in row.enumerated() {
                let padding = String(repeating: " ", count: widths[index] - cell.count)
                if index > 0 { line += "  " }
                line += rightAligned.contains(index) ? padding + cell : (index == row.count - 1 ? cell : cell + padding)
            }
            return line
        }
    }

    /// The cells of one row: name, files, `covered/count` lines, three percentages, threshold, `PASS`/`FAIL`/`-`.
    static func cells(_ row: CoverageReport.Row) -> [String] {
        let coverage = row.coverage
        let threshold: String
        switch row.gate {
        case .minimum(let minimum): threshold = CoverageText.threshold(minimum)
        case .excluded: threshold = "excluded"
        case .ungated: threshold = "-"
        }
        let result = row.gate == .excluded || row.gate == .ungated ? "-" : (row.passed ? "PASS" : "FAIL")
        guard coverage.fileCount > 0 else {
            return [coverage.name, "0", "no data", "-", "-", "-", threshold, result]
        }
        return [
            coverage.name, "\(coverage.fileCount)", CoverageText.fraction(coverage.lines), CoverageText.percent(coverage.lines.percent),
            CoverageText.percent(coverage.functions.percent), CoverageText.percent(coverage.regions.percent), threshold, result,
        ]
    }
}
