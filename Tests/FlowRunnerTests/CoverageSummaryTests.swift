import APITransport
import Foundation
import Testing
import TextFileIO

@testable import CoverageGate
@testable import FlowCommands
@testable import FlowCore
@testable import FlowRuntime

@Suite("coverage summary")
struct CoverageSummaryTests {
    typealias Fixture = CoverageExportFixture

    @Test("percent is covered * 100 / count, and 100 when there is nothing to cover")
    func percent() {
        #expect(CoverageCounts(count: 5, covered: 4).percent == 80)
        #expect(CoverageCounts(count: 100, covered: 57).percent == 57)
        #expect(CoverageCounts(count: 3, covered: 1).percent == 100.0 / 3)
        #expect(CoverageCounts(count: 0, covered: 0).percent == 100)
        #expect(CoverageCounts(count: 2, covered: 1) + CoverageCounts(count: 3, covered: 3) == CoverageCounts(count: 5, covered: 4))
    }

    @Test("the export reader takes filename and lines/functions/regions count and covered of data[0].files")
    func readsExport() throws {
        let files = [
            Fixture.file("/p/Sources/A/a.swift", lines: (10, 7), functions: (3, 2), regions: (12, 8)),
            Fixture.file("/p/Tests/ATests/t.swift", lines: (4, 4)),
        ]
        let decoded = try CoverageExportReader.decode(Data(Fixture.json(files).utf8), path: "x.json")
        #expect(decoded == files)
    }

    @Test("an export of another version, of another shape or not JSON at all is rejected with the reason")
    func rejectsBadExports() {
        let file = Fixture.file("/p/Sources/A/a.swift", lines: (1, 1))
        #expect(throws: CoverageExportError.invalid(path: "x.json", reason: "version is '2.0.0', expected 3.x")) {
            try CoverageExportReader.decode(Data(Fixture.json([file], version: "2.0.0").utf8), path: "x.json")
        }
        #expect(throws: CoverageExportError.invalid(path: "x.json", reason: "not valid JSON")) {
            try CoverageExportReader.decode(Data("<html>".utf8), path: "x.json")
        }
        let noSummary = #"{"version":"3.0.1","type":"llvm.coverage.json.export","data":[{"files":[{"filename":"/a"}]}]}"#
        #expect(throws: CoverageExportError.invalid(path: "x.json", reason: "missing key 'summary' in data[0].files[0]")) {
            try CoverageExportReader.decode(Data(noSummary.utf8), path: "x.json")
        }
        #expect(throws: CoverageExportError.invalid(path: "x.json", reason: "'data' is empty")) {
            try CoverageExportReader.decode(Data(#"{"version":"3.1.0","data":[]}"#.utf8), path: "x.json")
        }
    }

    @Test("a missing export says to run swift test --enable-code-coverage")
    func missingExport() {
        let path = NSTemporaryDirectory() + "no-such-\(UUID().uuidString).json"
        #expect(throws: CoverageExportError.missing(path: path)) { try CoverageExportReader.read(contentsOf: path) }
        #expect(CoverageExportError.missing(path: path).description.contains("run `swift test --enable-code-coverage` first"))
    }

    @Test("only files in a module folder of <root>/Sources count: not dependency checkouts, Tests/, .build or other packages")
    func filtering() {
        let sources = "/no-such-root/pkg/Sources"
        #expect(ModuleCoverageGrouper.module(ofFile: "/no-such-root/pkg/Sources/BookingCore/Slots/Slot.swift", sourcesDirectory: sources) == "BookingCore")
        #expect(ModuleCoverageGrouper.module(ofFile: "/no-such-root/pkg/Sources/illajwala-api/main.swift", sourcesDirectory: sources) == "illajwala-api")
        #expect(ModuleCoverageGrouper.module(ofFile: "/no-such-root/pkg/Tests/FlowRunnerTests/Sources/x.swift", sourcesDirectory: sources) == nil)
        #expect(ModuleCoverageGrouper.module(ofFile: "/no-such-root/pkg/Tests/FlowRunnerTests/a.swift", sourcesDirectory: sources) == nil)
        #expect(
            ModuleCoverageGrouper.module(ofFile: "/no-such-root/pkg/.build/checkouts/swift-nio/Sources/NIOCore/Channel.swift", sourcesDirectory: sources)
                == nil)
        #expect(
            ModuleCoverageGrouper.module(ofFile: "/no-such-root/pkg/.build/x86_64/debug/FlowRuntime.build/DerivedSources/r.swift", sourcesDirectory: sources)
                == nil)
        #expect(ModuleCoverageGrouper.module(ofFile: "/no-such-root/pkg/Sources/loose.swift", sourcesDirectory: sources) == nil)
        #expect(ModuleCoverageGrouper.module(ofFile: "/no-such-root/pkg/SourcesExtra/A/a.swift", sourcesDirectory: sources) == nil)
        #expect(ModuleCoverageGrouper.module(ofFile: "/no-such-root/other/Sources/A/a.swift", sourcesDirectory: sources) == nil)
        #expect(ModuleCoverageGrouper.module(ofFile: "/no-such-root/pkg/Tests/../Sources/FlowRuntime/./a.swift", sourcesDirectory: sources) == "FlowRuntime")
    }

    @Test("paths are resolved: a symbolic link to the package root matches the real paths of the data")
    func symbolicLinks() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let real = try directory.write("real/Sources/A/a.swift", "")
        try FileManager.default.createSymbolicLink(atPath: directory.path + "/link", withDestinationPath: directory.path + "/real")
        let modules = ModuleCoverageGrouper.group([Fixture.file(real, lines: (2, 1))], packageRoot: directory.path + "/link")
        #expect(modules.map(\.name) == ["A"])
        #expect(modules.first?.lines == CoverageCounts(count: 2, covered: 1))
    }

    @Test("files are summed per module, modules sorted, folders without data listed with no files")
    func grouping() {
        let files = [
            Fixture.file("/r/Sources/FlowRuntime/a.swift", lines: (10, 9), functions: (4, 3), regions: (20, 15)),
            Fixture.file("/r/Sources/BookingCore/b.swift", lines: (5, 5), functions: (2, 2), regions: (6, 6)),
            Fixture.file("/r/Sources/FlowRuntime/Sub/c.swift", lines: (30, 21), functions: (6, 5), regions: (40, 20)),
            Fixture.file("/r/.build/checkouts/Yams/Sources/Yams/d.swift", lines: (100, 0)),
            Fixture.file("/r/Tests/FlowRunnerTests/e.swift", lines: (100, 100)),
        ]
        let modules = ModuleCoverageGrouper.group(files, packageRoot: "/r", knownModules: ["illajwala-flows", "FlowRuntime"])
        #expect(modules.map(\.name) == ["BookingCore", "FlowRuntime", "illajwala-flows"])
        #expect(
            modules[1]
                == ModuleCoverage(
                    name: "FlowRuntime", fileCount: 2, lines: CoverageCounts(count: 40, covered: 30), functions: CoverageCounts(count: 10, covered: 8),
                    regions: CoverageCounts(count: 60, covered: 35)))
        #expect(modules[2] == ModuleCoverage(name: "illajwala-flows"))
    }

    @Test("module folders on disk are listed, hidden folders and loose files skipped")
    func modulesOnDisk() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("Sources/B/b.swift", "")
        try directory.write("Sources/A/a.swift", "")
        try directory.write("Sources/.hidden/x.swift", "")
        try directory.write("Sources/loose.swift", "")
        #expect(ModuleCoverageGrouper.modulesOnDisk(packageRoot: directory.path) == ["A", "B"])
        #expect(ModuleCoverageGrouper.modulesOnDisk(packageRoot: directory.path + "/nowhere").isEmpty)
    }

    @Test("gating: below a minimum fails, at it passes, no data fails when gated, excluded and unlisted modules never fail")
    func gating() {
        let modules = [
            ModuleCoverage(name: "A", fileCount: 1, lines: CoverageCounts(count: 5, covered: 4)),
            ModuleCoverage(name: "B", fileCount: 2, lines: CoverageCounts(count: 10, covered: 6)),
            ModuleCoverage(name: "C", fileCount: 1, lines: CoverageCounts(count: 10, covered: 1)),
            ModuleCoverage(name: "tool", fileCount: 1, lines: CoverageCounts(count: 100, covered: 0)),
        ]
        let thresholds = CoverageThresholds(total: 50, modules: ["A": 80, "B": 70, "Gone": 10], excluded: ["tool", "cli"])
        let report = CoverageReport(modules: modules, thresholds: thresholds)
        #expect(report.modules.map(\.coverage.name) == ["A", "B", "C", "Gone", "cli", "tool"])
        #expect(report.modules.map(\.passed) == [true, false, true, false, true, true])
        #expect(report.modules.map(\.gate) == [.minimum(80), .minimum(70), .ungated, .minimum(10), .excluded, .excluded])
        // The total leaves the excluded modules out: 4 + 6 + 1 of 5 + 10 + 10 lines.
        #expect(report.total.coverage.lines == CoverageCounts(count: 25, covered: 11))
        #expect(report.total.coverage.fileCount == 4)
        #expect(!report.total.passed)
        #expect(!report.passed)
        #expect(report.verdict == "FAIL: line coverage below threshold: B 60.00% < 70%, Gone has no coverage data, total 44.00% < 50%")
    }

    @Test("the verdict of a passing report names what was gated")
    func passingVerdict() {
        let modules = [ModuleCoverage(name: "A", fileCount: 1, lines: CoverageCounts(count: 4, covered: 4))]
        #expect(
            CoverageReport(modules: modules, thresholds: CoverageThresholds(total: 72.5, modules: ["A": 100])).verdict
                == "PASS: line coverage meets every threshold (1 module and the total)")
        #expect(CoverageReport(modules: modules, thresholds: .empty).verdict == "PASS: no thresholds, nothing gated")
        #expect(CoverageReport(modules: modules, thresholds: .empty).passed)
    }
}
