import FlowCore
import Foundation
import TextFileIO
import Yams

/// `Flows/quarantine.yaml`: flows that may fail without failing the run, each with an owner, a reason and an expiry.
///
/// ```yaml
/// quarantine:
///   - file: patient/book-with-payment.yaml      # relative to this file's folder
///     name: Patient pays for a booking           # the flow's name (a matrix flow: its name before the [case])
///     owner: "@payments-team"
///     reason: "PAY-231: the sandbox webhook sometimes arrives after the poll gives up"
///     expires: 2027-01-31
/// ```
///
/// A quarantined flow still runs; when it fails, the reports show it as skipped with `quarantined: …` (JUnit
/// `<skipped>`, so CI tools show it without failing the check) and keep the real outcome (`flows.json`
/// `quarantine.outcome`, the summary's "Quarantined flows"). An entry past its expiry no longer applies (the flow's
/// failures fail the run again) and is an error for `validate`, so quarantine cannot become a graveyard.
public struct QuarantineList: Sendable, Equatable {
    /// One quarantined flow.
    public struct Entry: Sendable, Equatable {
        /// The flow file, relative to the quarantine file's folder.
        public var file: String
        /// The flow's name as written in its file.
        public var name: String
        /// Who will fix it (a person or team handle).
        public var owner: String
        /// Why it is quarantined (a ticket, the symptom).
        public var reason: String
        /// The last day (UTC) the entry applies.
        public var expires: String
        /// Line of the entry in the file, for messages.
        public var line: Int
    }

    /// The file the entries came from.
    public var path: String
    public var entries: [Entry]

    /// The name the file has next to `targets.yaml` (the flows' root).
    public static let fileName = "quarantine.yaml"

    public init(path: String, entries: [Entry]) {
        self.path = path
        self.entries = entries
    }

    /// The nearest `quarantine.yaml` at or above `path` (a flow file or folder), as `targets.yaml` is found.
    public static func locate(near path: String) -> String? { NearestFile.locate(fileName, near: path) }

    /// Reads and checks the file at `path`.
    /// - Throws: ``FlowLoadError`` with every problem at its line (unknown or missing keys, an empty owner or reason,
    ///   a date that is not `YYYY-MM-DD`, the same flow twice).
    public static func read(_ path: String) throws(FlowLoadError) -> QuarantineList {
        let text: String
        do {
            text = try TextFile.read(path)
        } catch {
            throw FlowLoadError(diagnostics: [error.diagnostic])
        }
        return try parse(text, path: path)
    }

    /// Parses quarantine YAML text read from `path`.
    /// - Throws: ``FlowLoadError`` (see ``read(_:)``).
    public static func parse(_ text: String, path: String) throws(FlowLoadError) -> QuarantineList {
        var reader = YAMLDocumentReader(file: path)
        var entries: [Entry] = []
        if let root = reader.compose(text), let top = reader.entries(root, of: "quarantine file", allowed: ["quarantine"], required: ["quarantine"]),
            let list = top["quarantine"]?.value
        {
            if case .sequence(let items) = list {
                for item in items {
                    let line = reader.location(item).line
                    guard
                        let fields = reader.entries(
                            item, of: "quarantine entry", allowed: ["file", "name", "owner", "reason", "expires"],
                            required: ["file", "name", "owner", "reason", "expires"])
                    else { continue }
                    let file = fields["file"].flatMap { reader.string($0.value, of: "file") }
                    let name = fields["name"].flatMap { reader.string($0.value, of: "name") }
                    let owner = fields["owner"].flatMap { reader.string($0.value, of: "owner") }
                    let reason = fields["reason"].flatMap { reader.string($0.value, of: "reason") }
                    var expires: String?
                    if let node = fields["expires"]?.value {
                        if case .scalar(let scalar) = node, Self.isDate(scalar.string) {
                            expires = scalar.string
                        } else {
                            reader.report(node, "expires must be a date YYYY-MM-DD (the last day the entry applies)")
                        }
                    }
                    guard let file, let name, let owner, let reason, let expires else { continue }
                    if let earlier = entries.first(where: { $0.file == file && $0.name == name }) {
                        reader.report(item, "'\(name)' in \(file) is already quarantined at line \(earlier.line)")
                        continue
                    }
                    entries.append(Entry(file: file, name: name, owner: owner, reason: reason, expires: expires, line: line))
                }
            } else {
                reader.report(list, "quarantine must be a list of entries, found \(YAMLDocumentReader.kindName(list))")
            }
        }
        guard reader.diagnostics.isEmpty else { throw FlowLoadError(diagnostics: reader.diagnostics) }
        return QuarantineList(path: path, entries: entries)
    }

    /// `YYYY-MM-DD` naming a real day.
    static func isDate(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]), (1...12).contains(month), day >= 1
        else { return false }
        let days = [31, year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return day <= days[month - 1]
    }

    /// Whether `entry` has expired on `today` (`YYYY-MM-DD`, UTC): it applies through its `expires` day.
    public static func isExpired(_ entry: Entry, today: String) -> Bool { entry.expires < today }

    /// Today's date in UTC as `YYYY-MM-DD`.
    public static func today(_ now: Date = Date()) -> String { String(RelativeDate.rfc3339(now).prefix(10)) }

    /// The entry for `flow` (its file and name; a matrix row by its flow's name), if any.
    public func entry(for source: FlowSource, name: String) -> Entry? {
        let folder = URL(fileURLWithPath: path).standardizedFileURL.deletingLastPathComponent()
        let file = URL(fileURLWithPath: source.path).standardizedFileURL.path
        return entries.first { entry in
            folder.appendingPathComponent(entry.file).standardizedFileURL.path == file
                && (name == entry.name || name.hasPrefix(entry.name + " ["))
        }
    }

    /// Entries that name no flow (a renamed or deleted flow or file), for `validate`: an entry whose file does not
    /// exist, or whose file was loaded (it is among `flows`' files) without a flow of that name. Entries for files
    /// outside the folders validated are not judged.
    public func unmatched(by flows: [Flow]) -> [Entry] {
        let folder = URL(fileURLWithPath: path).standardizedFileURL.deletingLastPathComponent()
        let loaded = Set(flows.map { URL(fileURLWithPath: $0.source.path).standardizedFileURL.path })
        return entries.filter { entry in
            let file = folder.appendingPathComponent(entry.file).standardizedFileURL.path
            guard FileManager.default.fileExists(atPath: file) else { return true }
            guard loaded.contains(file) else { return false }
            let probe = QuarantineList(path: path, entries: [entry])
            return !flows.contains { probe.entry(for: $0.source, name: $0.name) != nil }
        }
    }
}
