import FlowCore
import Foundation
import TextFileIO

/// Writes a run as `flows.json`: everything the run recorded, for machines (dashboards, trend tools).
///
/// The document (pretty-printed, keys sorted, optional values `null` rather than missing) is described by the
/// JSON Schema `docs/schemas/flows-report.schema.json` (draft 2020-12):
/// ```json
/// {
///   "schemaVersion": 1,
///   "target": "local", "baseURL": "http://127.0.0.1:52341", "hostname": "ci-7",
///   "startedAt": "2026-03-01T09:30:00Z", "durationMs": 5123.456, "interruption": null, "shard": null, "runId": null, "shardPlan": null,
///   "counts": {"total": 4, "passed": 3, "failed": 1, "errored": 0, "skipped": 0, "flaky": 1},
///   "flows": [{
///     "name": "Book [mode=video]", "flowName": "Book", "suite": "patient/book.yaml", "file": "Flows/patient/book.yaml",
///     "status": "passed", "flaky": true, "matrix": [{"name": "mode", "value": "video"}],
///     "startedAt": "…", "durationMs": 812.5, "failure": null,
///     "steps": [{"name": "log in", "phase": "setup", "actor": "patient", "status": "passed", "attempts": 1,
///                "durationMs": 40.2, "message": null, "curl": "curl -X POST …", "undocumented": false,
///                "request": {"method": "POST", "url": "…", "headers": [{"name": "…", "value": "…"}], "bodyExcerpt": "…"},
///                "response": {"status": 200, "headers": […], "bodyExcerpt": "…", "durationMs": 38.9},
///                "assertions": [{"subject": "status", "expected": "200", "actual": "200", "passed": true}]}],
///     "previousAttempts": [{"attempt": 1, "status": "failed", "startedAt": "…", "durationMs": 700, "failure": {…}, "steps": […]}]
///   }]
/// }
/// ```
/// Durations are milliseconds (numbers, `…Ms` names); times are RFC 3339 in UTC. `name`/`suite` are the unique
/// names of ``ReportCaseNames`` (the JUnit `name`/`classname`); `flowName` is the name in the flow file.
/// Secrets are already masked in the run model, so they are masked here too.
public enum FlowsJSONReportWriter {
    /// The JSON text for `report`, ending with a newline.
    public static func render(_ report: RunReport) -> String {
        // Strings, integers, booleans and finite doubles (``Milliseconds`` never gives NaN) always encode.
        ReportFile.prettyJSON(FlowsJSONDocument(report))
    }

    /// Writes ``render(_:)`` to `url` (UTF-8), creating parent folders.
    /// - Throws: file-system errors.
    public static func write(_ report: RunReport, to url: URL) throws {
        try ReportFile.write(render(report), to: url)
    }
}
