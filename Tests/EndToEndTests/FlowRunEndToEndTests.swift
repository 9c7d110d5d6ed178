import FlowCommands
import FlowCore
import FlowRuntime
import Foundation
import IllajwalaTesting
import LocalTarget
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

/// Runs the real flow runner against the real booking service (embedded target) and reads its reports.
@Suite("Flows end to end against the embedded target", .serialized)
struct FlowRunEndToEndTests {
    static let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let xsd = PackagePaths.root.appendingPathComponent("Tests/FlowRunnerTests/Resources/junit.xsd")
    static let xmllint = "/usr/bin/xmllint"

    func reportDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-reports-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    func run(_ paths: [String], reports: URL, jobs: Int = 1) async -> (FlowRunCommand.ExitStatus, String, String) {
        let output = LockedText()
        let errors = LockedText()
        let command = FlowRunCommand(
            paths: paths, target: "local", reportDirectory: reports.path,
            targetsFile: PackagePaths.flows.appendingPathComponent("targets.yaml").path, options: .init(jobs: jobs),
            embeddedService: BookingServiceProvider())
        let status = await command.execute(standardOutput: { output.append($0) }, standardError: { errors.append($0) })
        return (status, output.text, errors.text)
    }

    func junit(_ reports: URL) throws -> XMLDocument {
        try XMLDocument(contentsOf: reports.appendingPathComponent("junit.xml"), options: [])
    }

    func validates(_ file: URL) throws -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.xmllint)
        process.arguments = ["--noout", "--schema", Self.xsd.path, file.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus == 0
    }

    @Test("every shipped flow passes (those marked skip: are skipped with their reason); JUnit has a suite per role and no failures")
    func shippedFlowsPass() async throws {
        let reports = try reportDirectory()
        defer { try? FileManager.default.removeItem(at: reports) }
        let flows = try FlowLoader.load(paths: [PackagePaths.flows.path])
        let skipped = flows.count { $0.skipReason != nil }
        let passing = flows.count - skipped
        #expect(passing >= 25, "the shipped flows cover every operation")
        let (status, output, errors) = await run([PackagePaths.flows.path], reports: reports, jobs: 4)
        #expect(status == .passed, "output:\n\(output)\nerrors:\n\(errors)")
        #expect(output.split(separator: "\n").last.map(String.init) == "\(passing) passed, 0 failed, \(skipped) skipped")
        let document = try junit(reports)
        let suites = try document.nodes(forXPath: "/testsuites/testsuite/@name").compactMap(\.stringValue)
        for role in ["patient/", "doctor/", "admin/"] {
            #expect(suites.contains { $0.hasPrefix(role) }, "a suite for \(role) in \(suites)")
        }
        #expect(try document.nodes(forXPath: "//failure | //error").isEmpty)
        #expect(try document.nodes(forXPath: "//testcase").count == flows.count)
        #expect(try document.nodes(forXPath: "//testcase/skipped").count == skipped)
        let summary = try String(contentsOf: reports.appendingPathComponent("summary.md"), encoding: .utf8)
        #expect(summary.contains("\(passing) passed, 0 failed, \(skipped) skipped"))
        if FileManager.default.isExecutableFile(atPath: Self.xmllint) {
            #expect(try validates(reports.appendingPathComponent("junit.xml")))
        }
    }

    @Test("a failing flow fails the run with exit 1 and a <failure> naming the step, in valid JUnit")
    func failingFlow() async throws {
        let reports = try reportDirectory()
        defer { try? FileManager.default.removeItem(at: reports) }
        let (status, output, _) = await run([Self.here.appendingPathComponent("Flows/deliberately-failing.yaml").path], reports: reports)
        #expect(status == .failed)
        #expect(status.rawValue == 1)
        #expect(output.contains("0 passed, 1 failed, 0 skipped"))
        let document = try junit(reports)
        let failures = try document.nodes(forXPath: "//testcase/failure")
        #expect(failures.count == 1)
        let failure = try #require(failures.first as? XMLElement)
        let message = failure.attribute(forName: "message")?.stringValue ?? ""
        #expect(message.contains("expects the wrong status from an unknown route"))
        #expect(failure.stringValue?.contains("404") == true, "the actual status is shown")
        #expect(try document.nodes(forXPath: "//testcase/@name").first?.stringValue == #"Deliberately failing <flow> & "quotes" ]]>"#)
        if FileManager.default.isExecutableFile(atPath: Self.xmllint) {
            #expect(try validates(reports.appendingPathComponent("junit.xml")))
        }
    }

    @Test("a malformed flow file is reported as FILE:LINE and nothing runs (exit 2)")
    func malformedFlow() async throws {
        let reports = try reportDirectory()
        defer { try? FileManager.default.removeItem(at: reports) }
        let source = Self.here.appendingPathComponent("Flows/malformed.yaml.txt")
        let copy = reports.appendingPathComponent("malformed.yaml")
        try FileManager.default.copyItem(at: source, to: copy)
        let (status, output, errors) = await run([copy.path], reports: reports)
        #expect(status == .usage)
        #expect(status.rawValue == 2)
        #expect(errors.contains("\(copy.path):5:"), "missing url reported at the request mapping: \(errors)")
        #expect(errors.contains("statuss"), "unknown key named: \(errors)")
        #expect(output.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: reports.appendingPathComponent("junit.xml").path))
    }
}

/// Collects printed lines from the runner (which may call from any task).
final class LockedText: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []

    func append(_ line: String) { lock.withLock { lines.append(line) } }
    var text: String { lock.withLock { lines.joined(separator: "\n") } }
}

@Suite("The service's logs of a full flow run hold no secrets or personal data", .serialized)
struct FlowRunLogAuditTests {
    /// Every password written in Flows/ (`password: …` values and `*Password` variables) and Fixtures/.
    static func passwordsInRepository() throws -> Set<String> {
        var found: Set<String> = []
        let pattern = /(?i)password"?\s*[:=]\s*"?([A-Za-z0-9!@#$%^&*_.-]{10,128})"?/
        for folder in [PackagePaths.flows, PackagePaths.root.appendingPathComponent("Fixtures")] {
            let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
            for file in files where ["yaml", "json"].contains(file.pathExtension) {
                let text = try String(contentsOf: file, encoding: .utf8)
                for match in text.matches(of: pattern) where !match.1.contains("{{") { found.insert(String(match.1)) }
            }
        }
        return found
    }

    @Test("debug-level logs of every shipped flow: no password, token, full e-mail or phone number; 4xx/5xx logs carry request ids")
    func logsAreClean() async throws {
        let reports = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-logs-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: reports) }
        let capture = LogCapture()
        var command = FlowRunCommand(
            paths: [PackagePaths.flows.path], target: "local", reportDirectory: reports.path,
            targetsFile: PackagePaths.flows.appendingPathComponent("targets.yaml").path, options: .init(jobs: 4),
            embeddedService: BookingServiceProvider())
        command.serverLogger = capture.logger(label: "illajwala-api", level: .debug)
        let output = LockedText()
        let status = await command.execute(standardOutput: { output.append($0) }, standardError: { output.append($0) })
        #expect(status == .passed, "\(output.text)")
        let text = capture.text
        #expect(!capture.records.isEmpty, "the run logs something to audit (at least the rate-limit refusals)")
        let passwords = try Self.passwordsInRepository()
        #expect(passwords.count >= 5, "\(passwords)")
        for password in passwords {
            #expect(!text.contains(password), "a password is in the logs")
        }
        #expect(!text.contains("eyJ"), "a JWT is in the logs")
        #expect(text.firstMatch(of: /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+/) == nil, "a full e-mail address is in the logs")
        #expect(text.firstMatch(of: /\+91[6-9][0-9]{9}/) == nil, "a phone number (E.164, as the API takes them) is in the logs")
        #expect(capture.records.contains { $0.message == "request" }, "request lines are part of the audit")
        // Every notice and above belongs to a request, except the instance's own life (draining at the end of the run).
        for record in capture.records where record.level >= .notice && record.metadata["lifecycle"] == nil {
            #expect(record.metadata["request_id"] != nil, "\(record)")
        }
    }
}
