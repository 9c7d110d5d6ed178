import APITransport
import Foundation
import TextFileIO

@testable import CoverageGate
@testable import FlowCommands
@testable import FlowCore
@testable import FlowRuntime

/// Parses flow YAML written inline in a test, as if it were the file at `path`.
enum FlowText {
    static func parse(_ text: String, path: String = "Flows/t.yaml") throws(FlowLoadError) -> Flow {
        var parser = FlowFileParser(source: FlowSource(path: path, suiteName: (path as NSString).lastPathComponent), readFile: TextFile.referencedFileReader)
        return try parser.parse(text)
    }
}
