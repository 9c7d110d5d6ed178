import FlowCore
import Foundation

/// Runs a tool to completion and collects its exit status and output (through temporary files, so a tool
/// that writes a lot to both streams cannot block on a full pipe).
package struct Subprocess {
    /// What the tool did.
    package struct Outcome: Sendable {
        /// The exit status, or 128 + the signal number when a signal ended the tool.
        package var status: Int32
        /// Everything the tool wrote to standard output.
        package var standardOutput: Data
        /// Everything the tool wrote to standard error.
        package var standardError: Data

        /// Standard error as text, trimmed.
        package var errorText: String {
            String(decoding: standardError, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    /// Runs `executable` with `arguments`.
    /// - Parameters:
    ///   - executable: the tool's path (`/usr/bin/env` to look a name up in `PATH`).
    ///   - directory: the working directory (default: the current one).
    ///   - environment: variables added to (or replacing those of) this process's environment.
    /// - Throws: when the tool cannot be started or the temporary output files cannot be created.
    package static func run(
        _ executable: String, _ arguments: [String], in directory: String? = nil, environment: [String: String] = [:]
    ) throws -> Outcome {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("flowkit-subprocess-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outputURL = scratch.appendingPathComponent("stdout")
        let errorURL = scratch.appendingPathComponent("stderr")
        try Data().write(to: outputURL)
        try Data().write(to: errorURL)
        let outputHandle = try FileHandle(forWritingTo: outputURL)
        let errorHandle = try FileHandle(forWritingTo: errorURL)
        defer {
            try? outputHandle.close()
            try? errorHandle.close()
        }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory, isDirectory: true) }
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = outputHandle
        process.standardError = errorHandle
        try process.run()
        process.waitUntilExit()
        let status = process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
        return Outcome(
            status: status, standardOutput: (try? Data(contentsOf: outputURL)) ?? Data(),
            standardError: (try? Data(contentsOf: errorURL)) ?? Data())
    }
}
