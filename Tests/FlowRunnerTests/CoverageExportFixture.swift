import APITransport
import Foundation
import TextFileIO

@testable import CoverageGate
@testable import FlowCommands
@testable import FlowCore
@testable import FlowRuntime

/// Hand-made llvm-cov export JSON (format 3.0.1) for the coverage tests.
enum CoverageExportFixture {
    /// One file with `(count, covered)` pairs for lines, functions and regions.
    static func file(_ path: String, lines: (Int, Int), functions: (Int, Int) = (1, 1), regions: (Int, Int) = (1, 1)) -> FileCoverage {
        FileCoverage(
            path: path, lines: CoverageCounts(count: lines.0, covered: lines.1),
            functions: CoverageCounts(count: functions.0, covered: functions.1), regions: CoverageCounts(count: regions.0, covered: regions.1))
    }

    /// The export text for `files`, shaped like `swift test --enable-code-coverage` output (extra keys included, which
    /// the reader must ignore).
    static func json(_ files: [FileCoverage], version: String = "3.0.1") -> String {
        func counts(_ counts: CoverageCounts, notCovered: Bool = false) -> String {
            let percent = counts.count == 0 ? 0 : Double(counts.covered) * 100 / Double(counts.count)
            let extra = notCovered ? ",\"notcovered\":\(counts.count - counts.covered)" : ""
            return "{\"count\":\(counts.count),\"covered\":\(counts.covered)\(extra),\"percent\":\(percent)}"
        }
        let entries = files.map { file in
            """
            {"branches":[],"expansions":[],"filename":"\(file.path)","segments":[[1,1,0,true,true,false]],\
            "summary":{"branches":{"count":0,"covered":0,"notcovered":0,"percent":0},"functions":\(counts(file.functions)),\
            "instantiations":\(counts(file.functions)),"lines":\(counts(file.lines)),"mcdc":{"count":0,"covered":0,"notcovered":0,"percent":0},\
            "regions":\(counts(file.regions, notCovered: true))}}
            """
        }
        return """
            {"data":[{"files":[\(entries.joined(separator: ","))],"functions":[],"totals":{}}],\
            "type":"llvm.coverage.json.export","version":"\(version)"}
            """
    }
}
