import Foundation

/// Each flow's record over earlier runs (`run --history DIR`): the `flows.json` of earlier runs read back, oldest
/// first, with the current run last — which flows flip between passing and failing, and which quarantined flows have
/// passed often enough in a row to leave quarantine.
public struct FlowHistory: Sendable {
    /// How a flow ended in one run.
    public enum Outcome: String, Sendable, Equatable {
        case passed, flaky, failed, skipped

        /// The outcome of `result` — a quarantined flow by its real outcome.
        init(_ result: FlowResult) {
            let status = result.quarantine?.outcome ?? result.status
            switch status {
            case .passed: self = result.isFlaky ? .flaky : .passed
            case .failed, .errored: self = .failed
            case .skipped: self = .skipped
            }
        }

        /// One character for the summary's record column.
        public var symbol: String {
            switch self {
            case .passed: return "✅"
            case .flaky: return "⚠️"
            case .failed: return "❌"
            case .skipped: return "⏭️"
            }
        }
    }

    /// One flow's outcomes, oldest first (the current run last).
    public struct Record: Sendable, Equatable {
        public var name: String
        public var suite: String
        public var outcomes: [Outcome]

        /// Runs the flow ran in (not skipped).
        public var ran: Int { outcomes.count { $0 != .skipped } }
        public var failed: Int { outcomes.count { $0 == .failed } }
        public var flaky: Int { outcomes.count { $0 == .flaky } }

        /// Flips between passing and failing in consecutive runs that ran, plus flaky runs, per run that ran (0…1+):
        /// 0 for a flow that always passes or always fails; high for one that cannot make up its mind.
        public var flipRate: Double {
            let ran = outcomes.filter { $0 != .skipped }
            guard !ran.isEmpty else { return 0 }
            let flips = zip(ran, ran.dropFirst()).count { ($0 == .failed) != ($1 == .failed) }
            return Double(flips + flaky) / Double(ran.count)
        }

        /// Passes (flaky ones not counted) at the end of the record, in a row.
        public var passesInARow: Int { outcomes.reversed().prefix { $0 == .passed }.count }
    }

    /// The earlier runs, oldest first.
    public var runs: [RunReport]
    /// Where they were read from.
    public var directory: String

    /// Passes in a row after which a quarantined flow is reported ready to leave quarantine.
    public static let passesToLeaveQuarantine = 5

    public init(runs: [RunReport], directory: String) {
        self.runs = runs.sorted { $0.startedAt < $1.startedAt }
        self.directory = directory
    }

    /// Why a history folder cannot be used.
    public struct ReadError: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Reads every `*.json` in `directory` and every `flows.json` one folder below it (earlier runs' report folders
    /// or their `flows.json` files renamed, e.g. `run-812.json`).
    /// - Throws: ``ReadError`` when the folder does not exist or a report in it cannot be read (naming the file).
    public init(reading directory: String) throws(ReadError) {
        let fileManager = FileManager.default
        var isDirectory: ObjCBool = false
        guard fileManager.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ReadError(description: "--history \(directory): no such folder")
        }
        let folder = URL(fileURLWithPath: directory, isDirectory: true)
        let names = ((try? fileManager.contentsOfDirectory(atPath: directory)) ?? []).sorted()
        var files: [URL] = []
        for name in names {
            let url = folder.appendingPathComponent(name)
            if name.hasSuffix(".json") {
                files.append(url)
            } else if fileManager.fileExists(atPath: url.appendingPathComponent("flows.json").path) {
                files.append(url.appendingPathComponent("flows.json"))
            }
        }
        var runs: [RunReport] = []
        for file in files {
            do throws(FlowsJSONReader.ReadError) {
                runs.append(try FlowsJSONReader.read(file))
            } catch {
                throw ReadError(description: "--history: \(error.description)")
            }
        }
        self.init(runs: runs, directory: directory)
    }

    /// The record of every flow of `current`, the current run last; flows only earlier runs had are left out.
    public func records(endingWith current: RunReport) -> [Record] {
        var outcomes: [String: [Outcome]] = [:]
        func key(_ result: FlowResult) -> String { result.source.suiteName + "\u{1F}" + result.name }
        for run in runs {
            for result in run.results { outcomes[key(result), default: []].append(Outcome(result)) }
        }
        return current.results.map { result in
            Record(name: result.name, suite: result.source.suiteName, outcomes: (outcomes[key(result)] ?? []) + [Outcome(result)])
        }
    }
}
