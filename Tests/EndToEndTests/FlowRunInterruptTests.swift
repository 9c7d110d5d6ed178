import Foundation
import IllajwalaTesting
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

/// Runs the real `illajwala-flows` binary and interrupts it: the reports must still be written, the flow in
/// progress stops (its teardown runs), the flows not started are skipped, and the exit status is 130.
@Suite("illajwala-flows interrupted by SIGINT")
struct FlowRunInterruptTests {
    /// The built `illajwala-flows` beside the test bundle (swift build --build-tests builds every product).
    static let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        .appendingPathComponent("illajwala-flows")

    @Test(
        "SIGINT mid-run: exit 130, teardown ran, later flows skipped, JUnit written",
        .enabled(if: FileManager.default.isExecutableFile(atPath: binary.path), "needs the built illajwala-flows beside the test bundle"))
    func interrupted() async throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("interrupt-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        let flows = work.appendingPathComponent("Flows")
        try FileManager.default.createDirectory(at: flows, withIntermediateDirectories: true)
        try """
        name: a long poll
        steps:
          - name: wait for a status that never comes
            retry: {until: {status: 599}, attempts: 1000, interval: 300ms}
            request: {url: /health/live}
        teardown:
          - {name: teardown ran, request: {url: /health/live}, expect: {status: 200}}
        """.write(to: flows.appendingPathComponent("a-slow.yaml"), atomically: true, encoding: .utf8)
        try "name: later\nsteps:\n  - {name: ping, request: {url: /health/live}}\n"
            .write(to: flows.appendingPathComponent("b-later.yaml"), atomically: true, encoding: .utf8)

        let process = Process()
        process.executableURL = Self.binary
        process.currentDirectoryURL = PackagePaths.root
        process.arguments = [
            "run", flows.path, "--target", "local", "--targets-file", PackagePaths.flows.appendingPathComponent("targets.yaml").path,
            "--report-dir", work.appendingPathComponent("out").path,
        ]
        var environment = ProcessInfo.processInfo.environment
        environment["LLVM_PROFILE_FILE"] = work.appendingPathComponent("%p.profraw").path
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The embedded server starts and the poll begins well within this; the poll itself would last 5 minutes, so a
        // machine stalled for a while before the SIGINT (seen on a loaded 2-core CI machine) still finds it polling.
        try await Task.sleep(for: .seconds(6))
        #expect(process.isRunning)
        kill(process.processIdentifier, SIGINT)
        let deadline = Date().addingTimeInterval(20)
        while process.isRunning, Date() < deadline { try await Task.sleep(for: .milliseconds(100)) }
        #expect(!process.isRunning, "the run stops within seconds of SIGINT")
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        #expect(process.terminationStatus == 130)

        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        // The flow in flight is reported as interrupted (skipped with the reason), not as failed.
        #expect(text.split(separator: "\n").last == "0 passed, 0 failed, 2 skipped", "\(text)")
        let junit = try XMLDocument(contentsOf: work.appendingPathComponent("out/junit.xml"), options: [])
        #expect(try junit.nodes(forXPath: "//testcase[@name='later']/skipped").count == 1)
        let interrupted = try junit.nodes(forXPath: "//testcase[@name='a long poll']/skipped/@message").first?.stringValue ?? ""
        #expect(interrupted.contains("interrupted"), "\(interrupted)")
        #expect(try junit.nodes(forXPath: "//testcase[@name='a long poll']/error").isEmpty)
        let log = try junit.nodes(forXPath: "//testcase[@name='a long poll']/system-out").first?.stringValue ?? ""
        #expect(log.contains("[passed] (teardown) teardown ran"), "\(log)")
    }
}
