import APITransport
import Foundation
import Testing
import TextFileIO

@testable import CoverageGate
@testable import FlowCommands
@testable import FlowCore
@testable import FlowRuntime

@Suite("coverage reports")
struct CoverageReportWriterTests {
    /// A failing module, a passing one, an unlisted one, an excluded one without data; total gated at 80.
    static let report = CoverageReport(
        modules: [
            ModuleCoverage(
                name: "BookingCore", fileCount: 25, lines: CoverageCounts(count: 1300, covered: 1234),
                functions: CoverageCounts(count: 300, covered: 290), regions: CoverageCounts(count: 2000, covered: 1800)),
            ModuleCoverage(
                name: "FlowRuntime", fileCount: 3, lines: CoverageCounts(count: 3, covered: 2), functions: CoverageCounts(count: 0, covered: 0),
                regions: CoverageCounts(count: 6, covered: 1)),
            ModuleCoverage(name: "Extra|Pipe", fileCount: 1, lines: CoverageCounts(count: 1, covered: 1)),
            ModuleCoverage(name: "illajwala-api"),
        ],
        thresholds: CoverageThresholds(total: 80, modules: ["BookingCore": 90, "FlowRuntime": 72.5], excluded: ["illajwala-api"]))

    @Test("the table has a header, one aligned row per module and the total")
    func table() {
        #expect(
            CoverageTableFormatter.lines(Self.report) == [
                "Module         Files      Lines  Lines %  Functions %  Regions %  Threshold  Result",
                "BookingCore       25  1234/1300   94.92%       96.67%     90.00%        90%  PASS",
                "Extra|Pipe         1        1/1  100.00%      100.00%    100.00%          -  -",
                "FlowRuntime        3        2/3   66.67%      100.00%     16.67%      72.5%  FAIL",
                "illajwala-api      0    no data        -            -          -   excluded  -",
                "total             29  1237/1304   94.86%       96.67%     89.78%        80%  PASS",
            ])
    }

    @Test("coverage.json has counts, unrounded percentages, threshold (null when not gated), excluded and passed per row")
    func json() throws {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(CoverageJSONWriter.render(Self.report).utf8)) as? [String: Any])
        #expect(object["passed"] as? Bool == false)
        let modules = try #require(object["modules"] as? [[String: Any]])
        #expect(modules.map { $0["name"] as? String } == ["BookingCore", "Extra|Pipe", "FlowRuntime", "illajwala-api"])
        let flowKit = modules[2]
        #expect(flowKit["files"] as? Int == 3)
        #expect(flowKit["threshold"] as? Double == 72.5)
        #expect(flowKit["excluded"] as? Bool == false)
        #expect(flowKit["passed"] as? Bool == false)
        let lines = try #require(flowKit["lines"] as? [String: Any])
        #expect(lines["count"] as? Int == 3)
        #expect(lines["covered"] as? Int == 2)
        #expect(lines["percent"] as? Double == 200.0 / 3)
        #expect((flowKit["functions"] as? [String: Any])?["percent"] as? Double == 100)
        #expect(modules[1]["threshold"] is NSNull)
        #expect(modules[3]["excluded"] as? Bool == true)
        #expect(modules[3]["files"] as? Int == 0)
        let total = try #require(object["total"] as? [String: Any])
        #expect(total["name"] as? String == "total")
        #expect(total["threshold"] as? Double == 80)
        #expect((total["regions"] as? [String: Any])?["covered"] as? Int == 1801)
    }

    @Test("coverage.md has the verdict and a table row per module, the total in bold, pipes escaped")
    func markdown() {
        let text = CoverageMarkdownWriter.render(Self.report)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "# Code coverage")
        #expect(lines[2] == "❌ FAIL: line coverage below threshold: FlowRuntime 66.67% < 72.5%")
        #expect(lines[4] == "| Module | Files | Lines | Lines % | Functions % | Regions % | Threshold | Result |")
        #expect(lines[6] == "| BookingCore | 25 | 1234/1300 | 94.92% | 96.67% | 90.00% | 90% | ✅ PASS |")
        #expect(lines[7] == "| Extra\\|Pipe | 1 | 1/1 | 100.00% | 100.00% | 100.00% | - | - |")
        #expect(lines[9] == "| illajwala-api | 0 | no data | - | - | - | excluded | - |")
        #expect(lines[10] == "| **total** | 29 | 1237/1304 | 94.86% | 96.67% | 89.78% | 80% | ✅ PASS |")
        #expect(text.hasSuffix("on the same data.\n"))
    }

    @Test("percentages are rounded to two decimals like llvm-cov report, thresholds printed as written")
    func text() {
        #expect(CoverageText.percent(200.0 / 3) == "66.67%")
        #expect(CoverageText.percent(100) == "100.00%")
        #expect(CoverageText.percent(0) == "0.00%")
        #expect(CoverageText.threshold(80) == "80%")
        #expect(CoverageText.threshold(72.5) == "72.5%")
    }
}
