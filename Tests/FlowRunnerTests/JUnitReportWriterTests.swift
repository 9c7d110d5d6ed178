import APITransport
import Foundation
import Testing
import TextFileIO

@testable import CoverageGate
@testable import FlowCommands
@testable import FlowCore
@testable import FlowRuntime

#if canImport(FoundationXML)
import FoundationXML
#endif

@Suite("JUnit report")
struct JUnitReportWriterTests {
    @Test("hostile strings still give well-formed XML with the expected structure")
    func wellFormed() throws {
        let xml = JUnitReportWriter.render(ReportFixtures.report())
        let document = try XMLDocument(data: Data(xml.utf8), options: [])
        let root = try #require(document.rootElement())
        #expect(root.name == "testsuites")
        #expect(root.attribute(forName: "tests")?.stringValue == "4")
        #expect(root.attribute(forName: "failures")?.stringValue == "1")
        #expect(root.attribute(forName: "errors")?.stringValue == "1")
        #expect(root.attribute(forName: "time")?.stringValue == "1235.000")
        let suites = root.elements(forName: "testsuite")
        #expect(suites.map { $0.attribute(forName: "name")?.stringValue } == ["patient/<book> & \"pay\".yaml", "admin/a.yaml"])
        #expect(suites[0].attribute(forName: "time")?.stringValue == "1234.568")
        #expect(suites[1].attribute(forName: "skipped")?.stringValue == "1")
        #expect(
            suites[0].elements(forName: "properties").first?.elements(forName: "property").first?.attribute(forName: "value")?.stringValue == "local & <ci>")
        let cases = suites[0].elements(forName: "testcase")
        #expect(cases.count == 2)
        #expect(cases[0].attribute(forName: "classname")?.stringValue == "patient/<book> & \"pay\".yaml")
        let failure = try #require(cases[0].elements(forName: "failure").first)
        #expect(failure.attribute(forName: "type")?.stringValue == "AssertionFailure")
        let text = failure.stringValue ?? ""
        #expect(text.contains("]]> <tag attr=\"v\"> & 'quoted' "))
        #expect(text.contains("tab\tline\ncr"))
        #expect(text.contains("नमस्ते दुनिया 🙏🏽👩‍⚕️"))
        #expect(!text.unicodeScalars.contains { $0.value < 0x9 || $0 == "\u{FFFE}" })
        #expect(failure.attribute(forName: "message")?.stringValue?.contains("line\ncr") == true)
        #expect(cases[1].elements(forName: "error").first?.attribute(forName: "type")?.stringValue == "TransportError")
        #expect(suites[1].elements(forName: "testcase")[1].elements(forName: "skipped").count == 1)
    }

    @Test("flaky flows pass with a flakyFailure/flakyError per earlier attempt; skipped flows say why; properties name target and base URL")
    func flakySkippedAndProperties() throws {
        let document = try XMLDocument(data: Data(JUnitReportWriter.render(ReportFixtures.richReport()).utf8), options: [])
        let root = try #require(document.rootElement())
        let cases = try root.nodes(forXPath: "//testcase").compactMap { $0 as? XMLElement }
        let flaky = try #require(cases.first { $0.attribute(forName: "name")?.stringValue == "Flaky" })
        #expect(flaky.elements(forName: "failure").isEmpty && flaky.elements(forName: "error").isEmpty)
        let flakyFailure = try #require(flaky.elements(forName: "flakyFailure").first)
        #expect(flakyFailure.attribute(forName: "type")?.stringValue == "AssertionFailure")
        #expect(flakyFailure.attribute(forName: "message")?.stringValue == "step 'list': status 500, expected 200")
        #expect(flakyFailure.elements(forName: "stackTrace").first?.stringValue == "attempt 1 details")
        #expect(flakyFailure.elements(forName: "system-out").first?.stringValue?.contains("GET http://127.0.0.1:8080/api/clinics → 500") == true)
        #expect(flaky.elements(forName: "flakyError").first?.attribute(forName: "type")?.stringValue == "TransportError")
        let never = try #require(cases.first { $0.attribute(forName: "name")?.stringValue == "Never" })
        #expect(never.elements(forName: "skipped").first?.attribute(forName: "message")?.stringValue == "not run")
        let properties = try root.nodes(forXPath: "/testsuites/testsuite[1]/properties/property").compactMap { $0 as? XMLElement }
        let pairs = properties.map { ($0.attribute(forName: "name")?.stringValue ?? "", $0.attribute(forName: "value")?.stringValue ?? "") }
        #expect(pairs.map(\.0) == ["target", "baseURL", "interruption"])
        #expect(pairs.map(\.1) == ["local", "http://127.0.0.1:8080", "SIGINT"])
    }

    @Test("every (classname, name) pair is unique: matrix values in the name, shared suite names by path, repeats numbered")
    func uniqueCaseNames() throws {
        let document = try XMLDocument(data: Data(JUnitReportWriter.render(ReportFixtures.richReport()).utf8), options: [])
        let cases = try document.nodes(forXPath: "//testcase").compactMap { $0 as? XMLElement }
        let pairs = cases.map { "\($0.attribute(forName: "classname")?.stringValue ?? "") :: \($0.attribute(forName: "name")?.stringValue ?? "")" }
        #expect(Set(pairs).count == pairs.count, "\(pairs)")
        #expect(pairs.contains("Flows/patient/book.yaml :: Book [mode=video]"))
        #expect(pairs.contains("Flows/patient/book.yaml :: Book [mode=clinic]"))
        #expect(pairs.contains("More/patient/book.yaml :: \(ReportFixtures.scriptName)"))
        #expect(pairs.contains("admin/a.yaml :: Twice") && pairs.contains("admin/a.yaml :: Twice #2"))
        var named = FlowResult(
            name: "Book [mode=video]", source: FlowSource(path: "a.yaml", suiteName: "a.yaml"), status: .passed, steps: [], startedAt: Date(),
            duration: .zero, failure: nil)
        named.matrix = [MatrixBinding(name: "mode", value: "video")]
        #expect(ReportCaseNames.caseName(named) == "Book [mode=video]", "a name that already holds its values is kept")
    }

    @Test("each suite's counts and time equal its test cases'")
    func suiteCountsMatchChildren() throws {
        let document = try XMLDocument(data: Data(JUnitReportWriter.render(ReportFixtures.richReport()).utf8), options: [])
        let suites = try document.nodes(forXPath: "//testsuite").compactMap { $0 as? XMLElement }
        #expect(suites.count == 3)
        var total = 0
        for suite in suites {
            let cases = suite.elements(forName: "testcase")
            total += cases.count
            func count(_ element: String) -> String { "\(cases.count { !$0.elements(forName: element).isEmpty })" }
            #expect(suite.attribute(forName: "tests")?.stringValue == "\(cases.count)")
            #expect(suite.attribute(forName: "failures")?.stringValue == count("failure"))
            #expect(suite.attribute(forName: "errors")?.stringValue == count("error"))
            #expect(suite.attribute(forName: "skipped")?.stringValue == count("skipped"))
            let sum = cases.reduce(0.0) { $0 + (Double($1.attribute(forName: "time")?.stringValue ?? "") ?? -1) }
            #expect(abs((Double(suite.attribute(forName: "time")?.stringValue ?? "") ?? -1) - sum) < 0.002)
        }
        #expect(document.rootElement()?.attribute(forName: "tests")?.stringValue == "\(total)")
    }

    @Test(
        "junitparser reads the report with the same counts, flaky results and unique cases",
        .enabled(if: ExternalTools.hasJUnitParser, "requires the Python package junitparser (pip install junitparser; .ci/run installs it)"))
    func junitparserReadsIt() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = directory.path + "/junit.xml"
        try JUnitReportWriter.write(ReportFixtures.richReport(), to: URL(fileURLWithPath: file))
        let script = """
            import json, sys
            from junitparser import Error, Failure, Skipped
            from junitparser.xunit2 import JUnitXml
            xml = JUnitXml.fromfile(sys.argv[1])
            suites, pairs, flaky = [], [], 0
            for suite in xml:
                cases = list(suite)
                kinds = [type(r) for c in cases for r in c.result]
                counted = [len(cases), kinds.count(Failure), kinds.count(Error), kinds.count(Skipped)]
                suites.append({"declared": [suite.tests, suite.failures, suite.errors, suite.skipped], "counted": counted})
                pairs += [[c.classname, c.name] for c in cases]
                flaky += sum(len(c.flaky_failures()) + len(c.flaky_errors()) for c in cases if c.is_passed)
            print(json.dumps({"tests": xml.tests, "failures": xml.failures, "errors": xml.errors,
                              "suites": suites, "pairs": pairs, "flaky": flaky}))
            """
        let outcome = try ExternalTools.python(script, [file])
        #expect(outcome.status == 0, "\(outcome.errorText)")
        let result = try JSONValue(parsing: outcome.standardOutput)
        guard case .object(let fields) = result, case .array(let suites)? = fields["suites"], case .array(let pairs)? = fields["pairs"] else {
            Issue.record("unexpected output: \(result.compactJSON)")
            return
        }
        #expect(fields["tests"] == 7 && fields["failures"] == 1 && fields["errors"] == 0)
        #expect(fields["flaky"] == 2)
        #expect(suites.count == 3)
        for suite in suites {
            guard case .object(let entry) = suite else { continue }
            #expect(entry["declared"] == entry["counted"], "\(suite.compactJSON)")
        }
        #expect(Set(pairs).count == 7)
    }

    @Test("XML escaping drops forbidden characters and escapes markup")
    func escaping() {
        #expect(XMLText.escapeText("a<b>&\"c'\u{0}\u{FFFF}\r") == "a&lt;b&gt;&amp;&quot;c&apos;&#13;")
        #expect(XMLText.escapeAttribute("x\ty\nz") == "x&#9;y&#10;z")
        #expect(XMLText.escapeText("🙏🏽 ok") == "🙏🏽 ok")
    }

    @Test("durations are seconds with three decimals and a dot")
    func durations() {
        #expect(DurationText.seconds(.zero) == "0.000")
        #expect(DurationText.seconds(.microseconds(400)) == "0.000")
        #expect(DurationText.seconds(.microseconds(500)) == "0.001")
        #expect(DurationText.seconds(.microseconds(12_345_600)) == "12.346")
        #expect(DurationText.seconds(.seconds(3600)) == "3600.000")
        #expect(DurationText.seconds(.seconds(-1)) == "0.000")
    }

    @Test("a flow that failed on every attempt (--retries) lists its earlier attempts as rerunFailure/rerunError")
    func reruns() throws {
        var report = ReportFixtures.richReport()
        let failedIndex = try #require(report.results.firstIndex { $0.status == .failed })
        let earlier = try #require(report.results.first(where: \.isFlaky)?.previousAttempts)
        report.results[failedIndex].previousAttempts = earlier
        let document = try XMLDocument(data: Data(JUnitReportWriter.render(report).utf8), options: [])
        let failing = try #require(try document.nodes(forXPath: "//testcase[failure]").first as? XMLElement)
        #expect(failing.elements(forName: "rerunFailure").first?.attribute(forName: "type")?.stringValue == "AssertionFailure")
        #expect(failing.elements(forName: "rerunError").first?.attribute(forName: "type")?.stringValue == "TransportError")
    }

    @Test(
        "validates against the JUnit XSD",
        .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/xmllint"), "requires xmllint (apt-get install libxml2-utils)"))
    func validatesAgainstSchema() throws {
        let schema = try #require(Bundle.module.url(forResource: "junit", withExtension: "xsd", subdirectory: "Resources"))
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = URL(fileURLWithPath: directory.path + "/junit.xml")
        try JUnitReportWriter.write(ReportFixtures.report(), to: file)
        let empty = URL(fileURLWithPath: directory.path + "/empty.xml")
        try JUnitReportWriter.write(RunReport(target: "t", startedAt: Date(), duration: .zero, results: []), to: empty)
        let rich = URL(fileURLWithPath: directory.path + "/rich.xml")
        try JUnitReportWriter.write(ReportFixtures.richReport(), to: rich)
        for document in [file, empty, rich] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/xmllint")
            process.arguments = ["--noout", "--schema", schema.path, document.path]
            let errors = Pipe()
            process.standardError = errors
            process.standardOutput = Pipe()
            try process.run()
            let output = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "xmllint: \(output)")
        }
    }

    @Test("the Markdown summary has a table and every failure in full")
    func markdown() {
        let markdown = MarkdownSummaryWriter.render(ReportFixtures.report())
        #expect(markdown.contains("| Flow | File | Result | Duration (s) |"))
        #expect(markdown.contains("| Passed | admin/a.yaml | ✅ passed | 0.100 |"))
        #expect(markdown.contains("## Failures"))
        #expect(markdown.contains("### Errored"))
        #expect(markdown.contains("connection refused"))
        #expect(markdown.contains(ReportFixtures.devanagari))
        #expect(markdown.contains("1 passed, 2 failed, 1 skipped"))
    }

    @Test("excerpts are bounded to 2 KiB on character boundaries")
    func excerpt() {
        let excerpt = RecordedText.bound(ReportFixtures.devanagari)
        #expect(excerpt.utf8.count <= 2048)
        #expect(excerpt.contains("bytes in all, SHA-256 "))
        #expect(RecordedText.bound("short") == "short")
    }
}
