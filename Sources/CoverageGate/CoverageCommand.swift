import FlowCore
import Foundation
import TextFileIO

/// The `illajwala-flows coverage` command: sums the llvm-cov export of `swift test --enable-code-coverage` per module of
/// the package's `Sources/`, checks line coverage against `coverage-thresholds.yaml`, prints a table and writes
/// `coverage.json` and `coverage.md`.
///
/// Exit statuses: 0 every gated module and the total meet their thresholds; 1 any is below (or has no data), or the
/// reports cannot be written; 2 a bad thresholds file, no `Sources/` folder, or no readable coverage data (nothing is checked).
public struct CoverageCommand: Sendable {
    /// Process exit status of a coverage check.
    public enum ExitStatus: Int32, Sendable {
        /// Every gated module and the total meet their thresholds (or nothing is gated).
        case passed = 0
        /// A module or the total is below its threshold or has no data, or the reports could not be written.
        case failed = 1
        /// Bad thresholds file, no `Sources/` folder, or no readable coverage data.
        case usage = 2
    }

    /// The name of the default thresholds file, looked up in the package root.
    public static let defaultThresholdsFileName = "coverage-thresholds.yaml"

    /// The llvm-cov export JSON; `nil` asks `swift test --show-codecov-path` in ``sourcesRoot``.
    public var codecovJSON: String?
    /// The thresholds file; `nil` uses `coverage-thresholds.yaml` in ``sourcesRoot`` when it exists (otherwise nothing is gated).
    public var thresholdsFile: String?
    /// Folder for `coverage.json` and `coverage.md` (default `reports/`).
    public var reportDirectory: String
    /// The package root: the folder holding `Sources/` (default the current directory).
    public var sourcesRoot: String
    private let locateCodecovJSON: @Sendable (_ packageRoot: String) throws -> String

    /// Creates the command; `locateCodecovJSON` finds the export when ``codecovJSON`` is `nil` (tests pass a stub;
    /// by default ``CodecovPathLocator/locate(packageRoot:)``).
    public init(
        codecovJSON: String? = nil, thresholdsFile: String? = nil, reportDirectory: String = "reports/", sourcesRoot: String = ".",
        locateCodecovJSON: @escaping @Sendable (_ packageRoot: String) throws -> String = { try CodecovPathLocator.locate(packageRoot: $0) }
    ) {
        self.codecovJSON = codecovJSON
        self.thresholdsFile = thresholdsFile
        self.reportDirectory = reportDirectory
        self.sourcesRoot = sourcesRoot
        self.locateCodecovJSON = locateCodecovJSON
    }

    /// Runs the command.
    /// - Parameters:
    ///   - standardOutput: receives the table, one line per call, then the verdict line (`PASS: …` or `FAIL: …`).
    ///   - standardError: receives `FILE:LINE:COL: message` diagnostics of the thresholds file and other errors, one per call.
    /// - Returns: the exit status.
    public func execute(standardOutput: (String) -> Void, standardError: (String) -> Void) -> ExitStatus {
        let root = ModuleCoverageGrouper.canonicalPath(sourcesRoot)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root + "/Sources", isDirectory: &isDirectory), isDirectory.boolValue else {
            standardError("no Sources/ folder in \(root): give the package root with --sources-root DIR")
            return .usage
        }

        let thresholds: CoverageThresholds
        do {
            if let loaded = try loadThresholds(root: root) {
                thresholds = loaded
            } else {
                standardError("no \(Self.defaultThresholdsFileName) in \(root): reporting coverage without thresholds")
                thresholds = .empty
            }
        } catch {
            for diagnostic in error.diagnostics { standardError(diagnostic.description) }
            return .usage
        }

        let exportPath: String
        if let codecovJSON {
            exportPath = codecovJSON
        } else {
            do {
                exportPath = try locateCodecovJSON(root)
            } catch {
                standardError("cannot find the coverage data: \(error)")
                return .usage
            }
        }
        let files: [FileCoverage]
        do {
            files = try CoverageExportReader.read(contentsOf: exportPath)
        } catch {
            standardError(error.description)
            return .usage
        }

        let modules = ModuleCoverageGrouper.group(files, packageRoot: root, knownModules: ModuleCoverageGrouper.modulesOnDisk(packageRoot: root))
        if !modules.contains(where: { $0.fileCount > 0 }) {
            standardError("no file of \(exportPath) is under \(root)/Sources/ (coverage of another checkout?); nothing to gate")
            return .usage
        }
        let report = CoverageReport(modules: modules, thresholds: thresholds)
        for line in CoverageTableFormatter.lines(report) { standardOutput(line) }

        var status: ExitStatus = report.passed ? .passed : .failed
        let directory = URL(fileURLWithPath: reportDirectory, isDirectory: true)
        do {
            try CoverageJSONWriter.write(report, to: directory.appendingPathComponent("coverage.json"))
            try CoverageMarkdownWriter.write(report, to: directory.appendingPathComponent("coverage.md"))
        } catch {
            standardError("cannot write reports to \(reportDirectory): \(error.localizedDescription)")
            status = .failed
        }
        standardOutput(status == .passed || !report.passed ? report.verdict : "FAIL: the reports could not be written")
        return status
    }

    /// The explicit thresholds file, or else the default one; `nil` when no file was given and the default one does not exist.
    private func loadThresholds(root: String) throws(FlowLoadError) -> CoverageThresholds? {
        let path = thresholdsFile ?? root + "/" + Self.defaultThresholdsFileName
        if thresholdsFile == nil, !FileManager.default.fileExists(atPath: path) { return nil }
        let text: String
        do {
            text = try TextFile.read(path)
        } catch {
            var diagnostic = error.diagnostic
            if diagnostic.location.line == 0 { diagnostic.message = "cannot read thresholds file" }
            throw FlowLoadError(diagnostics: [diagnostic])
        }
        return try CoverageThresholdsParser.parse(text, file: path)
    }
}
