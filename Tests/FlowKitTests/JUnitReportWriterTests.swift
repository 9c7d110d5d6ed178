import Foundation
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

@testable import FlowKit

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
        #expect(suites[0].elements(forName: "properties").first?.elements(forName: "property").first?.attribute(forName: "value")?.stringValue == "local & <ci>")
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

    @Test("XML escaping drops forbidden characters and escapes markup")
    func escaping() {
        #expect(XMLText.escapeText("a<b>&\"c'\u{0}\u{FFFF}\r") == "a&lt;b&gt;&amp;&quot;c&apos;&#13;")
        #expect(XMLText.escapeAttribute("x\ty\nz") == "x&#9;y&#10;z")
        #expect(XMLText.escapeText("🙏🏽 ok") == "🙏🏽 ok")
    }

    @Test("durations are seconds with three decimals and a dot")
    func durations() {
        #expect(DurationText.seconds(0) == "0.000")
        #expect(DurationText.seconds(0.0004) == "0.000")
        #expect(DurationText.seconds(0.0005) == "0.001")
        #expect(DurationText.seconds(12.3456) == "12.346")
        #expect(DurationText.seconds(3600) == "3600.000")
        #expect(DurationText.seconds(-1) == "0.000")
        #expect(DurationText.seconds(.nan) == "0.000")
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
        try JUnitReportWriter.write(RunReport(target: "t", startedAt: Date(), duration: 0, results: []), to: empty)
        for document in [file, empty] {
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
        let excerpt = TextExcerpt.make(ReportFixtures.devanagari)
        #expect(excerpt.utf8.count <= 2048)
        #expect(excerpt.hasSuffix("bytes total)"))
        #expect(TextExcerpt.make("short") == "short")
    }
}
