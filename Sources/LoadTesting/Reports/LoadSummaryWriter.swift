import FlowRuntime

/// `load-summary.md`: the verdict, the thresholds, then requests per operation, journeys per flow, errors by kind and
/// the slowest steps — what a reviewer reads first (GitHub renders it in the job summary).
enum LoadSummaryWriter {
    static func render(_ results: LoadResults) -> String {
        var lines: [String] = []
        lines.append("# Load test: \(LoadNumber.verdict(results))")
        lines.append("")
        lines.append(
            "Target `\(MarkdownText.inline(results.target))` (\(MarkdownText.inline(results.baseURL))), \(MarkdownText.inline(results.model)); "
                + "\(String(format: "%.1f", results.durationSeconds)) s measured, seed \(results.seed).")
        lines.append("")
        lines.append(
            "Journeys: \(results.iterations.completed) completed (\(results.iterations.passed) passed, \(results.iterations.failed) failed), "
                + "\(results.iterations.interrupted) cut off by the interruption, \(results.iterations.dropped) not started"
                + (results.requestCapReached ? " (the request cap of \(results.maxRequests) was reached)" : "")
                + ", \(LoadNumber.rate(results.iterations.rate))/s over \(String(format: "%.1f", results.rateSeconds)) s. Requests: \(results.requests.count), "
                + "\(LoadNumber.rate(results.requests.rate))/s, \(results.requests.errors) with no response or a 5xx. "
                + "Checks: \(results.checks["passed"] ?? 0) passed, \(results.checks["failed"] ?? 0) failed. Actor logins and refreshes: \(results.actorLogins)."
        )
        if !results.thresholds.isEmpty {
            lines += ["", "## Thresholds", "", "| threshold | measured | result |", "|---|---|---|"]
            for outcome in results.thresholds {
                let measured =
                    outcome.measured.map { value in
                        outcome.threshold.contains("errors") || outcome.threshold.contains("checks")
                            ? LoadNumber.percent(value) : LoadNumber.milliseconds(value) + " ms"
                    } ?? "—"
                lines.append("| `\(MarkdownText.inline(outcome.threshold))` | \(measured) | \(outcome.passed ? "holds" : "**broken**") |")
            }
        }
        lines += [
            "", "## Requests by operation (ms)", "", "| operation | count | /s | errors | p50 | p90 | p95 | p99 | p99.9 | max |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        let all = results.requests.latency
        lines.append(row("**all requests**", all, rate: results.requests.rate, errors: results.requests.errors))
        for operation in results.operations {
            lines.append(row("`\(MarkdownText.inline(operation.operation))`", operation.latency, rate: operation.rate, errors: operation.errors))
        }
        lines += [
            "", "## Journeys by flow (ms, from the intended start)", "", "| flow | setup | passed | failed | p50 | p95 | p99 | max |",
            "|---|---|---:|---:|---:|---:|---:|---:|",
        ]
        for flow in results.flows {
            let j = flow.journey
            let ms = { (value: Double) in j.count == 0 ? "—" : LoadNumber.milliseconds(value) }
            lines.append(
                "| \(MarkdownText.inline(flow.name)) | \(flow.setup) | \(flow.passed) | \(flow.failed) | \(ms(j.p50)) | "
                    + "\(ms(j.p95)) | \(ms(j.p99)) | \(ms(j.max)) |")
        }
        if !results.errorsByKind.isEmpty {
            lines += ["", "## Errors by kind", "", "| kind | count |", "|---|---:|"]
            for (kind, count) in results.errorsByKind.sorted(by: { $0.value > $1.value }) { lines.append("| \(MarkdownText.inline(kind)) | \(count) |") }
            if let first = results.firstFailure { lines += ["", "First failure: \(MarkdownText.inline(first))"] }
        }
        let slowest = results.slowestSteps
        if !slowest.isEmpty {
            lines += ["", "## Slowest steps (p95, ms)", "", "| flow | step | count | failed | p95 | p99 |", "|---|---|---:|---:|---:|---:|"]
            for step in slowest {
                lines.append(
                    "| \(MarkdownText.inline(step.flow)) | \(MarkdownText.inline(step.step)) | \(step.latency.count) | \(step.failed) | "
                        + "\(LoadNumber.milliseconds(step.latency.p95)) | \(LoadNumber.milliseconds(step.latency.p99)) |")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func row(_ name: String, _ s: LatencyStatistics, rate: Double, errors: Int) -> String {
        "| \(name) | \(s.count) | \(LoadNumber.rate(rate)) | \(errors) | \(LoadNumber.milliseconds(s.p50)) | \(LoadNumber.milliseconds(s.p90)) | "
            + "\(LoadNumber.milliseconds(s.p95)) | \(LoadNumber.milliseconds(s.p99)) | \(LoadNumber.milliseconds(s.p999)) | \(LoadNumber.milliseconds(s.max)) |"
    }
}
