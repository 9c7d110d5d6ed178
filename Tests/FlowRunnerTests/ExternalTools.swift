import APITransport
import Foundation
import TextFileIO

@testable import CoverageGate
@testable import FlowCommands
@testable import FlowCore
@testable import FlowRuntime

/// Tools outside Swift that some report tests use (CI installs them: see `.ci/run`); tests that need one are skipped
/// with the reason when it is missing.
enum ExternalTools {
    /// The package root (the folder holding `Package.swift`).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Whether `python3` can import `junitparser`.
    static let hasJUnitParser = pythonCanImport("junitparser")
    /// Whether `python3` can import `jsonschema`.
    static let hasJSONSchema = pythonCanImport("jsonschema")
    /// The first of `chromium`, `chromium-browser`, `google-chrome` found in `PATH`, or `nil`.
    static let chromium: String? = ["chromium", "chromium-browser", "google-chrome"].lazy.compactMap(executableInPath).first
    /// Whether `/usr/bin/xmllint` exists.
    static let hasXMLLint = FileManager.default.isExecutableFile(atPath: "/usr/bin/xmllint")

    /// Runs `python3 -c script arguments…`.
    static func python(_ script: String, _ arguments: [String]) throws -> Subprocess.Outcome {
        try Subprocess.run("/usr/bin/env", ["python3", "-c", script] + arguments)
    }

    private static func pythonCanImport(_ module: String) -> Bool {
        (try? python("import \(module)", []).status) == 0
    }

    private static func executableInPath(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
