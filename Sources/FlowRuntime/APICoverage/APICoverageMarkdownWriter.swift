import FlowCore
import Foundation
import TextFileIO

/// Writes an ``APICoverageReport`` as `api-coverage.md` for people: the totals, a table of every operation
/// (exercised first marked ✅, never exercised ❌; status codes seen, declared codes not seen, undeclared codes seen),
/// then the requests that matched no operation.
public enum APICoverageMarkdownWriter {
    /// The Markdown text for `coverage`.
    public static func render(_ coverage: APICoverageReport) -> String {
        var lines = [
            "# API coverage", "",
            "\(coverage.totalsText) of \(MarkdownText.code(coverage.document)) exercised; "
                + "\(coverage.exercisedDeclaredStatusCodeCount)/\(coverage.declaredStatusCodeCount) declared responses seen.",
            "",
        ]
        if !coverage.unmatchedRequests.isEmpty {
            lines += [
                "⚠️ \(coverage.unmatchedRequests.count) request\(coverage.unmatchedRequests.count == 1 ? "" : "s") matched no operation "
                    + "(see the end): the flows or the document are wrong.", "",
            ]
        }
        lines += [
            "| | Operation | operationId | Requests | Status codes seen | Declared, not seen | Undeclared, seen | Contract violations |",
            "| --- | --- | --- | ---: | --- | --- | --- | ---: |",
        ]
        for entry in coverage.operations {
            let mark = entry.exercised ? "✅" : "❌"
            let seen = entry.exercisedStatusCodes.map(String.init).joined(separator: ", ")
            let missing = entry.unexercisedStatusCodes.joined(separator: ", ")
            let undeclared = entry.undeclaredStatusCodes.map(String.init).joined(separator: ", ")
            lines.append(
                "| \(mark) | \(MarkdownText.code(entry.operation.label)) | \(MarkdownText.cell(entry.operation.operationId ?? "")) | "
                    + "\(entry.requests) | \(seen) | \(MarkdownText.cell(missing)) | \(undeclared) | \(entry.contractViolations) |")
        }
        if !coverage.unmatchedRequests.isEmpty {
            lines += ["", "## Requests that matched no operation", "", "| Method | Path or URL | Status | Flow | Step |", "| --- | --- | ---: | --- | --- |"]
            for request in coverage.unmatchedRequests {
                lines.append(
                    "| \(MarkdownText.cell(request.method)) | \(MarkdownText.code(request.path ?? request.url)) | \(request.status) | "
                        + "\(MarkdownText.cell(request.flow)) | \(MarkdownText.cell(request.step)) |")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Writes ``render(_:)`` to `url` (UTF-8), creating parent folders.
    /// - Throws: file-system errors.
    public static func write(_ coverage: APICoverageReport, to url: URL) throws {
        try ReportFile.write(render(coverage), to: url)
    }
}
