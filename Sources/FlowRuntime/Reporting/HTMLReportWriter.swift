import FlowCore
import Foundation
import TextFileIO

/// Writes a run as `report.html`: one self-contained page a person opens after a run.
///
/// - Overview: a verdict banner, the tally (`<p id="tally">3 passed, 1 failed, 0 skipped</p>`), count tiles
///   (passed, failed, errored, skipped, flaky, total) and a bar split in proportion to them; the base URL, start time
///   (UTC), run time and host; a banner when the run stopped early.
/// - API coverage totals and the operations table (collapsed), when computed.
/// - One `<details class="flow">` per flow, failed and errored flows first and expanded (`open`), the others collapsed.
///   Each holds the failure text, a timeline of steps (phase, actor, request line, status, duration, and a bar placed
///   and sized in proportion to the flow's duration) and per step the assertions, request and response excerpts and
///   the `curl` line — expanded for failed steps. Earlier failed attempts of flaky flows are listed too.
///
/// Self-contained: inline CSS and a few lines of inline script (expand/collapse all, and a count of rendered flows that
/// `scripts/check-html-report.sh` checks), a Content-Security-Policy that forbids every fetch, no external font, image,
/// style sheet or script. Every recorded text is HTML-escaped; URLs of the run appear as text only, never as links.
public enum HTMLReportWriter {
    /// The HTML document for `report`; `apiCoverage` adds the coverage section unless it is `.notRequested`.
    public static func render(_ report: RunReport, apiCoverage: APICoverageOutcome = .notRequested) -> String {
        let named = ReportCaseNames.name(report.results)
        let ordered = named.filter { isFailure($0.result) } + named.filter { !isFailure($0.result) }
        var html = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
            <title>\(HTMLText.escape("Flow run against \(report.target): \(report.tally)"))</title>
            <style>
            \(HTMLReportStyle.css)
            </style>
            </head>
            <body>

            """
        html += header(report)
        html += overview(report)
        html += coverageSection(apiCoverage)
        html += "<section id=\"flows\">\n<h2>Flows</h2>\n"
        html += "<p><button type=\"button\" id=\"expand-all\">Expand all</button> <button type=\"button\" id=\"collapse-all\">Collapse all</button></p>\n"
        if ordered.isEmpty { html += "<p class=\"empty\">No flow ran.</p>\n" }
        for (index, entry) in ordered.enumerated() {
            html += flow(entry, index: index + 1)
        }
        html += "</section>\n"
        html += "<footer class=\"meta\"><p>Written by illajwala-flows. <span id=\"rendered\"></span></p></footer>\n"
        html += script
        html += "</body>\n</html>\n"
        return html
    }

    /// Writes ``render(_:apiCoverage:)`` to `url` (UTF-8), creating parent folders.
    /// - Throws: file-system errors.
    public static func write(_ report: RunReport, apiCoverage: APICoverageOutcome = .notRequested, to url: URL) throws {
        try ReportFile.write(render(report, apiCoverage: apiCoverage), to: url)
    }

    // MARK: - Sections

    private static func header(_ report: RunReport) -> String {
        var facts: [String] = []
        if let baseURL = report.baseURL { facts.append("base URL <code id=\"base-url\">\(HTMLText.escape(baseURL))</code>") }
        facts.append("started \(HTMLText.escape(RelativeDate.rfc3339(report.startedAt)))")
        facts.append("took \(DurationText.seconds(report.duration)) s")
        facts.append("on \(HTMLText.escape(report.hostname))")
        return """
            <header>
            <h1>Flow run against <span id="target">\(HTMLText.escape(report.target))</span></h1>
            <p class="meta">\(facts.joined(separator: " · "))</p>
            </header>

            """
    }

    private static func overview(_ report: RunReport) -> String {
        let total = report.results.count
        let failing = report.failedCount + report.erroredCount
        var html = "<section id=\"overview\">\n"
        if failing > 0 {
            html += "<div class=\"banner failed\" id=\"verdict\">FAILED — \(failing) of \(total) flow\(total == 1 ? "" : "s") did not pass</div>\n"
        } else {
            html += "<div class=\"banner passed\" id=\"verdict\">PASSED — no flow failed</div>\n"
        }
        if let interruption = report.interruption {
            html += "<div class=\"banner interrupted\" id=\"interruption\">The run stopped early: \(HTMLText.escape(interruption))</div>\n"
        }
        html += "<p id=\"tally\">\(HTMLText.escape(report.tally))</p>\n<div class=\"counts\">\n"
        let tiles: [(String, Int)] = [
            ("passed", report.passedCount), ("failed", report.failedCount), ("errored", report.erroredCount),
            ("skipped", report.skippedCount), ("flaky", report.flakyCount), ("total", total),
        ]
        for (name, count) in tiles {
            html += "<div class=\"count \(name)\"><b>\(count)</b>\(name)</div>\n"
        }
        html += "</div>\n<div class=\"stack\" role=\"img\" aria-label=\"\(HTMLText.escape(report.tally))\">"
        if total > 0 {
            for (name, count) in tiles.prefix(4) where count > 0 {
                html += "<span class=\"\(name)\" style=\"width: \(HTMLText.percent(Double(count) / Double(total)))\"></span>"
            }
        }
        html += "</div>\n</section>\n"
        return html
    }

    private static func coverageSection(_ outcome: APICoverageOutcome) -> String {
        switch outcome {
        case .notRequested:
            return ""
        case .skipped(let reason):
            return "<section id=\"api-coverage\">\n<h2>API coverage</h2>\n<p class=\"empty\">\(HTMLText.escape(reason))</p>\n</section>\n"
        case .computed(let coverage):
            var html = "<section id=\"api-coverage\">\n<h2>API coverage</h2>\n"
            html += "<p id=\"api-coverage-totals\"><strong>\(HTMLText.escape(coverage.totalsText))</strong> of "
            html += "<code>\(HTMLText.escape(coverage.document))</code> exercised; "
            html += "\(coverage.exercisedDeclaredStatusCodeCount)/\(coverage.declaredStatusCodeCount) declared responses seen.</p>\n"
            html += "<div class=\"stack\"><span class=\"passed\" style=\"width: \(HTMLText.percent(coverage.percent / 100))\"></span></div>\n"
            if !coverage.unmatchedRequests.isEmpty {
                html += "<details open><summary>\(coverage.unmatchedRequests.count) request(s) matched no operation</summary>\n"
                html += "<table><thead><tr><th>Method</th><th>Path or URL</th><th>Status</th><th>Flow</th><th>Step</th></tr></thead><tbody>\n"
                for request in coverage.unmatchedRequests {
                    html += "<tr><td>\(HTMLText.escape(request.method))</td><td class=\"url\"><code>\(HTMLText.escape(request.path ?? request.url))</code></td>"
                    html += "<td>\(request.status)</td><td>\(HTMLText.escape(request.flow))</td><td>\(HTMLText.escape(request.step))</td></tr>\n"
                }
                html += "</tbody></table>\n</details>\n"
            }
            html += "<details><summary>Operations</summary>\n"
            html += "<table><thead><tr><th></th><th>Operation</th><th>operationId</th><th>Requests</th><th>Seen</th><th>Declared, not seen</th>"
            html += "<th>Undeclared, seen</th></tr></thead><tbody>\n"
            for entry in coverage.operations {
                html += "<tr><td>\(entry.exercised ? "✅" : "❌")</td><td><code>\(HTMLText.escape(entry.operation.label))</code></td>"
                html += "<td>\(HTMLText.escape(entry.operation.operationId ?? ""))</td><td class=\"num\">\(entry.requests)</td>"
                html += "<td>\(entry.exercisedStatusCodes.map(String.init).joined(separator: ", "))</td>"
                html += "<td>\(HTMLText.escape(entry.unexercisedStatusCodes.joined(separator: ", ")))</td>"
                html += "<td>\(entry.undeclaredStatusCodes.map(String.init).joined(separator: ", "))</td></tr>\n"
            }
            html += "</tbody></table>\n</details>\n</section>\n"
            return html
        }
    }

    // MARK: - Flows

    private static func flow(_ entry: NamedFlowResult, index: Int) -> String {
        let result = entry.result
        let kind = result.isFlaky ? "flaky" : result.status.rawValue
        var html = "<details class=\"flow \(kind)\" id=\"flow-\(index)\"\(isFailure(result) ? " open" : "")>\n<summary>"
        html += "<span class=\"badge \(kind)\">\(kind)</span> <strong class=\"flow-name\">\(HTMLText.escape(entry.name))</strong>"
        html += " <span class=\"suite\">\(HTMLText.escape(entry.suite))</span>"
        html += " <span class=\"time\">\(DurationText.seconds(result.duration)) s</span></summary>\n"
        if !result.matrix.isEmpty {
            let values = result.matrix.map { "\($0.name)=\($0.value)" }.joined(separator: ", ")
            html += "<p class=\"matrix\">matrix: \(HTMLText.escape(values))</p>\n"
        }
        if let failure = result.failure {
            if isFailure(result) {
                html += failureBox(failure)
            } else if result.status == .skipped {
                html += "<p class=\"empty\">\(HTMLText.escape(failure.summary))</p>\n"
            }
        }
        html += timeline(result.steps, flowDuration: result.duration, expandFailures: true)
        for (number, attempt) in result.previousAttempts.enumerated() {
            html += "<details class=\"attempt\"><summary>Attempt \(number + 1) \(HTMLText.escape(attempt.status.rawValue))"
            if let failure = attempt.failure { html += ": \(HTMLText.escape(failure.summary))" }
            html += " (\(DurationText.seconds(attempt.duration)) s)</summary>\n"
            if let failure = attempt.failure { html += failureBox(failure) }
            html += timeline(attempt.steps, flowDuration: attempt.duration, expandFailures: false)
            html += "</details>\n"
        }
        html += "</details>\n"
        return html
    }

    private static func failureBox(_ failure: FlowResult.Failure) -> String {
        "<div class=\"failure\"><div class=\"summary\">\(HTMLText.escape(failure.kind.rawValue)): \(HTMLText.escape(failure.summary))</div>"
            + "<pre>\(HTMLText.escape(failure.details))</pre></div>\n"
    }

    private static func timeline(_ steps: [StepRecord], flowDuration: Duration, expandFailures: Bool) -> String {
        guard !steps.isEmpty else { return "<p class=\"empty\">No step ran.</p>\n" }
        let span = max(flowDuration, steps.reduce(Duration.zero) { $0 + max(.zero, $1.duration) }, .microseconds(1))
        var offset = Duration.zero
        var html = "<table class=\"timeline\"><thead><tr><th>Step</th><th>Request</th><th>Status</th><th class=\"num\">Time</th>"
        html += "<th>Timeline</th></tr></thead><tbody>\n"
        for step in steps {
            let duration = max(.zero, step.duration)
            html += "<tr class=\"step \(step.status.rawValue)\"><td>"
            if step.phase != .main { html += "<span class=\"phase\">\(step.phase.rawValue)</span> " }
            html += HTMLText.escape(step.name)
            if let actor = step.actor { html += " <span class=\"suite\">as \(HTMLText.escape(actor))</span>" }
            if step.status != .passed { html += " <span class=\"badge \(step.status.rawValue)\">\(step.status.rawValue)</span>" }
            html += "</td><td class=\"url\">"
            if let request = step.request { html += "<code>\(HTMLText.escape(request.method)) \(HTMLText.escape(request.url))</code>" }
            html += "</td><td>\(step.response.map { String($0.status) } ?? "—")"
            if step.attempts > 1 { html += " <span class=\"suite\">(\(step.attempts) attempts)</span>" }
            html += "</td><td class=\"num\">\(millisecondsText(duration))</td>"
            html += "<td class=\"bar\"><div class=\"track\">"
            if step.status != .skipped {  // a step that did not run has no place on the timeline
                html += "<span style=\"left: \(HTMLText.percent(offset / span)); width: \(HTMLText.percent(duration / span))\"></span>"
            }
            html += "</div></td></tr>\n"
            offset += duration
            if let exchange = exchange(step, open: expandFailures && (step.status == .failed || step.status == .errored)) {
                html += "<tr class=\"exchange-row\"><td colspan=\"5\">\(exchange)</td></tr>\n"
            }
        }
        html += "</tbody></table>\n"
        return html
    }

    /// The step's message, assertions, request, response and curl line in a `<details>`, or `nil` when there is nothing.
    private static func exchange(_ step: StepRecord, open: Bool) -> String? {
        guard step.message != nil || !step.assertions.isEmpty || step.request != nil || step.response != nil || step.curl != nil else {
            return nil
        }
        var html = "<details class=\"exchange\"\(open ? " open" : "")><summary>details</summary>\n"
        if let message = step.message { html += "<pre class=\"message\">\(HTMLText.escape(message))</pre>\n" }
        if !step.assertions.isEmpty {
            html += "<table><thead><tr><th>Checked</th><th>Expected</th><th>Actual</th><th></th></tr></thead><tbody>\n"
            for assertion in step.assertions {
                html += "<tr class=\"assertion \(assertion.passed ? "passed" : "failed")\"><td><code>\(HTMLText.escape(assertion.subject))</code></td>"
                html += "<td><code>\(HTMLText.escape(assertion.expected))</code></td><td><code>\(HTMLText.escape(assertion.actual))</code></td>"
                html += "<td>\(assertion.passed ? "✓" : "✗")</td></tr>\n"
            }
            html += "</tbody></table>\n"
        }
        if let request = step.request {
            var text = "\(request.method) \(request.url)\n"
            text += request.headers.map { "\($0.name): \($0.value)\n" }.joined()
            if let body = request.bodyExcerpt { text += "\n" + body }
            html += "<div>Request</div><pre class=\"request\">\(HTMLText.escape(text))</pre>\n"
        }
        if let response = step.response {
            var text = "\(response.status) (\(millisecondsText(response.duration)))\n"
            text += response.headers.map { "\($0.name): \($0.value)\n" }.joined()
            if !response.bodyExcerpt.isEmpty { text += "\n" + response.bodyExcerpt }
            html += "<div>Response</div><pre class=\"response\">\(HTMLText.escape(text))</pre>\n"
        }
        if let curl = step.curl { html += "<div>Repeat with</div><pre class=\"curl\">\(HTMLText.escape(curl))</pre>\n" }
        html += "</details>"
        return html
    }

    // MARK: - Helpers

    private static func isFailure(_ result: FlowResult) -> Bool { result.status == .failed || result.status == .errored }

    /// `312 ms`, whole milliseconds, locale-independent.
    static func millisecondsText(_ duration: Duration) -> String {
        "\(Int(min(Milliseconds.from(duration), 1e15).rounded())) ms"
    }

    /// Expand/collapse buttons, and the number of rendered flows written into the page (checked in headless Chromium).
    private static let script = """
        <script>
        (function () {
          var flows = document.querySelectorAll("details.flow");
          document.getElementById("expand-all").addEventListener("click", function () { flows.forEach(function (d) { d.open = true; }); });
          document.getElementById("collapse-all").addEventListener("click", function () { flows.forEach(function (d) { d.open = false; }); });
          var rendered = document.getElementById("rendered");
          rendered.setAttribute("data-rendered-flows", String(flows.length));
          rendered.textContent = flows.length + " flows rendered.";
        })();
        </script>

        """
}
