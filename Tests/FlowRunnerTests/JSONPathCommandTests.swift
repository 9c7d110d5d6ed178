import APITransport
import Foundation
import Testing
import TextFileIO

@testable import CoverageGate
@testable import FlowCommands
@testable import FlowCore
@testable import FlowRuntime

@Suite("jsonpath command")
struct JSONPathCommandTests {
    typealias Collector = OutputCollector

    let document = Data(#"{"data": [{"id": 1, "status": "confirmed"}, {"id": 2, "status": "cancelled"}, {"id": 3, "status": "confirmed"}]}"#.utf8)

    func run(
        _ expression: String, file: String = "-", input: Data? = nil, paths: Bool = false
    )
        -> (FlowRunCommand.ExitStatus, [String], [String])
    {
        let output = Collector()
        let errors = Collector()
        let status = JSONPathCommand(expression: expression, file: file, printsPaths: paths)
            .execute(readStandardInput: { input ?? document }, standardOutput: output.add, standardError: errors.add)
        return (status, output.lines, errors.lines)
    }

    @Test("prints every selected node as compact JSON, one per line")
    func selects() {
        let (status, lines, _) = run("$.data[?@.status == 'confirmed'].id")
        #expect(status == .passed)
        #expect(lines == ["1", "3"])
        #expect(run("$.data[1]").1 == [#"{"id":2,"status":"cancelled"}"#])
    }

    @Test("--paths prints the Normalized Path (RFC 9535 §2.7) of every selected node instead of its value")
    func paths() {
        let (status, lines, _) = run("$.data[?@.status == 'confirmed'].id", paths: true)
        #expect(status == .passed)
        #expect(lines == ["$['data'][0]['id']", "$['data'][2]['id']"])
        #expect(run("$.data[-1]", paths: true).1 == ["$['data'][2]"])
        #expect(run("$", paths: true).1 == ["$"])
        #expect(run("$..status", paths: true).1 == ["$['data'][0]['status']", "$['data'][1]['status']", "$['data'][2]['status']"])
        let escaped = Data(#"{"it's": {"a\\b": [0, {"line\nbreak": 1, "\u0001": 2}]}}"#.utf8)
        #expect(
            run("$..*", input: escaped, paths: true).1 == [
                #"$['it\'s']"#, #"$['it\'s']['a\\b']"#, #"$['it\'s']['a\\b'][0]"#, #"$['it\'s']['a\\b'][1]"#,
                #"$['it\'s']['a\\b'][1]['\u0001']"#, #"$['it\'s']['a\\b'][1]['line\nbreak']"#,
            ])
        #expect(run("$.nothing", paths: true) == (.failed, [], ["$.nothing selects nothing in standard input"]))
    }

    @Test("nothing selected exits 1; a bad selector exits 2 pointing at its column; bad input exits 2")
    func failures() throws {
        #expect(run("$.nothing").0 == .failed)
        let (status, _, errors) = run("$.data[?@.id ==]")
        #expect(status == .usage)
        #expect(errors.first == "$.data[?@.id ==]")
        #expect(errors.last?.hasPrefix("JSONPath column ") == true)
        let caret = try #require(errors.dropFirst().first)
        #expect(caret.hasSuffix("^"))
        #expect(run("$", input: Data("not json".utf8)).0 == .usage)
        let missing = run("$", file: "/nonexistent/file.json")
        #expect(missing.0 == .usage && missing.2 == ["/nonexistent/file.json: cannot read file"])
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = try directory.write("doc.json", String(decoding: document, as: UTF8.self))
        #expect(run("$.data[-1].id", file: file).1 == ["3"])
    }
}
