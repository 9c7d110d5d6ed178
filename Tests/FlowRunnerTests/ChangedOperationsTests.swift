import FlowCore
import Foundation
import Testing

@testable import CoverageGate
@testable import FlowRuntime

/// `--changed-operations BASE` and `--since GIT_REF`: only the flows that exercised a changed operation (and flows no
/// earlier run knows) run; without history everything runs, and the run says why.
@Suite("Changed operations: flows chosen by what changed in openapi.yaml")
struct ChangedOperationsTests {
    static func document(slowSchema: String = "{type: object}", extra: String = "") -> String {
        """
        openapi: 3.1.0
        info: {title: t, version: '1'}
        paths:
          /fast:
            get:
              responses:
                '200': {description: OK, content: {application/json: {schema: {$ref: '#/components/schemas/Ok'}}}}
          /slow:
            get:
              responses:
                '200': {description: OK, content: {application/json: {schema: \(slowSchema)}}}
        \(extra)
        components:
          schemas:
            Ok: {type: object}

        """
    }

    @Test("a changed schema, a changed shared component, an added operation; unchanged documents change nothing")
    func comparing() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let base = try folder.write("base.yaml", Self.document())
        #expect(try ChangedOperations.between(base: base, current: base).labels.isEmpty)
        let slow = try folder.write("slow.yaml", Self.document(slowSchema: "{type: object, required: [ok]}"))
        #expect(try ChangedOperations.between(base: base, current: slow).labels == ["GET /slow"])
        let shared = try folder.write("shared.yaml", Self.document().replacingOccurrences(of: "Ok: {type: object}", with: "Ok: {type: array}"))
        #expect(try ChangedOperations.between(base: base, current: shared).labels == ["GET /fast"], "a change to a referenced schema")
        let added = try folder.write(
            "added.yaml", Self.document(extra: "  /new:\n    get:\n      responses:\n        '204': {description: none}"))
        #expect(try ChangedOperations.between(base: base, current: added).labels == ["GET /new"])
        #expect(throws: OpenAPIDocumentError.self) { try ChangedOperations.between(base: folder.path + "/missing.yaml", current: base) }
    }

    @Test(
        "the binary: with history only the flows of the changed operation and new flows run; --since reads git; no history runs all",
        .enabled(if: RunnerBinary.isBuilt, RunnerBinary.notBuilt))
    func throughTheBinary() async throws {
        try await RunnerBinary.withLoopbackTarget { folder, base in
            try folder.write("openapi.yaml", Self.document())
            try folder.write("Flows/fast.yaml", ContractValidationTests.flow("fast"))
            try folder.write("Flows/slow.yaml", ContractValidationTests.flow("slow"))
            let first = try RunnerBinary.run(["run", "Flows", "--target", base, "--report-dir", "history/1"], in: folder.url)
            #expect(first.status == 0, "\(first.standardOutput)")

            try folder.write("base.yaml", Self.document())
            try folder.write("openapi.yaml", Self.document(slowSchema: "{type: object, required: [ok]}"))
            try folder.write("Flows/new.yaml", ContractValidationTests.flow("fast").replacingOccurrences(of: "name: get fast", with: "name: new flow"))
            let changed = try RunnerBinary.run(
                ["run", "Flows", "--target", base, "--report-dir", "changed", "--changed-operations", "base.yaml", "--history", "history"], in: folder.url)
            #expect(changed.status == 0, "\(changed.standardError)")
            #expect(
                changed.standardOutput.contains(
                    "changed operations: 1 operation changed (GET /slow); 2 of 3 flows selected (1 with no earlier run, run to be safe)"),
                "\(changed.standardOutput)")
            #expect(changed.standardOutput.contains("get slow") && changed.standardOutput.contains("new flow") && !changed.standardOutput.contains("get fast"))

            let blind = try RunnerBinary.run(["run", "Flows", "--target", base, "--report-dir", "blind", "--changed-operations", "base.yaml"], in: folder.url)
            #expect(blind.standardOutput.contains("no earlier run says which flow exercised which") && blind.standardOutput.contains("3 passed"))

            // --since: the same comparison with the base read from git.
            let git = { (arguments: [String]) throws -> Subprocess.Outcome in
                try Subprocess.run("/usr/bin/env", ["git", "-c", "user.email=t@example.test", "-c", "user.name=t"] + arguments, in: folder.path)
            }
            guard (try? git(["init", "-q"]))?.status == 0 else {
                Issue.record("git is needed for --since")
                return
            }
            try folder.write("openapi.yaml", Self.document())
            _ = try git(["add", "openapi.yaml"])
            #expect(try git(["commit", "-q", "-m", "base"]).status == 0)
            try folder.write("openapi.yaml", Self.document(slowSchema: "{type: object, required: [ok]}"))
            let since = try RunnerBinary.run(
                ["run", "Flows", "--target", base, "--report-dir", "since", "--since", "HEAD", "--history", "history"], in: folder.url)
            #expect(since.standardOutput.contains("1 operation changed (GET /slow); 2 of 3 flows selected"), "\(since.standardOutput)\(since.standardError)")
            let badRef = try RunnerBinary.run(["run", "Flows", "--target", base, "--since", "no-such-ref"], in: folder.url)
            #expect(badRef.status == 2 && badRef.standardError.contains("--since no-such-ref: git cannot show openapi.yaml at no-such-ref"))
            for arguments in [["--since", ""], ["--since=--output=/tmp/x"]] {
                let unsafe = try RunnerBinary.run(["run", "Flows", "--target", base] + arguments, in: folder.url)
                #expect(unsafe.status == 2 && unsafe.standardError.contains("--since expects a git revision"), "\(arguments): \(unsafe.standardError)")
            }
            let emptyRun = try RunnerBinary.run(["run", "Flows", "--target", base, "--run-id", " "], in: folder.url)
            #expect(emptyRun.status == 2 && emptyRun.standardError.contains("--run-id must not be empty"))
            let both = try RunnerBinary.run(["run", "Flows", "--target", base, "--since", "HEAD", "--changed-operations", "base.yaml"], in: folder.url)
            #expect(both.status == 2 && both.standardError.contains("give one"))
        }
    }
}
