import APITransport
import Foundation
import Testing
import TextFileIO

@testable import CoverageGate
@testable import FlowCommands
@testable import FlowCore
@testable import FlowRuntime

@Suite("summary.md report")
struct MarkdownSummaryWriterTests {
    @Test("failures come first, then flaky and skipped flows, API coverage, all flows, and the full failure texts")
    func order() throws {
        let coverage = APICoverageCalculator.coverage(
            of: ReportFixtures.richReport(), operations: [APIOperation(method: "GET", pathTemplate: "/api/clinics", declaredStatusCodes: ["200"])],
            document: "openapi.yaml")
        let markdown = MarkdownSummaryWriter.render(ReportFixtures.richReport(), apiCoverage: .computed(coverage))
        let headings = markdown.split(separator: "\n").filter { $0.hasPrefix("## ") }.map(String.init)
        #expect(headings == ["## Failed flows", "## Flaky flows", "## Skipped flows", "## API coverage", "## All flows", "## Failures"])
        #expect(markdown.contains("5 passed, 1 failed, 1 skipped in 2.500 s · 1 flaky · base URL `http://127.0.0.1:8080`"))
        #expect(markdown.contains("**The run stopped early: SIGINT.**"))
        #expect(markdown.contains("| \(ReportFixtures.scriptName) | More/patient/book.yaml | ❌ failed | pay | step 'pay': status 402, expected 200 |"))
        #expect(markdown.contains("| Flaky | admin/a.yaml | 2 | step 'list': status 500, expected 200 |"))
        #expect(markdown.contains("| Never | admin/a.yaml | not run |"))
        #expect(markdown.contains("1/1 operations (100%) of `openapi.yaml` exercised"))
        #expect(markdown.contains("| Flaky | admin/a.yaml | ✅ passed (flaky) | 0.300 |"))
        #expect(markdown.contains("| Book [mode=clinic] | Flows/patient/book.yaml | ✅ passed | 0.700 |"))
    }

    @Test("a run without failures has no failure sections; skipped coverage shows why")
    func passingRun() {
        let source = FlowSource(path: "a.yaml", suiteName: "a.yaml")
        let passed = FlowResult(name: "ok", source: source, status: .passed, steps: [], startedAt: Date(), duration: .seconds(1), failure: nil)
        let markdown = MarkdownSummaryWriter.render(
            RunReport(target: "t", startedAt: Date(), duration: .seconds(1), results: [passed]),
            apiCoverage: .skipped(reason: "API coverage skipped: no document"))
        #expect(!markdown.contains("## Failed flows"))
        #expect(!markdown.contains("## Failures"))
        #expect(!markdown.contains("## Flaky flows"))
        #expect(markdown.contains("## API coverage\n\nAPI coverage skipped: no document"))
        #expect(markdown.contains("| ok | a.yaml | ✅ passed | 1.000 |"))
    }

    @Test("cells stay on one line with pipes escaped; code spans outgrow backticks in the text")
    func markdownText() {
        #expect(MarkdownText.cell("a|b\nc") == "a\\|b c")
        #expect(MarkdownText.code("a`b") == "``a`b``")
        #expect(MarkdownText.code("`x") == "`` `x ``")
        #expect(MarkdownText.code("") == "")
        #expect(MarkdownText.fencedBlock("```") == ["````text", "```", "````"])
    }
}
