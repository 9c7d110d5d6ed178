import FlowCore
import FlowRuntime
import Foundation

/// `illajwala-flows jsonpath EXPR [FILE|-] [--paths]`: evaluates an RFC 9535 JSONPath selector against a JSON
/// document and prints the selected nodes, one compact JSON value per line — or with `--paths` the RFC 9535 §2.7
/// Normalized Path of each, e.g. `$['data'][0]['id']` — the tool a flow author reaches for when a capture or
/// expectation does not select what they expect.
///
/// Exit statuses: 0 at least one node selected; 1 nothing selected; 2 a bad selector (with its column), an
/// unreadable file or a document that is not JSON.
public struct JSONPathCommand: Sendable {
    /// The selector, e.g. `$.data[?@.status == 'confirmed'].id`.
    public var expression: String
    /// The JSON document's path, or `-` for standard input.
    public var file: String
    /// Print each selected node's Normalized Path (RFC 9535 §2.7) instead of its value (`--paths`).
    public var printsPaths: Bool

    /// Creates the command; see the properties.
    public init(expression: String, file: String = "-", printsPaths: Bool = false) {
        self.expression = expression
        self.file = file
        self.printsPaths = printsPaths
    }

    /// Runs the command.
    /// - Parameters:
    ///   - readStandardInput: supplies standard input when ``file`` is `-`.
    ///   - standardOutput: one line per selected node, in selection order: its value as compact JSON, or its
    ///     Normalized Path when ``printsPaths`` is set.
    ///   - standardError: the problem, for exit status 2; a note that nothing was selected, for exit status 1.
    public func execute(
        readStandardInput: () -> Data, standardOutput: (String) -> Void, standardError: (String) -> Void
    ) -> FlowRunCommand.ExitStatus {
        let query: JSONPathQuery
        do {
            query = try JSONPathQuery(expression)
        } catch {
            standardError(expression)
            standardError(String(repeating: " ", count: max(error.column - 1, 0)) + "^")
            standardError("JSONPath \(error.description)")
            return .usage
        }
        let data: Data
        if file == "-" {
            data = readStandardInput()
        } else {
            guard let contents = FileManager.default.contents(atPath: file) else {
                standardError("\(file): cannot read file")
                return .usage
            }
            data = contents
        }
        let document: JSONValue
        do {
            document = try JSONValue(parsing: data)
        } catch {
            standardError("\(file == "-" ? "standard input" : file): not a JSON document (\(error))")
            return .usage
        }
        let nodes = query.selectLocated(in: document)
        for node in nodes { standardOutput(printsPaths ? node.path.description : node.value.compactJSON) }
        if nodes.isEmpty { standardError("\(expression) selects nothing in \(file == "-" ? "standard input" : file)") }
        return nodes.isEmpty ? .failed : .passed
    }
}
