import FlowCore
import Foundation

/// Writes every report of a run into one folder:
///
/// | File | Writer | For |
/// | --- | --- | --- |
/// | `junit.xml` | ``JUnitReportWriter`` | CI test tabs |
/// | `summary.md` | ``MarkdownSummaryWriter`` | people, CI step summaries |
/// | `flows.json` | ``FlowsJSONReportWriter`` | machines (schema `docs/schemas/flows-report.schema.json`) |
/// | `report.html` | ``HTMLReportWriter`` | people, after a run |
/// | `api-coverage.json` | ``APICoverageJSONWriter`` | machines — only when API coverage was computed |
/// | `api-coverage.md` | ``APICoverageMarkdownWriter`` | people — only when API coverage was computed |
public enum ReportDirectory {
    /// What goes into the reports besides the run itself.
    public struct Options: Sendable {
        /// API coverage of the run: computed (written to the two `api-coverage` files and shown in the summary and the
        /// HTML report), skipped (the reason shown; stale `api-coverage` files of an earlier run are removed) or not
        /// requested (nothing about it written or removed).
        public var apiCoverage: APICoverageOutcome
        /// Earlier runs (`--history`): the summary then lists the flakiest flows and quarantined flows ready to leave.
        public var history: FlowHistory?

        /// Creates options; by default API coverage is not requested and there is no history.
        public init(apiCoverage: APICoverageOutcome = .notRequested, history: FlowHistory? = nil) {
            self.apiCoverage = apiCoverage
            self.history = history
        }
    }

    /// `junit.xml`.
    public static let junitFileName = "junit.xml"
    /// `summary.md`.
    public static let summaryFileName = "summary.md"
    /// `flows.json`.
    public static let flowsJSONFileName = "flows.json"
    /// `report.html`.
    public static let htmlFileName = "report.html"
    /// `api-coverage.json`.
    public static let apiCoverageJSONFileName = "api-coverage.json"
    /// `api-coverage.md`.
    public static let apiCoverageMarkdownFileName = "api-coverage.md"
    /// `server.log`: the embedded server's log (not a report; written while the run goes on).
    public static let serverLogFileName = "server.log"

    /// Every file a run writes into the folder.
    public static let allFileNames = [
        junitFileName, summaryFileName, flowsJSONFileName, htmlFileName, apiCoverageJSONFileName, apiCoverageMarkdownFileName, serverLogFileName,
    ]

    /// Called when a run starts: removes every report an earlier run left, and writes a `junit.xml` with one error
    /// and a `summary.md` saying that a run started and has not finished. A run that ends normally replaces both;
    /// one that is killed, crashes or is stopped by a second signal leaves them, so CI never publishes an earlier
    /// run's green results as this run's. Problems writing are ignored here (the folder was checked to be writable;
    /// the final write reports its own errors).
    public static func markInProgress(_ directory: URL, target: String, startedAt: Date) {
        markUnfinished(
            directory, target: target,
            message: "the run against \(target) started at \(RelativeDate.rfc3339(startedAt)) and did not finish (killed, crashed, or still running)")
    }

    /// Called when a run stops before any flow ran (the target could not be used): the placeholder reports say why.
    public static func markNotRun(_ directory: URL, target: String, reason: String) {
        markUnfinished(directory, target: target, message: "no flow ran: \(reason)")
    }

    private static func markUnfinished(_ directory: URL, target: String, message: String) {
        let fileManager = FileManager.default
        for name in allFileNames {
            let url = directory.appendingPathComponent(name)
            if fileManager.fileExists(atPath: url.path) { try? fileManager.removeItem(at: url) }
        }
        let placeholder = FlowResult(
            name: "the flow run finished", source: FlowSource(path: "(run)", suiteName: "(run)"), status: .errored, steps: [],
            startedAt: Date(), duration: .zero, failure: FlowResult.Failure(step: "", summary: message, details: message, kind: .runDidNotFinish))
        var report = RunReport(target: target, startedAt: Date(), duration: .zero, results: [placeholder])
        report.interruption = message
        try? JUnitReportWriter.write(report, to: directory.appendingPathComponent(junitFileName))
        try? MarkdownSummaryWriter.write(report, to: directory.appendingPathComponent(summaryFileName))
    }

    /// Writes the reports of `report` into `directory`, creating it.
    /// - Returns: the files written, in order: `junit.xml`, `summary.md`, `flows.json`, `report.html`, then
    ///   `api-coverage.json` and `api-coverage.md` when coverage was computed.
    /// - Throws: file-system errors (the first one; earlier files stay written).
    @discardableResult
    public static func write(_ report: RunReport, to directory: URL, options: Options = Options()) throws -> [URL] {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = { (name: String) in directory.appendingPathComponent(name) }
        try JUnitReportWriter.write(report, to: file(junitFileName))
        try MarkdownSummaryWriter.write(report, apiCoverage: options.apiCoverage, history: options.history, to: file(summaryFileName))
        try FlowsJSONReportWriter.write(report, to: file(flowsJSONFileName))
        try HTMLReportWriter.write(report, apiCoverage: options.apiCoverage, to: file(htmlFileName))
        var written = [file(junitFileName), file(summaryFileName), file(flowsJSONFileName), file(htmlFileName)]
        switch options.apiCoverage {
        case .computed(let coverage):
            try APICoverageJSONWriter.write(coverage, to: file(apiCoverageJSONFileName))
            try APICoverageMarkdownWriter.write(coverage, to: file(apiCoverageMarkdownFileName))
            written += [file(apiCoverageJSONFileName), file(apiCoverageMarkdownFileName)]
        case .skipped:
            for name in [apiCoverageJSONFileName, apiCoverageMarkdownFileName] {
                let stale = file(name)
                if FileManager.default.fileExists(atPath: stale.path) { try FileManager.default.removeItem(at: stale) }
            }
        case .notRequested:
            break
        }
        return written
    }
}
