import FlowCore
import Foundation
import TextFileIO

/// Writes a run as Markdown for people (and CI step summaries), most urgent first:
///
/// 1. a title naming the target, the tally with the run time in seconds, the base URL, and the interruption if any;
/// 2. `## Failed flows`: a table of failed and errored flows (flow, file, failed step, reason) — only when there are some;
/// 3. `## Flaky flows`: flows that passed only after earlier failed attempts, with the first failure;
/// 4. `## Quarantined flows`: flows `quarantine.yaml` names, with owner, expiry, this run's real outcome and, with
///    history, their passes in a row (ready to leave after ``FlowHistory/passesToLeaveQuarantine``);
/// 5. `## Flakiest flows`: with history (`--history`), the flows that flipped between passing and failing most;
/// 6. `## Skipped flows`: flows that did not run (quarantined failures included), with the reason;
/// 7. `## API coverage`: the totals (see ``APICoverageReport``) or why coverage was skipped;
/// 8. `## All flows`: every flow (flow, file, result, duration in seconds);
/// 9. `## Failures`: every failure's full text in a fenced block.
///
/// Flow and file names are the unique names of ``ReportCaseNames``; table cells are kept on one line with pipes escaped.
public enum MarkdownSummaryWriter {
    /// The Markdown text for `report`; `apiCoverage` adds section 5 unless it is `.notRequested`.
    public static func render(_ report: RunReport, apiCoverage: APICoverageOutcome = .notRequested, history: FlowHistory? = nil) -> String {
        let named = ReportCaseNames.name(report.results)
        var lines = ["# Flow run against \(MarkdownText.inline(report.target))", ""]
        var facts = ["\(report.tally) in \(DurationText.seconds(report.duration)) s"]
        if report.erroredCount > 0 { facts.append("\(report.erroredCount) of them errored") }
        if report.flakyCount > 0 { facts.append("\(report.flakyCount) flaky") }
        if let baseURL = report.baseURL { facts.append("base URL \(MarkdownText.code(baseURL))") }
        lines += [facts.joined(separator: " · "), ""]
        if let interruption = report.interruption {
            lines += ["**The run stopped early: \(MarkdownText.inline(interruption)).**", ""]
        }

        let failed = named.filter { $0.result.status == .failed || $0.result.status == .errored }
        if !failed.isEmpty {
            lines += ["## Failed flows", "", "| Flow | File | Result | Failed step | Reason |", "| --- | --- | --- | --- | --- |"]
            for entry in failed {
                let failure = entry.result.failure
                lines.append(
                    "| \(MarkdownText.cell(entry.name)) | \(MarkdownText.cell(entry.suite)) | \(label(entry.result)) | "
                        + "\(MarkdownText.cell(failure?.step ?? "")) | \(MarkdownText.cell(failure?.summary ?? "")) |")
            }
            lines.append("")
        }

        let flaky = named.filter(\.result.isFlaky)
        if !flaky.isEmpty {
            lines += ["## Flaky flows", "", "Passed only after failing: fix them before they hide a real failure.", ""]
            lines += ["| Flow | File | Failed attempts | First failure |", "| --- | --- | ---: | --- |"]
            for entry in flaky {
                let first = entry.result.previousAttempts.first?.failure?.summary ?? ""
                lines.append(
                    "| \(MarkdownText.cell(entry.name)) | \(MarkdownText.cell(entry.suite)) | \(entry.result.previousAttempts.count) | "
                        + "\(MarkdownText.cell(first)) |")
            }
            lines.append("")
        }

        lines += contractSection(named)
        let records = history?.records(endingWith: report)
        lines += quarantineSection(named, records: records)
        lines += flakinessSection(records, history: history)

        let skipped = named.filter { $0.result.status == .skipped }
        if !skipped.isEmpty {
            lines += ["## Skipped flows", "", "| Flow | File | Reason |", "| --- | --- | --- |"]
            for entry in skipped {
                lines.append(
                    "| \(MarkdownText.cell(entry.name)) | \(MarkdownText.cell(entry.suite)) | \(MarkdownText.cell(entry.result.failure?.summary ?? "not run")) |"
                )
            }
            lines.append("")
        }

        switch apiCoverage {
        case .computed(let coverage):
            lines += [
                "## API coverage", "",
                "\(coverage.totalsText) of \(MarkdownText.code(coverage.document)) exercised "
                    + "(\(coverage.exercisedDeclaredStatusCodeCount)/\(coverage.declaredStatusCodeCount) declared responses seen); details in `api-coverage.md`.",
            ]
            if !coverage.unmatchedRequests.isEmpty {
                lines += [
                    "",
                    "⚠️ \(coverage.unmatchedRequests.count) request\(coverage.unmatchedRequests.count == 1 ? "" : "s") matched no operation of the document.",
                ]
            }
            lines.append("")
        case .skipped(let reason):
            lines += ["## API coverage", "", MarkdownText.inline(reason), ""]
        case .notRequested:
            break
        }

        lines += ["## All flows", "", "| Flow | File | Result | Duration (s) |", "| --- | --- | --- | ---: |"]
        for entry in named {
            lines.append(
                "| \(MarkdownText.cell(entry.name)) | \(MarkdownText.cell(entry.suite)) | \(label(entry.result)) | \(DurationText.seconds(entry.result.duration)) |"
            )
        }

        let failures = failed.filter { $0.result.failure != nil }
        if !failures.isEmpty {
            lines += ["", "## Failures"]
            for entry in failures {
                guard let failure = entry.result.failure else { continue }
                lines += ["", "### \(MarkdownText.inline(entry.name)) (\(MarkdownText.inline(entry.suite)))", ""]
                lines += MarkdownText.fencedBlock(failure.details)
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Writes ``render(_:apiCoverage:)`` to `url` (UTF-8), creating parent folders.
    /// - Throws: file-system errors.
    public static func write(
        _ report: RunReport, apiCoverage: APICoverageOutcome = .notRequested, history: FlowHistory? = nil, to url: URL
    ) throws {
        try ReportFile.write(render(report, apiCoverage: apiCoverage, history: history), to: url)
    }

    private static func contractSection(_ named: [NamedFlowResult]) -> [String] {
        let found = named.flatMap { entry in
            entry.result.recordedSteps.flatMap { step in
                step.contractViolations.map { (entry, step.name, $0) }
            }
        }
        guard !found.isEmpty else { return [] }
        var lines = [
            "## Contract violations", "",
            "Responses that broke the OpenAPI document (an undeclared status or content type, a body against the schema, a missing "
                + "required header): the service or the document is wrong.", "",
            "| Flow | Step | Operation | Status | Where | Problem |", "| --- | --- | --- | ---: | --- | --- |",
        ]
        for (entry, step, violation) in found {
            lines.append(
                "| \(MarkdownText.cell(entry.name)) | \(MarkdownText.cell(step)) | \(MarkdownText.code(violation.operation)) | \(violation.status) | "
                    + "\(violation.pointer.map { MarkdownText.code($0.isEmpty ? "/" : $0) } ?? "") | \(MarkdownText.cell(violation.message)) |")
        }
        return lines + [""]
    }

    private static func quarantineSection(_ named: [NamedFlowResult], records: [FlowHistory.Record]?) -> [String] {
        let held = named.filter { $0.result.quarantine != nil }
        guard !held.isEmpty else { return [] }
        let records = records.map { records in Dictionary(records.map { ($0.suite + "\u{1F}" + $0.name, $0) }) { first, _ in first } }
        var lines = [
            "## Quarantined flows", "",
            "They ran; their failures are reported but do not fail the run until the entry expires (`quarantine.yaml`).", "",
            "| Flow | File | Owner | Until | This run | Passes in a row | Reason |", "| --- | --- | --- | --- | --- | ---: | --- |",
        ]
        for entry in held {
            guard let note = entry.result.quarantine else { continue }
            var streak = "—"
            if let record = records?[entry.result.source.suiteName + "\u{1F}" + entry.result.name] {
                streak = "\(record.passesInARow)"
                if record.passesInARow >= FlowHistory.passesToLeaveQuarantine { streak += " — **ready to leave quarantine**" }
            }
            lines.append(
                "| \(MarkdownText.cell(entry.name)) | \(MarkdownText.cell(entry.suite)) | \(MarkdownText.cell(note.owner)) | \(note.expires) | "
                    + "\(note.outcome.rawValue) | \(streak) | \(MarkdownText.cell(note.reason)) |")
        }
        return lines + [""]
    }

    private static func flakinessSection(_ records: [FlowHistory.Record]?, history: FlowHistory?) -> [String] {
        guard let history, let records else { return [] }
        let runs = history.runs.count + 1
        let flakiest = records.filter { $0.flipRate > 0 }
            .sorted { $0.flipRate != $1.flipRate ? $0.flipRate > $1.flipRate : $0.failed > $1.failed }.prefix(10)
        var lines = ["## Flakiest flows", ""]
        guard !flakiest.isEmpty else {
            return lines + ["No flow flipped between passing and failing, or passed only on a retry, in the last \(runs) runs.", ""]
        }
        lines += [
            "Over the last \(runs) runs (\(MarkdownText.code(history.directory)) and this one), oldest first; flip rate = changes between "
                + "passing and failing, plus flaky runs, per run.", "",
            "| Flow | File | Record | Failed | Flaky | Flip rate |", "| --- | --- | --- | ---: | ---: | ---: |",
        ]
        for record in flakiest {
            lines.append(
                "| \(MarkdownText.cell(record.name)) | \(MarkdownText.cell(record.suite)) | \(record.outcomes.map(\.symbol).joined()) | "
                    + "\(record.failed) | \(record.flaky) | \(String(format: "%.2f", record.flipRate)) |")
        }
        return lines + [""]
    }

    private static func label(_ result: FlowResult) -> String {
        switch result.status {
        case .passed: return result.isFlaky ? "✅ passed (flaky)" : "✅ passed"
        case .failed: return "❌ failed"
        case .errored: return "💥 error"
        case .skipped: return "⏭ skipped"
        }
    }
}
