import APITransport
import Foundation
import Testing
import TextFileIO

@testable import CoverageGate
@testable import FlowCommands
@testable import FlowCore
@testable import FlowRuntime

@Suite("report.html")
struct HTMLReportWriterTests {
    static func html() -> String {
        let report = ReportFixtures.richReport()
        let coverage = APICoverageCalculator.coverage(
            of: report, operations: [APIOperation(method: "GET", pathTemplate: "/api/clinics", operationId: "listClinics", declaredStatusCodes: ["200"])],
            document: "openapi.yaml")
        return HTMLReportWriter.render(report, apiCoverage: .computed(coverage))
    }

    @Test("overview with the tally, count tiles and proportional bar; failures open, passed flows collapsed")
    func overview() {
        let html = Self.html()
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<p id=\"tally\">5 passed, 1 failed, 1 skipped</p>"))
        #expect(html.contains("<div class=\"count flaky\"><b>1</b>flaky</div>"))
        #expect(html.contains("<span class=\"passed\" style=\"width: 71.43%\"></span>"))
        #expect(html.contains("id=\"verdict\">FAILED — 1 of 7 flows did not pass"))
        #expect(html.contains("The run stopped early: SIGINT"))
        #expect(html.contains("<details class=\"flow failed\" id=\"flow-1\" open>"), "the failed flow comes first, expanded")
        #expect(html.contains("<details class=\"flow passed\" id=\"flow-2\">"), "passed flows are collapsed")
        #expect(html.contains("<details class=\"flow flaky\""))
        #expect(html.contains("<details class=\"exchange\" open>"), "the failed step's request and response are expanded")
        #expect(html.contains("<pre class=\"curl\">curl -X POST &#39;http://127.0.0.1:8080/api/payments/verify&#39; -H &#39;Authorization: ***&#39;</pre>"))
        #expect(html.contains("Attempt 1 failed: step &#39;list&#39;: status 500, expected 200"))
        #expect(html.contains("<span class=\"phase\">setup</span> log in"))
        #expect(html.contains("1/1 operations (100%)"))
    }

    @Test("step bars are placed and sized in proportion to the flow's duration")
    func timeline() {
        let html = Self.html()
        // The video case: steps of 50, 400, 50, 50, 50 ms in a 700 ms flow.
        #expect(html.contains("style=\"left: 0%; width: 7.14%\""))
        #expect(html.contains("style=\"left: 7.14%; width: 57.14%\""))
        #expect(html.contains("style=\"left: 64.29%; width: 7.14%\""))
        #expect(HTMLText.percent(0.5) == "50%")
        #expect(HTMLText.percent(2) == "100%")
        #expect(HTMLText.percent(.nan) == "0%")
        #expect(HTMLText.percent(0.0005) == "0.05%")
    }

    @Test("every recorded text is escaped: a flow name or failure holding <script> stays text")
    func escaping() {
        let html = Self.html()
        #expect(html.contains("Book &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; pay"))
        #expect(html.contains("&lt;/pre&gt;&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!html.contains("<script>alert"))
        #expect(html.components(separatedBy: "<script>").count == 2, "only the report's own script")
        #expect(HTMLText.escape("a<b>&\"'\u{0}") == "a&lt;b&gt;&amp;&quot;&#39;")
    }

    @Test("self-contained: no external resource — only the run's own URLs, as text")
    func selfContained() throws {
        let html = Self.html()
        let lowered = html.lowercased()
        for forbidden in ["src=", "@import", "url(", "<link", "<iframe", "<img", "<object", "<embed"] {
            #expect(!lowered.contains(forbidden), "\(forbidden) in report.html")
        }
        let hrefs = try Regex(#"href\s*=\s*["']?([^"'\s>]*)"#)
        for match in lowered.matches(of: hrefs) {
            let target = match.output[1].substring.map(String.init) ?? ""
            #expect(target.hasPrefix("#"), "external link \(target)")
        }
        // Every http(s) URL in the page is one the run recorded, shown as text (escaped), never in an attribute.
        let allowed = ["http://127.0.0.1:8080", "https://example.org/x"]
        for match in html.matches(of: try Regex(#"https?://[^\s<"'&]*"#)) {
            let url = String(html[match.range])
            #expect(allowed.contains { url.hasPrefix($0) }, "unexpected URL \(url)")
            let before = html[..<match.range.lowerBound]
            let lastOpen = before.lastIndex(of: "<")
            let lastClose = before.lastIndex(of: ">")
            #expect(lastClose != nil && (lastOpen.map { lastClose! > $0 } ?? true), "URL inside a tag: \(url)")
        }
        #expect(html.contains("content=\"default-src 'none';"), "a Content-Security-Policy forbids every fetch")
    }

    @Test(
        "renders in headless Chromium (scripts/check-html-report.sh)",
        .enabled(if: ExternalTools.chromium != nil, "requires chromium (apt-get install chromium; .ci/run installs it)"))
    func rendersInChromium() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = directory.path + "/report.html"
        try Data(Self.html().utf8).write(to: URL(fileURLWithPath: file))
        let script = ExternalTools.packageRoot.appendingPathComponent("scripts/check-html-report.sh").path
        let outcome = try Subprocess.run("/bin/bash", [script, file, "Book &lt;script&gt;alert"])
        #expect(outcome.status == 0, "\(outcome.errorText)")
        #expect(String(decoding: outcome.standardOutput, as: UTF8.self).contains("5 passed, 1 failed, 1 skipped, 7 flows rendered"))

        // The check is not vacuous: a page whose markup swallows flows fails it.
        let broken = directory.path + "/broken.html"
        try Data(Self.html().replacingOccurrences(of: "<details class=\"flow passed\" id=\"flow-2\">", with: "<!-- ").utf8)
            .write(to: URL(fileURLWithPath: broken))
        let failing = try Subprocess.run("/bin/bash", [script, broken])
        #expect(failing.status == 1, "\(failing.errorText)")
    }
}
