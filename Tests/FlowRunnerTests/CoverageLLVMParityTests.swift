import APITransport
import Foundation
import Testing
import TextFileIO

@testable import CoverageGate
@testable import FlowCommands
@testable import FlowCore
@testable import FlowRuntime

/// Proves on real coverage data that the summariser's numbers are those of `llvm-cov report`: compiles a small program
/// with coverage instrumentation, runs it, exports the profile as JSON like SwiftPM does, runs the coverage command on
/// it and compares every module (and the total) with `llvm-cov report` restricted to that module's files.
@Suite("coverage numbers equal llvm-cov report")
struct CoverageLLVMParityTests {
    /// The fixture program's sources: three modules of `Sources/` (one never called), plus files that must not count:
    /// the entry point outside `Sources/`, a dependency checkout and a test helper.
    static let sources: [String: String] = [
        "Sources/ModA/Classify.swift": """
        func classify(_ value: Int) -> String {
            if value < 0 {
                return "negative"
            } else if value == 0 {
                return "zero"
            }
            switch value {
            case 1...9: return "small"
            case 10...99: return "medium"
            default: return "large"
            }
        }

        func neverCalled(_ values: [Int]) -> Int {
            values.reduce(0) { $0 + $1 * 2 }
        }
        """,
        "Sources/ModA/Shapes/Box.swift": """
        struct Box<Value> {
            var value: Value
            var isEmpty: Bool { false }
            func map<Other>(_ transform: (Value) -> Other) -> Box<Other> { Box<Other>(value: transform(value)) }
            func describe() -> String { "Box(\\(value))" }
        }

        func sumOfSquares(upTo limit: Int) -> Int {
            var total = 0
            for number in 1...max(limit, 1) where number % 2 == 1 {
                total += number * number
            }
            return total
        }
        """,
        "Sources/ModB/Parser.swift": """
        enum ParseFailure: Error { case empty, notANumber(String) }

        final class Parser {
            private(set) var parsed = 0
            func parse(_ text: String) throws -> Int {
                guard !text.isEmpty else { throw ParseFailure.empty }
                guard let number = Int(text) else { throw ParseFailure.notANumber(text) }
                defer { parsed += 1 }
                return number
            }
            func parseAll(_ texts: [String]) -> [Int] {
                texts.compactMap { text in
                    do { return try parse(text) } catch ParseFailure.empty { return nil } catch { return -1 }
                }
            }
        }
        """,
        "Sources/ModC/Unused.swift": """
        func unusedOne() -> Int { 1 }
        func unusedTwo(_ flag: Bool) -> Int {
            if flag { return 2 }
            return 3
        }
        """,
        "main.swift": """
        print(classify(-3), classify(0), classify(5), classify(500))
        print(Box(value: 2).map { $0 * 3 }.value, Box(value: "x").map { $0 + "y" }.describe())
        print(sumOfSquares(upTo: 7), Parser().parseAll(["1", "", "x", "4"]), dependencyValue(), testHelper())
        """,
        ".build/checkouts/Dependency/Sources/Dependency/Dependency.swift": """
        func dependencyValue() -> Int {
            var value = 0
            for step in 0..<3 { value += step }
            return value
        }
        """,
        "Tests/ModATests/Helper.swift": """
        func testHelper() -> String { "helper" }
        """,
    ]

    /// `llvm-cov report`'s TOTAL row.
    struct ReportTotals: Equatable, CustomStringConvertible {
        var regions: CoverageCounts
        var functions: CoverageCounts
        var lines: CoverageCounts
        /// The Cover columns as printed: regions, functions (Executed), lines.
        var printedPercents: [String]

        var description: String { "regions \(regions), functions \(functions), lines \(lines), printed \(printedPercents)" }

        /// Parses the table of `llvm-cov report` (columns Filename, Regions, Missed Regions, Cover, Functions,
        /// Missed Functions, Executed, Lines, Missed Lines, Cover, …).
        init(report text: String) throws {
            let rows = text.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
            let expectedHeader = [
                "Filename", "Regions", "Missed", "Regions", "Cover", "Functions", "Missed", "Functions", "Executed",
                "Lines", "Missed", "Lines", "Cover",
            ]
            let header = try #require(rows.first { $0.first == "Filename" }, "no header in:\n\(text)")
            try #require(Array(header.prefix(expectedHeader.count)) == expectedHeader, "unexpected header: \(header)")
            let total = try #require(rows.last { $0.first == "TOTAL" }, "no TOTAL row in:\n\(text)")
            try #require(total.count >= 10, "short TOTAL row: \(total)")
            func counts(_ countIndex: Int) throws -> CoverageCounts {
                let count = try #require(Int(total[countIndex]))
                let missed = try #require(Int(total[countIndex + 1]))
                return CoverageCounts(count: count, covered: count - missed)
            }
            regions = try counts(1)
            functions = try counts(4)
            lines = try counts(7)
            printedPercents = [total[3], total[6], total[9]]
        }
    }

    @Test(
        "every module's and the total's lines, functions and regions equal llvm-cov report on the same profile",
        .enabled(if: CoverageToolchain.located != nil, "no swiftc with llvm-profdata and llvm-cov beside it in PATH"),
        .timeLimit(.minutes(2)))
    func parity() throws {
        let tools = try #require(CoverageToolchain.located)
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let root = directory.path
        var files: [String] = []
        for (path, text) in Self.sources.sorted(by: { $0.key < $1.key }) { try files.append(directory.write(path, text + "\n")) }

        let program = root + "/fixture"
        try Self.check(
            Subprocess.run(
                tools.swiftc, ["-profile-generate", "-profile-coverage-mapping", "-Onone", "-module-name", "Fixture", "-o", program] + files,
                in: root), "swiftc")
        let ran = try Subprocess.run(program, [], in: root, environment: ["LLVM_PROFILE_FILE": root + "/fixture.profraw"])
        try Self.check(ran, "fixture program")
        #expect(String(decoding: ran.standardOutput, as: UTF8.self).hasPrefix("negative zero small large"))
        let profile = root + "/fixture.profdata"
        try Self.check(Subprocess.run(tools.llvmProfdata, ["merge", "-sparse", "-o", profile, root + "/fixture.profraw"]), "llvm-profdata")
        let exported = try Subprocess.run(tools.llvmCov, ["export", "-format=text", "-instr-profile=" + profile, program])
        try Self.check(exported, "llvm-cov export")
        let export = root + "/export.json"
        try exported.standardOutput.write(to: URL(fileURLWithPath: export))

        // The data has every compiled file; only the four of Sources/ may count.
        #expect(try CoverageExportReader.read(contentsOf: export).count == Self.sources.count)

        try directory.write("thresholds.yaml", "total: 1\nmodules:\n  ModA: 50\n  ModC: 0.01\n")
        let output = OutputCollector()
        let errors = OutputCollector()
        let status = CoverageCommand(
            codecovJSON: export, thresholdsFile: root + "/thresholds.yaml", reportDirectory: root + "/reports", sourcesRoot: root
        ).execute(standardOutput: output.add, standardError: errors.add)
        #expect(errors.lines.isEmpty)
        #expect(status == .failed, "ModC is never called: 0% < 0.01%")
        #expect(output.lines.last == "FAIL: line coverage below threshold: ModC 0.00% < 0.01%")

        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: root + "/reports/coverage.json"))) as? [String: Any])
        let modules = try #require(json["modules"] as? [[String: Any]])
        let total = try #require(json["total"] as? [String: Any])
        let entries = modules + [total]
        #expect(entries.compactMap { $0["name"] as? String } == ["ModA", "ModB", "ModC", "total"])
        for entry in entries {
            let name = try #require(entry["name"] as? String)
            let moduleFiles = files.filter { name == "total" ? $0.hasPrefix(root + "/Sources/") : $0.hasPrefix(root + "/Sources/\(name)/") }
            let report = try Subprocess.run(tools.llvmCov, ["report", program, "-instr-profile=" + profile] + moduleFiles)
            try Self.check(report, "llvm-cov report \(name)")
            let reference = try ReportTotals(report: String(decoding: report.standardOutput, as: UTF8.self))
            let measured = try ReportTotals(summary: entry)
            #expect(measured.regions == reference.regions, "\(name): regions")
            #expect(measured.functions == reference.functions, "\(name): functions")
            #expect(measured.lines == reference.lines, "\(name): lines")
            #expect(measured.printedPercents == reference.printedPercents, "\(name): percentages as printed")
            #expect(entry["files"] as? Int == moduleFiles.count, "\(name): files")
        }
    }

    private static func check(_ outcome: Subprocess.Outcome, _ what: String) throws {
        try #require(outcome.status == 0, "\(what) failed with status \(outcome.status): \(outcome.errorText)")
    }
}

extension CoverageLLVMParityTests.ReportTotals {
    /// The same figures from one row of `coverage.json`.
    init(summary entry: [String: Any]) throws {
        func counts(_ key: String) throws -> (CoverageCounts, String) {
            let object = try #require(entry[key] as? [String: Any], "no \(key)")
            let counts = CoverageCounts(count: try #require(object["count"] as? Int), covered: try #require(object["covered"] as? Int))
            #expect(object["percent"] as? Double == counts.percent)
            return (counts, CoverageText.percent(counts.percent))
        }
        let regions = try counts("regions")
        let functions = try counts("functions")
        let lines = try counts("lines")
        self.regions = regions.0
        self.functions = functions.0
        self.lines = lines.0
        printedPercents = [regions.1, functions.1, lines.1]
    }
}
