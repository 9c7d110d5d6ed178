import Foundation
import Testing

/// Runs the built `illajwala-flows` (beside the test bundle: `swift build --build-tests` builds every product) in a
/// folder of the test's own, capturing its output in files (large outputs cannot block it).
struct RunnerBinary {
    /// The executable.
    static let url = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("illajwala-flows")
    /// Whether it was built (tests that need it are skipped with this reason otherwise).
    static let isBuilt = FileManager.default.isExecutableFile(atPath: url.path)
    static let notBuilt: Comment = "needs the built illajwala-flows beside the test bundle (swift build --build-tests)"

    /// What a run left.
    struct Outcome {
        var status: Int32
        var standardOutput: String
        var standardError: String
    }

    /// Runs `body` with a fresh ``LoadTargetServer`` on loopback (its base URL as `base`) and a folder of its own,
    /// both removed afterwards — the setup of the tests that drive the binary against a known server.
    static func withLoopbackTarget(_ body: (_ folder: TemporaryDirectory, _ base: String) async throws -> Void) async throws {
        let server = try await LoadTargetServer.start()
        defer { server.stop() }
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        try await body(folder, server.baseURL.absoluteString)
    }

    /// Runs `arguments` in `directory` with `environment` added to this process's, waiting at most `timeout` seconds.
    static func run(
        _ arguments: [String], in directory: URL, environment: [String: String] = [:], timeout: TimeInterval = 120
    ) throws -> Outcome {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var merged = ProcessInfo.processInfo.environment
        merged["LLVM_PROFILE_FILE"] = directory.appendingPathComponent("%p.profraw").path
        merged["CI"] = "1"
        merged.removeValue(forKey: "ILLAJWALA_FLOWS_BASE_URL")
        for (name, value) in environment { merged[name] = value }
        process.environment = merged
        let out = directory.appendingPathComponent("stdout-\(UUID().uuidString).txt")
        let err = directory.appendingPathComponent("stderr-\(UUID().uuidString).txt")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let outHandle = try FileHandle(forWritingTo: out)
        let errHandle = try FileHandle(forWritingTo: err)
        defer {
            try? outHandle.close()
            try? errHandle.close()
            try? FileManager.default.removeItem(at: out)
            try? FileManager.default.removeItem(at: err)
        }
        process.standardOutput = outHandle
        process.standardError = errHandle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        return Outcome(
            status: process.terminationStatus,
            standardOutput: String(decoding: (try? Data(contentsOf: out)) ?? Data(), as: UTF8.self),
            standardError: String(decoding: (try? Data(contentsOf: err)) ?? Data(), as: UTF8.self))
    }

    /// The text of every report file in `folder` (and `server.log`), by file name.
    static func reports(in folder: URL) -> [String: String] {
        var texts: [String: String] = [:]
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] {
            texts[name] = String(decoding: (try? Data(contentsOf: folder.appendingPathComponent(name))) ?? Data(), as: UTF8.self)
        }
        return texts
    }
}
