import APITransport
import Foundation
import Testing
import TextFileIO

@testable import CoverageGate
@testable import FlowCommands
@testable import FlowCore
@testable import FlowRuntime

@Suite("coverage command")
struct CoverageCommandTests {
    typealias Fixture = CoverageExportFixture

    /// A package folder with `Sources/A`, `Sources/B` and `Sources/tool`, an export of `A` at 90% and `B` at 60% plus
    /// a dependency checkout and a test file that must not count, and a thresholds file.
    struct Package {
        let directory: TemporaryDirectory
        let export: String

        init(thresholds: String? = "total: 70\nmodules:\n  A: 80\n  B: 50\nexclude: [tool]\n") throws {
            directory = try TemporaryDirectory()
            let root = directory.path
            try directory.write("Sources/A/a.swift", "")
            try directory.write("Sources/B/b.swift", "")
            try directory.write("Sources/tool/main.swift", "")
            if let thresholds { try directory.write(CoverageCommand.defaultThresholdsFileName, thresholds) }
            export = try directory.write(
                ".build/debug/codecov/Pkg.json",
                Fixture.json([
                    Fixture.file(root + "/Sources/A/a.swift", lines: (10, 9), functions: (2, 2), regions: (4, 3)),
                    Fixture.file(root + "/Sources/B/b.swift", lines: (10, 6), functions: (3, 1), regions: (5, 2)),
                    Fixture.file(root + "/.build/checkouts/dep/Sources/Dep/d.swift", lines: (1000, 0)),
                    Fixture.file(root + "/Tests/ATests/t.swift", lines: (50, 50)),
                ]))
        }

        var root: String { directory.path }
        var reports: String { directory.path + "/out" }

        func run(
            codecovJSON: String?? = nil, thresholdsFile: String? = nil, sourcesRoot: String? = nil,
            locate: @escaping @Sendable (String) throws -> String = { _ in
                Issue.record("locate called")
                return ""
            }
        ) -> (status: CoverageCommand.ExitStatus, output: [String], errors: [String]) {
            let output = OutputCollector()
            let errors = OutputCollector()
            let command = CoverageCommand(
                codecovJSON: codecovJSON ?? export, thresholdsFile: thresholdsFile, reportDirectory: reports,
                sourcesRoot: sourcesRoot ?? root, locateCodecovJSON: locate)
            let status = command.execute(standardOutput: output.add, standardError: errors.add)
            return (status, output.lines, errors.lines)
        }
    }

    @Test("meeting every threshold exits 0, prints the table and the verdict, writes coverage.json and coverage.md")
    func passes() throws {
        let package = try Package()
        defer { package.directory.remove() }
        let result = package.run()
        #expect(result.status == .passed)
        #expect(result.errors.isEmpty)
        #expect(
            result.output == [
                "Module  Files    Lines  Lines %  Functions %  Regions %  Threshold  Result",
                "A           1     9/10   90.00%      100.00%     75.00%        80%  PASS",
                "B           1     6/10   60.00%       33.33%     40.00%        50%  PASS",
                "tool        0  no data        -            -          -   excluded  -",
                "total       2    15/20   75.00%       60.00%     55.56%        70%  PASS",
                "PASS: line coverage meets every threshold (2 modules and the total)",
            ])
        let json = try String(contentsOfFile: package.reports + "/coverage.json", encoding: .utf8)
        #expect(json.contains("\"passed\" : true"))
        let markdown = try String(contentsOfFile: package.reports + "/coverage.md", encoding: .utf8)
        #expect(markdown.contains("| **total** | 2 | 15/20 | 75.00% |"))
    }

    @Test("a module below its threshold exits 1 and names it; the reports are still written")
    func belowThreshold() throws {
        let package = try Package(thresholds: "modules:\n  A: 80\n  B: 60.5\n")
        defer { package.directory.remove() }
        let result = package.run()
        #expect(result.status == .failed)
        #expect(result.output.last == "FAIL: line coverage below threshold: B 60.00% < 60.5%")
        #expect(result.output.contains("tool        0  no data        -            -          -          -  -"))
        #expect(FileManager.default.fileExists(atPath: package.reports + "/coverage.md"))
        let data = try Data(contentsOf: URL(fileURLWithPath: package.reports + "/coverage.json"))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["passed"] as? Bool == false)
    }

    @Test("the total below its threshold exits 1")
    func totalBelow() throws {
        let package = try Package(thresholds: "total: 75.01\n")
        defer { package.directory.remove() }
        let result = package.run()
        #expect(result.status == .failed)
        #expect(result.output.last == "FAIL: line coverage below threshold: total 75.00% < 75.01%")
    }

    @Test("a bad thresholds file exits 2 with FILE:LINE:COL errors, prints no table and writes no report")
    func badThresholds() throws {
        let package = try Package(thresholds: "total: 80\nmodules:\n  A: 120\nfloor: 3\n")
        defer { package.directory.remove() }
        let result = package.run()
        let file = package.root + "/" + CoverageCommand.defaultThresholdsFileName
        #expect(result.status == .usage)
        #expect(
            result.errors == [
                "\(file):3:6: threshold of module 'A' must be from 0 to 100, found 120",
                "\(file):4:1: unknown key 'floor' in thresholds file (allowed: total, modules, exclude)",
            ])
        #expect(result.output.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: package.reports))
    }

    @Test("an explicit thresholds file that does not exist exits 2; a missing default one gates nothing")
    func thresholdsFileMissing() throws {
        let package = try Package(thresholds: nil)
        defer { package.directory.remove() }
        let missing = package.root + "/nope.yaml"
        let explicit = package.run(thresholdsFile: missing)
        #expect(explicit.status == .usage)
        #expect(explicit.errors == ["\(missing): cannot read thresholds file"])
        let defaulted = package.run()
        #expect(defaulted.status == .passed)
        #expect(defaulted.errors == ["no coverage-thresholds.yaml in \(package.root): reporting coverage without thresholds"])
        #expect(defaulted.output.last == "PASS: no thresholds, nothing gated")
    }

    @Test("missing coverage data exits 2 and says to run swift test --enable-code-coverage")
    func missingData() throws {
        let package = try Package()
        defer { package.directory.remove() }
        let path = package.root + "/none.json"
        let result = package.run(codecovJSON: path)
        #expect(result.status == .usage)
        #expect(
            result.errors == [
                "no coverage data at \(path): run `swift test --enable-code-coverage` first (or pass --codecov-json PATH)"
            ])
        #expect(result.output.isEmpty)
    }

    @Test("without --codecov-json the export is located from the package root; a failed lookup exits 2")
    func locates() throws {
        let package = try Package()
        defer { package.directory.remove() }
        let export = package.export
        let root = ModuleCoverageGrouper.canonicalPath(package.root)
        let located = package.run(
            codecovJSON: .some(nil),
            locate: { asked in
                #expect(asked == root)
                return export
            })
        #expect(located.status == .passed)
        struct Failure: Error, CustomStringConvertible { var description: String { "swift not found" } }
        let failed = package.run(codecovJSON: .some(nil), locate: { _ in throw Failure() })
        #expect(failed.status == .usage)
        #expect(failed.errors == ["cannot find the coverage data: swift not found"])
    }

    @Test("a folder without Sources/ exits 2; data of another checkout is reported as such and exits 2 (nothing to gate)")
    func wrongRoot() throws {
        let package = try Package()
        defer { package.directory.remove() }
        let elsewhere = try TemporaryDirectory()
        defer { elsewhere.remove() }
        let noSources = package.run(sourcesRoot: elsewhere.path)
        #expect(noSources.status == .usage)
        #expect(
            noSources.errors == ["no Sources/ folder in \(ModuleCoverageGrouper.canonicalPath(elsewhere.path)): give the package root with --sources-root DIR"])
        try elsewhere.write("Sources/A/a.swift", "")
        let other = package.run(thresholdsFile: package.root + "/" + CoverageCommand.defaultThresholdsFileName, sourcesRoot: elsewhere.path)
        #expect(other.status == .usage)
        #expect(
            other.errors == [
                "no file of \(package.export) is under \(ModuleCoverageGrouper.canonicalPath(elsewhere.path))/Sources/ (coverage of another checkout?); nothing to gate"
            ])
        #expect(other.output.isEmpty)
    }

    @Test("reports that cannot be written exit 1")
    func unwritableReports() throws {
        let package = try Package()
        defer { package.directory.remove() }
        try package.directory.write("out", "a file where the report folder should be")
        let result = package.run()
        #expect(result.status == .failed)
        #expect(result.errors.first?.hasPrefix("cannot write reports to \(package.reports): ") == true)
        #expect(result.output.last == "FAIL: the reports could not be written")
    }

    @Test(
        "SwiftPM tells where the coverage export of a package goes",
        .enabled(if: CoverageToolchain.located?.swift != nil, "no `swift` beside `swiftc` in PATH"), .timeLimit(.minutes(2)))
    func swiftPMPath() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write(
            "Package.swift",
            "// swift-tools-version:5.9\nimport PackageDescription\nlet package = Package(name: \"Probe\", targets: [.target(name: \"Probe\")])\n")
        try directory.write("Sources/Probe/p.swift", "public func probe() {}\n")
        // SwiftPM leaves an empty lock file named after the scratch folder in the system temporary folder; remove it too.
        let lockFile = NSTemporaryDirectory() + (directory.path + "/.build").replacingOccurrences(of: "/", with: "_") + ".lock"
        defer { try? FileManager.default.removeItem(atPath: lockFile) }
        let path = try CodecovPathLocator.locate(packageRoot: directory.path)
        #expect(path.hasSuffix("/debug/codecov/Probe.json"))
        #expect(ModuleCoverageGrouper.canonicalPath(path).hasPrefix(ModuleCoverageGrouper.canonicalPath(directory.path) + "/.build/"))
    }
}
