import Foundation
import IllajwalaTesting
import Synchronization

/// The real `illajwala-api` binary (built beside the test bundle by `swift build --build-tests`), run as a child
/// process on a loopback port, for what only a process shows: signals, exit status, a database that goes away.
final class ServiceProcess: Sendable {
    /// `illajwala-api` beside the test bundle.
    static let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("illajwala-api")
    static var isBuilt: Bool { FileManager.default.isExecutableFile(atPath: binary.path) }

    let process: Process
    /// Where the service listens, e.g. `http://127.0.0.1:40123`.
    let baseURL: URL
    let port: Int
    private let log: LogBuffer

    private init(process: Process, port: Int, log: LogBuffer) {
        self.process = process
        self.port = port
        self.baseURL = URL(string: "http://127.0.0.1:\(port)")!
        self.log = log
    }

    /// The service's log so far (stderr and standard output, where JSON log lines go).
    var logText: String { log.text }

    /// The environment every run gets: test mode, loopback, a free port, readable info-level logs, coverage
    /// profiles in `work` (not the package root), plus `environment`.
    static func environment(_ overrides: [String: String], work: URL) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "DATABASE_URL")
        environment["ILLAJWALA_ENV"] = "test"
        environment["HOST"] = "127.0.0.1"
        environment["PORT"] = "0"
        environment["LOG_LEVEL"] = "info"
        environment["LOG_FORMAT"] = "text"
        environment["LLVM_PROFILE_FILE"] = work.appendingPathComponent("%p.profraw").path
        environment.merge(overrides) { _, new in new }
        return environment
    }

    /// Runs `illajwala-api arguments…` to completion (e.g. `migrate up`).
    /// - Throws: when it exits non-zero, with its output.
    static func runToCompletion(_ arguments: [String], environment: [String: String], work: URL, binary: URL = ServiceProcess.binary) throws {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.environment = Self.environment(environment, work: work)
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ServiceProcessError(message: "illajwala-api \(arguments.joined(separator: " ")) exited \(process.terminationStatus): \(text)")
        }
    }

    /// Starts `illajwala-api serve` and waits (at most 30 s) until it logs the port it listens on and answers
    /// `/health/live` there.
    /// - Throws: when it exits or logs no port in time, with its log.
    static func serve(environment: [String: String], work: URL, binary: URL = ServiceProcess.binary) async throws -> ServiceProcess {
        let process = Process()
        process.executableURL = binary
        process.arguments = ["serve"]
        process.environment = Self.environment(environment, work: work)
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        let log = LogBuffer()
        output.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty { handle.readabilityHandler = nil } else { log.append(data) }
        }
        try process.run()
        LiveChildren.add(process.processIdentifier)
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            let text = log.text
            if let match = text.firstMatch(of: /listening on 127\.0\.0\.1:(\d+)/), let port = Int(match.1) {
                let service = ServiceProcess(process: process, port: port, log: log)
                // Handed over only once it answers: a test's first request must not race the listener.
                let client = APIClient(baseURL: service.baseURL)
                while ContinuousClock.now < deadline, process.isRunning {
                    if (try? await client.send("GET", "/health/live"))?.status == 200 { return service }
                    try await Task.sleep(for: .milliseconds(50))
                }
                break
            }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        kill(process.processIdentifier, SIGKILL)
        throw ServiceProcessError(message: "illajwala-api serve did not start: \(log.text)")
    }

    /// Runs `body` with `illajwala-api serve` on a migrated database seeded from `Fixtures/`, in a temporary folder of
    /// its own (database file, coverage profiles), and cleans up whatever happens: the process is killed if `body`
    /// left it running and the folder is removed.
    /// - Parameter environment: service variables; without `DATABASE_URL` the database is a SQLite file in the folder.
    static func withSeededService<T>(
        environment: [String: String] = [:], _ body: (ServiceProcess) async throws -> T
    ) async throws -> T {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("service-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        var environment = environment
        if environment["DATABASE_URL"] == nil { environment["DATABASE_URL"] = "sqlite://\(work.appendingPathComponent("api.db").path)" }
        try runToCompletion(["migrate", "up"], environment: environment, work: work)
        try runToCompletion(["seed", "--fixtures", PackagePaths.fixtures.path], environment: environment, work: work)
        let service = try await serve(environment: environment, work: work)
        defer { if service.process.isRunning { service.signal(SIGKILL) } }
        return try await body(service)
    }

    /// Sends `signal` to the process.
    func signal(_ signal: Int32) { kill(process.processIdentifier, signal) }

    /// Waits up to `limit` for the process to exit; returns its exit status, or `nil` (it was then killed).
    func waitForExit(within limit: Duration) async throws -> Int32? {
        let deadline = ContinuousClock.now + limit
        while process.isRunning, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        defer { LiveChildren.remove(process.processIdentifier) }
        guard !process.isRunning else {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return nil
        }
        process.waitUntilExit()
        return process.terminationStatus
    }
}

/// The service's stderr as it arrives.
final class LogBuffer: Sendable {
    private let storage = Mutex("")
    var text: String { storage.withLock { $0 } }
    func append(_ data: Data) { storage.withLock { $0 += String(decoding: data, as: UTF8.self) } }
}

/// `illajwala-api` did not start or a command failed.
struct ServiceProcessError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// Every `illajwala-api serve` this process started, killed at exit if still running — a test that fails or is
/// interrupted must not leave a service behind (one was found hours later, polling a database long gone).
enum LiveChildren {
    private static let pids = Mutex<Set<pid_t>>([])
    private static let installed = Mutex(false)

    static func add(_ pid: pid_t) {
        pids.withLock { _ = $0.insert(pid) }
        let first = installed.withLock { done in
            defer { done = true }
            return !done
        }
        if first { atexit { LiveChildren.killAll() } }
    }

    /// `pid` has exited (and may be reused): never signal it again.
    static func remove(_ pid: pid_t) {
        pids.withLock { _ = $0.remove(pid) }
    }

    private static func killAll() {
        for pid in pids.withLock({ $0 }) { kill(pid, SIGKILL) }
    }
}
