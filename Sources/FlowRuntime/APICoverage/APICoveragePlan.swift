import FlowCore
import Foundation

/// What a run does about API coverage, decided from `--openapi` and `--min-api-coverage` before anything runs.
///
/// - The document exists: its operations are read now (a malformed document is a usage error), coverage is computed
///   after the run over *every* operation of the document, whatever flows `--name`/`--tag` selected.
/// - The document does not exist: coverage is skipped with a note — unless a minimum is required, which is then a
///   usage error (a gate that cannot be checked must not pass silently).
public struct APICoveragePlan: Sendable {
    /// The OpenAPI document's path as given.
    public let documentPath: String
    /// The document's operations, or `nil` when coverage is skipped.
    public let operations: [APIOperation]?
    /// Why coverage is skipped (one line, for the console and the summary), or `nil` when it is computed.
    public let skipReason: String?
    /// The least operation coverage in percent (0–100) a run must reach, or `nil` for no gate.
    public let minimumPercent: Double?

    /// Reads the document at `openAPIPath` (relative to the current directory or absolute).
    /// - Parameter minimumPercent: `--min-api-coverage`, 0 to 100, or `nil`.
    /// - Throws: ``APICoverageUsageError`` when the minimum is outside 0–100 (or not a number), when a minimum is given
    ///   but the document does not exist, or when the document cannot be read or is malformed (the message names the
    ///   file and line).
    public init(openAPIPath: String, minimumPercent: Double?) throws(APICoverageUsageError) {
        if let minimumPercent, !(minimumPercent.isFinite && (0...100).contains(minimumPercent)) {
            throw APICoverageUsageError("--min-api-coverage must be a percentage from 0 to 100, not \(Self.minimumText(minimumPercent))")
        }
        self.documentPath = openAPIPath
        self.minimumPercent = minimumPercent
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: openAPIPath, isDirectory: &isDirectory), !isDirectory.boolValue else {
            if minimumPercent != nil {
                throw APICoverageUsageError(
                    "--min-api-coverage needs an OpenAPI document, but \(openAPIPath) does not exist (give its path with --openapi PATH)")
            }
            operations = nil
            skipReason = "API coverage skipped: \(openAPIPath) does not exist (give the OpenAPI document with --openapi PATH)"
            return
        }
        do {
            operations = try OpenAPIOperationsReader.read(fileAt: openAPIPath)
        } catch {
            throw APICoverageUsageError("cannot read the OpenAPI document for API coverage: \(error.description)")
        }
        skipReason = nil
    }

    /// Coverage of `report`'s requests, or the reason it is skipped.
    public func outcome(for report: RunReport) -> APICoverageOutcome {
        guard let operations else { return .skipped(reason: skipReason ?? "API coverage skipped") }
        return .computed(APICoverageCalculator.coverage(of: report, operations: operations, document: documentPath))
    }

    /// The message line for a run whose coverage is below ``minimumPercent``, or `nil` when the gate holds (or there is
    /// none, or coverage was not computed).
    public func shortfall(of outcome: APICoverageOutcome) -> String? {
        guard let minimumPercent, let coverage = outcome.report, coverage.percent < minimumPercent else { return nil }
        return "API coverage \(coverage.totalsText) is below --min-api-coverage \(Self.minimumText(minimumPercent))%"
    }

    /// `50` for integral values, else the shortest decimal text (`42.55`).
    static func minimumText(_ value: Double) -> String {
        value.isFinite && value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
    }
}
