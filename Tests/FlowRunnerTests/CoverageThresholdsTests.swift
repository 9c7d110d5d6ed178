import APITransport
import Foundation
import Testing
import TextFileIO

@testable import CoverageGate
@testable import FlowCommands
@testable import FlowCore
@testable import FlowRuntime

@Suite("coverage thresholds file")
struct CoverageThresholdsTests {
    func errors(_ text: String) -> [String] {
        do {
            _ = try CoverageThresholdsParser.parse(text, file: "t.yaml")
            return []
        } catch {
            return error.diagnostics.map(\.description)
        }
    }

    @Test("total, modules and exclude are read; integers and decimals from 0 to 100")
    func valid() throws {
        let thresholds = try CoverageThresholdsParser.parse(
            """
            # comment
            total: 72.5
            modules:
              A: 90
              B: 0
              C: 100
            exclude: [tool, cli]
            """, file: "t.yaml")
        #expect(thresholds == CoverageThresholds(total: 72.5, modules: ["A": 90, "B": 0, "C": 100], excluded: ["tool", "cli"]))
        #expect(try CoverageThresholdsParser.parse("modules:\nexclude:\n", file: "t.yaml") == .empty)
    }

    @Test("the checked-in coverage-thresholds.yaml gates the four libraries and the total, excluding the executables")
    func checkedIn() throws {
        let url = PackageFolders.root.appendingPathComponent("coverage-thresholds.yaml")
        let thresholds = try CoverageThresholdsParser.parse(try String(contentsOf: url, encoding: .utf8), file: url.path)
        #expect(
            thresholds
                == CoverageThresholds(
                    total: 80,
                    modules: [
                        "BookingCore": 90, "BookingServer": 80, "APITransport": 70, "FlowCore": 80, "TextFileIO": 70, "FlowRuntime": 80, "CoverageGate": 80,
                        "FlowCommands": 70, "LoadTesting": 80, "LocalTarget": 70, "IllajwalaTesting": 70, "IllajwalaSwiftTesting": 70,
                        "IllajwalaXCTest": 70,
                    ],
                    excluded: ["illajwala-api", "illajwala-flows"]))
        // A new library module is gated from its first commit: every folder of Sources/ but the executables and the
        // generated build information has a threshold.
        let sources = try FileManager.default.contentsOfDirectory(atPath: PackageFolders.root.appendingPathComponent("Sources").path)
        #expect(Set(sources).subtracting(["illajwala-api", "illajwala-flows", "BuildInfo"]) == Set(thresholds.modules.keys))
    }

    @Test("unknown keys, non-numbers and numbers outside 0-100 are errors with FILE:LINE:COL")
    func badValues() {
        #expect(
            errors(
                """
                total: 80%
                minimum: 3
                modules:
                  A: 101
                  B: "90"
                  C: -1
                  D: true
                  E: .nan
                  F:
                """) == [
                    "t.yaml:1:8: 'total' must be a number from 0 to 100, found the string '80%'",
                    "t.yaml:2:1: unknown key 'minimum' in thresholds file (allowed: total, modules, exclude)",
                    "t.yaml:4:6: threshold of module 'A' must be from 0 to 100, found 101",
                    "t.yaml:5:6: threshold of module 'B' must be a number from 0 to 100, found a string",
                    "t.yaml:6:6: threshold of module 'C' must be from 0 to 100, found -1",
                    "t.yaml:7:6: threshold of module 'D' must be a number from 0 to 100, found a boolean",
                    "t.yaml:8:6: threshold of module 'E' must be from 0 to 100, found .nan",
                    "t.yaml:9:5: threshold of module 'F' must be a number from 0 to 100, found null",
                ])
    }

    @Test("badly shaped sections, a module both gated and excluded, YAML syntax errors and empty files are errors")
    func badShapes() {
        #expect(
            errors("modules: [A, B]\nexclude: tool\n") == [
                "t.yaml:1:10: 'modules' must be a mapping, found a list",
                "t.yaml:2:10: 'exclude' must be a list of module names, found the string 'tool'",
            ])
        #expect(
            errors("modules:\n  A: 50\nexclude:\n  - A\n  - 3\n") == [
                "t.yaml:4:5: module 'A' is excluded and also has a threshold under 'modules'; keep one",
                "t.yaml:5:5: a module name in 'exclude' must be a string, found a number (quote it)",
            ])
        #expect(errors("- 80\n") == ["t.yaml:1:1: thresholds file must be a mapping, found a list"])
        #expect(errors("total: [80\n").first?.hasPrefix("t.yaml:2:1: YAML syntax error") == true)
        #expect(errors("modules:\n  A: 1\n  A: 2\n").first?.contains("duplicate key 'A'") == true)
        #expect(errors("") == ["t.yaml:1:1: file is empty"])
    }
}
