import FlowRuntime
import Foundation

/// `load-report.html`: one self-contained page — verdict and thresholds, latency over time (p50, p95, p99 per
/// second), throughput over time (requests and errors per second), the percentile distribution of request latency
/// (HdrHistogram's plot: percentiles on a log scale of 1/(1 − p)), and the tables of the summary. Charts are inline
/// SVG; the page loads nothing from the network and runs no script.
enum LoadHTMLWriter {
    static func render(_ results: LoadResults) -> String {
        let verdict = LoadNumber.verdict(results)
        var body = """
            <h1>Load test: \(HTMLText.escape(verdict))</h1>
            <p class="meta">Target <code>\(HTMLText.escape(results.target))</code> (\(HTMLText.escape(results.baseURL))), \(HTMLText.escape(results.model)); \
            \(String(format: "%.1f", results.durationSeconds)) s, seed \(results.seed). Journeys \(results.iterations.completed) \
            (\(results.iterations.passed) passed, \(results.iterations.failed) failed, \(results.iterations.interrupted) cut off, \(results.iterations.dropped) not started); \
            requests \(results.requests.count) at \(LoadNumber.rate(results.requests.rate))/s, \(results.requests.errors) errors.</p>

            """
        if !results.thresholds.isEmpty {
            body += "<h2>Thresholds</h2>\n<table class=\"thresholds\"><tr><th>threshold</th><th>result</th></tr>\n"
            for outcome in results.thresholds {
                body += "<tr class=\"\(outcome.passed ? "pass" : "fail")\"><td><code>\(HTMLText.escape(outcome.threshold))</code></td>"
                body += "<td>\(HTMLText.escape(outcome.message))</td></tr>\n"
            }
            body += "</table>\n"
        }
        body += "<h2>Latency over time</h2>\n" + latencyChart(results.timeline)
        body += "<h2>Throughput over time</h2>\n" + throughputChart(results.timeline)
        body += "<h2>Latency percentile distribution</h2>\n" + distributionChart(results.distribution)
        body += "<h2>Requests by operation (ms)</h2>\n<table><tr><th>operation</th><th>count</th><th>/s</th><th>errors</th>"
        body += "<th>p50</th><th>p90</th><th>p95</th><th>p99</th><th>p99.9</th><th>max</th></tr>\n"
        body += operationRow("all requests", results.requests.latency, rate: results.requests.rate, errors: results.requests.errors)
        for operation in results.operations {
            body += operationRow(operation.operation, operation.latency, rate: operation.rate, errors: operation.errors)
        }
        body += "</table>\n<h2>Journeys by flow (ms, from the intended start)</h2>\n<table><tr><th>flow</th><th>setup</th><th>passed</th>"
        body += "<th>failed</th><th>p50</th><th>p95</th><th>p99</th><th>max</th></tr>\n"
        for flow in results.flows {
            let j = flow.journey
            let ms = { (value: Double) in j.count == 0 ? "—" : LoadNumber.milliseconds(value) }
            body += "<tr><td>\(HTMLText.escape(flow.name))</td><td>\(flow.setup)</td><td>\(flow.passed)</td><td>\(flow.failed)</td>"
            body += "<td>\(ms(j.p50))</td><td>\(ms(j.p95))</td><td>\(ms(j.p99))</td><td>\(ms(j.max))</td></tr>\n"
        }
        body += "</table>\n"
        let slowest = results.slowestSteps
        if !slowest.isEmpty {
            body += "<h2>Slowest steps (p95, ms)</h2>\n<table><tr><th>flow</th><th>step</th><th>count</th><th>failed</th><th>p95</th><th>p99</th></tr>\n"
            for step in slowest {
                body += "<tr><td>\(HTMLText.escape(step.flow))</td><td>\(HTMLText.escape(step.step))</td><td>\(step.latency.count)</td>"
                body +=
                    "<td>\(step.failed)</td><td>\(LoadNumber.milliseconds(step.latency.p95))</td><td>\(LoadNumber.milliseconds(step.latency.p99))</td></tr>\n"
            }
            body += "</table>\n"
        }
        if !results.errorsByKind.isEmpty {
            body += "<h2>Errors by kind</h2>\n<table><tr><th>kind</th><th>count</th></tr>\n"
            for (kind, count) in results.errorsByKind.sorted(by: { $0.value > $1.value }) {
                body += "<tr><td>\(HTMLText.escape(kind))</td><td>\(count)</td></tr>\n"
            }
            body += "</table>\n"
            if let first = results.firstFailure { body += "<p>First failure: \(HTMLText.escape(first))</p>\n" }
        }
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Load test: \(HTMLText.escape(verdict)) — \(HTMLText.escape(results.target))</title>
            <style>\(style)</style>
            </head>
            <body>
            \(body)</body>
            </html>

            """
    }

    static let style = """
        body { font-family: system-ui, sans-serif; margin: 2rem; color: #1b1f24; }
        .meta { color: #57606a; }
        table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; }
        th, td { border: 1px solid #d0d7de; padding: 0.25rem 0.5rem; text-align: right; }
        th:first-child, td:first-child { text-align: left; }
        .thresholds td { text-align: left; }
        tr.fail td { background: #ffebe9; } tr.pass td { background: #dafbe1; }
        svg { max-width: 100%; height: auto; } .axis { stroke: #57606a; } .grid { stroke: #eaeef2; }
        svg text { font-size: 11px; fill: #57606a; }
        .p50 { stroke: #0969da; } .p95 { stroke: #bf8700; } .p99 { stroke: #cf222e; } .requests { fill: #0969da; } .errors { fill: #cf222e; }
        .legend { font-size: 12px; }
        """

    private static func operationRow(_ name: String, _ s: LatencyStatistics, rate: Double, errors: Int) -> String {
        "<tr><td>\(HTMLText.escape(name))</td><td>\(s.count)</td><td>\(LoadNumber.rate(rate))</td><td>\(errors)</td>"
            + "<td>\(LoadNumber.milliseconds(s.p50))</td><td>\(LoadNumber.milliseconds(s.p90))</td><td>\(LoadNumber.milliseconds(s.p95))</td>"
            + "<td>\(LoadNumber.milliseconds(s.p99))</td><td>\(LoadNumber.milliseconds(s.p999))</td><td>\(LoadNumber.milliseconds(s.max))</td></tr>\n"
    }

    // MARK: Charts

    static let width = 760.0, height = 240.0, left = 56.0, bottom = 28.0, top = 12.0, right = 12.0

    private static func frame(xLabel: String, yLabel: String, yMax: Double, xTicks: [(Double, String)], content: String) -> String {
        let plotHeight = height - top - bottom
        var svg = "<svg viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(HTMLText.escape(yLabel)) by \(HTMLText.escape(xLabel))\">\n"
        for i in 0...4 {
            let value = yMax * Double(i) / 4
            let y = top + plotHeight * (1 - Double(i) / 4)
            svg += "<line class=\"grid\" x1=\"\(left)\" y1=\"\(f(y))\" x2=\"\(width - right)\" y2=\"\(f(y))\"/>"
            svg += "<text x=\"\(left - 4)\" y=\"\(f(y + 4))\" text-anchor=\"end\">\(LoadNumber.milliseconds(value))</text>\n"
        }
        for (x, label) in xTicks { svg += "<text x=\"\(f(x))\" y=\"\(f(height - 10))\" text-anchor=\"middle\">\(HTMLText.escape(label))</text>\n" }
        svg += "<line class=\"axis\" x1=\"\(left)\" y1=\"\(f(height - bottom))\" x2=\"\(width - right)\" y2=\"\(f(height - bottom))\"/>"
        svg += "<line class=\"axis\" x1=\"\(left)\" y1=\"\(top)\" x2=\"\(left)\" y2=\"\(f(height - bottom))\"/>\n"
        svg +=
            "<text x=\"12\" y=\"\(f(top + plotHeight / 2))\" transform=\"rotate(-90 12 \(f(top + plotHeight / 2)))\" text-anchor=\"middle\">\(HTMLText.escape(yLabel))</text>\n"
        svg += content + "</svg>\n"
        return svg
    }

    private static func f(_ value: Double) -> String { String(format: "%.1f", value) }

    private static func niceMax(_ value: Double) -> Double {
        guard value > 0 else { return 1 }
        let magnitude = pow(10, floor(log10(value)))
        for step in [1.0, 2, 2.5, 5, 10] where value <= step * magnitude { return step * magnitude }
        return 10 * magnitude
    }

    private static func timeTicks(_ count: Int) -> [(Double, String)] {
        let plotWidth = width - left - right
        let every = max(1, Int(niceMax(Double(max(count, 1)) / 8)))
        return stride(from: 0, through: max(count - 1, 0), by: every).map { second in
            (left + plotWidth * (count <= 1 ? 0 : Double(second) / Double(count - 1)), "\(second)s")
        }
    }

    static func latencyChart(_ timeline: [LoadResults.Second]) -> String {
        guard !timeline.isEmpty else { return "<p>No requests completed.</p>\n" }
        let yMax = niceMax(timeline.map(\.p99).max() ?? 1)
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        func x(_ i: Int) -> Double { left + plotWidth * (timeline.count <= 1 ? 0.5 : Double(i) / Double(timeline.count - 1)) }
        func y(_ v: Double) -> Double { top + plotHeight * (1 - min(v, yMax) / yMax) }
        var content = ""
        for (name, values) in [("p50", timeline.map(\.p50)), ("p95", timeline.map(\.p95)), ("p99", timeline.map(\.p99))] {
            let points = values.enumerated().map { "\(f(x($0.offset))),\(f(y($0.element)))" }.joined(separator: " ")
            content += "<polyline class=\"\(name)\" fill=\"none\" stroke-width=\"2\" points=\"\(points)\"><title>\(name)</title></polyline>\n"
        }
        content += "<text class=\"legend\" x=\"\(f(width - right))\" y=\"24\" text-anchor=\"end\">p50 (blue), p95 (amber), p99 (red), ms</text>\n"
        return frame(xLabel: "second", yLabel: "latency (ms)", yMax: yMax, xTicks: timeTicks(timeline.count), content: content)
    }

    static func throughputChart(_ timeline: [LoadResults.Second]) -> String {
        guard !timeline.isEmpty else { return "<p>No requests completed.</p>\n" }
        let yMax = niceMax(Double(timeline.map(\.requests).max() ?? 1))
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let barWidth = max(1, plotWidth / Double(timeline.count) - 1)
        var content = ""
        for (i, second) in timeline.enumerated() {
            let x = left + plotWidth * Double(i) / Double(timeline.count)
            let h = plotHeight * Double(second.requests) / yMax
            let e = plotHeight * Double(second.errors) / yMax
            content += "<rect class=\"requests\" x=\"\(f(x))\" y=\"\(f(top + plotHeight - h))\" width=\"\(f(barWidth))\" height=\"\(f(h))\">"
            content += "<title>\(i)s: \(second.requests) requests, \(second.errors) errors</title></rect>"
            if second.errors > 0 {
                content += "<rect class=\"errors\" x=\"\(f(x))\" y=\"\(f(top + plotHeight - e))\" width=\"\(f(barWidth))\" height=\"\(f(e))\"/>"
            }
            content += "\n"
        }
        content += "<text class=\"legend\" x=\"\(f(width - right))\" y=\"24\" text-anchor=\"end\">requests per second (blue), errors (red)</text>\n"
        return frame(xLabel: "second", yLabel: "requests/s", yMax: yMax, xTicks: timeTicks(timeline.count), content: content)
    }

    static func distributionChart(_ points: [PercentilePoint]) -> String {
        guard !points.isEmpty else { return "<p>No requests completed.</p>\n" }
        let yMax = niceMax(points.map(\.milliseconds).max() ?? 1)
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        // x = log10(1 / (1 − p)): 0 at p0, 1 at p90, 2 at p99, 3 at p99.9 … (the last point, p100, is drawn at the end).
        let maxX = 5.0
        func x(_ percentile: Double) -> Double {
            let position = percentile >= 100 ? maxX : min(maxX, log10(1 / (1 - percentile / 100)))
            return left + plotWidth * position / maxX
        }
        func y(_ v: Double) -> Double { top + plotHeight * (1 - min(v, yMax) / yMax) }
        let polyline = points.map { "\(f(x($0.percentile))),\(f(y($0.milliseconds)))" }.joined(separator: " ")
        let ticks: [(Double, String)] = [(0, "p0"), (90, "p90"), (99, "p99"), (99.9, "p99.9"), (99.99, "p99.99"), (100, "max")].map { (x($0.0), $0.1) }
        let content = "<polyline class=\"p95\" fill=\"none\" stroke-width=\"2\" points=\"\(polyline)\"><title>latency by percentile</title></polyline>\n"
        return frame(xLabel: "percentile", yLabel: "latency (ms)", yMax: yMax, xTicks: ticks, content: content)
    }
}
