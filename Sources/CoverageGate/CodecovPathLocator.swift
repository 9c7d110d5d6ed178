import FlowCore
import Foundation

/// Finds the coverage export of a package by asking SwiftPM: `swift test --show-codecov-path`, run in the package root
/// (`swift` looked up in `PATH`). SwiftPM prints the path whether or not the file exists yet.
public enum CodecovPathLocator {
    /// Why SwiftPM could not tell the path.
    public struct LocationError: Error, Sendable, CustomStringConvertible {
        /// What went wrong, with SwiftPM's own message when it gave one.
        public var message: String

        public var description: String { message }
    }

    /// Asks SwiftPM where `swift test --enable-code-coverage` writes the export of the package at `packageRoot`.
    /// - Returns: the absolute path of the JSON file (`.build/<triple>/debug/codecov/<package>.json`).
    /// - Throws: ``LocationError`` when `swift` cannot be run, fails, or prints no path.
    public static func locate(packageRoot: String) throws(LocationError) -> String {
        let command = "swift test --show-codecov-path"
        let outcome: Subprocess.Outcome
        do {
            outcome = try Subprocess.run("/usr/bin/env", ["swift", "test", "--show-codecov-path"], in: packageRoot)
        } catch {
            throw LocationError(message: "cannot run `\(command)` in \(packageRoot): \(error.localizedDescription)")
        }
        guard outcome.status == 0 else {
            let detail = outcome.errorText.isEmpty ? "" : ": \(outcome.errorText)"
            throw LocationError(message: "`\(command)` in \(packageRoot) failed with status \(outcome.status)\(detail)")
        }
        let printed = String(decoding: outcome.standardOutput, as: UTF8.self)
            .split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.last { !$0.isEmpty }
        guard let path = printed, path.hasPrefix("/") else {
            throw LocationError(message: "`\(command)` in \(packageRoot) printed no path; pass --codecov-json PATH")
        }
        return path
    }
}
