import FlowRuntime
import Foundation

/// The `illajwala-flows merge-reports DIR… --report-dir OUT` command: joins the report folders of the shards of one
/// run (`run --shard I/N`) into one set of the six reports, as if one machine had run every flow.
///
/// Each folder's `flows.json` is read back (``FlowsJSONReader``); the merged report holds every shard's flows in
/// shard order, starts at the earliest shard's start and lasts until the last shard ended; JUnit case names are made
/// unique across shards, and API coverage is computed again from every shard's requests (so an operation one shard
/// exercised and another did not counts once, as covered).
///
/// It refuses — exit 2, nothing written — folders that are not shards of one run: a missing or unreadable
/// `flows.json`, a whole run (no shard), different targets, shard counts or run ids (`--run-id`), the same shard
/// twice, or missing shards. Exit 0 when every merged flow passed (flaky ones too), 1 when any failed or errored
/// or a shard was interrupted.
public struct MergeReportsCommand: Sendable {
    /// Exit status of a merge.
    public enum ExitStatus: Int32, Sendable {
        case passed = 0
        case failed = 1
        case usage = 2
    }

    /// The shards' report folders.
    public var folders: [String]
    /// Where the merged reports go.
    public var reportDirectory: String
    /// The OpenAPI document API coverage is computed against (skipped with a note when it does not exist).
    public var openAPIPath: String

    public init(folders: [String], reportDirectory: String, openAPIPath: String = "openapi.yaml") {
        self.folders = folders
        self.reportDirectory = reportDirectory
        self.openAPIPath = openAPIPath
    }

    /// Reads, checks and merges the folders, then writes the six reports.
    /// - Returns: the exit status (see the type's documentation).
    public func execute(standardOutput: (String) -> Void, standardError: (String) -> Void) -> ExitStatus {
        let merged: RunReport
        switch merge() {
        case .success(let report): merged = report
        case .failure(let problem):
            standardError("merge-reports: \(problem.description); nothing was written")
            return .usage
        }
        let coverage: APICoveragePlan
        do {
            coverage = try APICoveragePlan(openAPIPath: openAPIPath, minimumPercent: nil)
        } catch {
            standardError("merge-reports: \(error.description); nothing was written")
            return .usage
        }
        let directory = URL(fileURLWithPath: reportDirectory, isDirectory: true)
        let written: [URL]
        do {
            written = try ReportDirectory.write(merged, to: directory, options: ReportDirectory.Options(apiCoverage: coverage.outcome(for: merged)))
        } catch {
            standardError("merge-reports: cannot write reports to \(reportDirectory): \(error.localizedDescription)")
            return .failed
        }
        if let note = coverage.skipReason { standardError("note: \(note)") }
        standardOutput(
            "merged \(folders.count) shard\(folders.count == 1 ? "" : "s") of \(merged.target): \(merged.tally)"
                + (merged.flakyCount > 0 ? " (\(merged.flakyCount) flaky)" : ""))
        standardOutput("reports: \(written.map(\.lastPathComponent).joined(separator: ", ")) in \(reportDirectory)")
        let failed = merged.failedCount + merged.erroredCount > 0 || merged.interruption != nil
        return failed ? .failed : .passed
    }

    /// Why folders cannot be merged.
    struct Problem: Error, CustomStringConvertible {
        var description: String
    }

    /// The shards read and checked, joined into one report.
    func merge() -> Result<RunReport, Problem> {
        guard !folders.isEmpty else { return .failure(Problem(description: "name the shards' report folders")) }
        let output = URL(fileURLWithPath: reportDirectory, isDirectory: true).standardizedFileURL.path
        if let input = folders.first(where: { URL(fileURLWithPath: $0, isDirectory: true).standardizedFileURL.path == output }) {
            return .failure(Problem(description: "--report-dir \(reportDirectory) is the shard folder \(input): merging into it would overwrite the shard"))
        }
        var shards: [(folder: String, report: RunReport, shard: FlowShard)] = []
        for folder in folders {
            let file = URL(fileURLWithPath: folder, isDirectory: true).appendingPathComponent(ReportDirectory.flowsJSONFileName)
            let report: RunReport
            do throws(FlowsJSONReader.ReadError) {
                report = try FlowsJSONReader.read(file)
            } catch {
                return .failure(Problem(description: error.description))
            }
            guard let shard = report.shard else {
                return .failure(Problem(description: "\(folder) holds a whole run, not a shard (it ran without --shard)"))
            }
            shards.append((folder, report, shard))
        }
        let first = shards[0]
        for other in shards.dropFirst() {
            if other.report.target != first.report.target {
                return .failure(Problem(description: "\(other.folder) ran against '\(other.report.target)', \(first.folder) against '\(first.report.target)'"))
            }
            if other.shard.count != first.shard.count {
                return .failure(
                    Problem(description: "\(other.folder) is shard \(other.shard), \(first.folder) shard \(first.shard): one run has one shard count"))
            }
            if other.report.shardPlan != first.report.shardPlan {
                return .failure(
                    Problem(
                        description:
                            "\(other.folder) and \(first.folder) were split by different plans (another flow selection or --durations file): "
                            + "run every shard with the same options"))
            }
            if other.report.runID != first.report.runID {
                return .failure(
                    Problem(
                        description:
                            "\(other.folder) belongs to run \(other.report.runID.map { "'\($0)'" } ?? "(none)"), \(first.folder) to run \(first.report.runID.map { "'\($0)'" } ?? "(none)")"
                    ))
            }
        }
        var byIndex: [Int: String] = [:]
        for shard in shards {
            if let earlier = byIndex[shard.shard.index] {
                return .failure(Problem(description: "\(earlier) and \(shard.folder) are both shard \(shard.shard)"))
            }
            byIndex[shard.shard.index] = shard.folder
        }
        let missing = (1...first.shard.count).filter { byIndex[$0] == nil }
        guard missing.isEmpty else {
            return .failure(
                Problem(description: "shard\(missing.count == 1 ? "" : "s") \(missing.map { "\($0)/\(first.shard.count)" }.joined(separator: ", ")) missing"))
        }
        shards.sort { $0.shard.index < $1.shard.index }
        var owner: [String: String] = [:]
        for shard in shards {
            for result in shard.report.results {
                let key = result.source.suiteName + " — " + result.name
                if let earlier = owner[key], earlier != shard.folder {
                    return .failure(Problem(description: "'\(result.name)' (\(result.source.suiteName)) ran in both \(earlier) and \(shard.folder)"))
                }
                owner[key] = shard.folder
            }
        }
        let start = shards.map(\.report.startedAt).min()!
        let end = shards.map { $0.report.startedAt.addingTimeInterval($0.report.duration.inSeconds) }.max()!
        let hosts = shards.map(\.report.hostname).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        var merged = RunReport(
            target: first.report.target, startedAt: start, duration: .fractionalSeconds(end.timeIntervalSince(start)),
            hostname: hosts.joined(separator: ", "), results: shards.flatMap(\.report.results))
        let baseURLs = Set(shards.map(\.report.baseURL))
        merged.baseURL = baseURLs.count == 1 ? first.report.baseURL : nil
        merged.runID = first.report.runID
        let interruptions = shards.compactMap { shard in shard.report.interruption.map { "shard \(shard.shard): \($0)" } }
        merged.interruption = interruptions.isEmpty ? nil : interruptions.joined(separator: "; ")
        return .success(merged)
    }
}
