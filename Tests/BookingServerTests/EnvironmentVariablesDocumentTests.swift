import BookingServer
import Foundation
import IllajwalaTesting
import Testing

/// docs/environment-variables.md lists exactly the variables the service reads: the names in its table, the names
/// ``ServerConfiguration/variableNames`` declares, and the names the configuration code reads (every literal passed to
/// its `value`, `integer` and `secret` readers) are the same three sets.
@Suite("docs/environment-variables.md")
struct EnvironmentVariablesDocumentTests {
    static let document = PackagePaths.root.appendingPathComponent("docs/environment-variables.md")

    /// Names in the first column of the document's table (a cell may name several: `JWT_ISSUER`, `JWT_AUDIENCE`).
    static func documented() throws -> Set<String> {
        let text = try String(contentsOf: document, encoding: .utf8)
        var names = Set<String>()
        for line in text.split(separator: "\n") where line.hasPrefix("| `") {
            let cell = line.split(separator: "|", omittingEmptySubsequences: true).first ?? ""
            for match in cell.matches(of: /`([A-Z][A-Z0-9_]+)`/) { names.insert(String(match.1)) }
        }
        return names
    }

    /// Names the configuration code reads: string literals passed to `value(`, `integer(` and `secret(`.
    static func read() throws -> Set<String> {
        let folder = PackagePaths.root.appendingPathComponent("Sources/BookingServer/Configuration")
        var names = Set<String>()
        for file in try FileManager.default.contentsOfDirectory(atPath: folder.path) where file.hasSuffix(".swift") {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            for match in text.matches(of: /(?:value|integer|secret)\("([A-Z][A-Z0-9_]+)"/) { names.insert(String(match.1)) }
        }
        return names
    }

    @Test("the document, the declared names and the names the code reads are the same")
    func sameNames() throws {
        let documented = try Self.documented()
        let declared = ServerConfiguration.variableNames
        let read = try Self.read()
        #expect(documented.count >= 30)
        #expect(declared.subtracting(documented).isEmpty, "declared but not documented: \(declared.subtracting(documented).sorted())")
        #expect(documented.subtracting(declared).isEmpty, "documented but not read: \(documented.subtracting(declared).sorted())")
        #expect(read.subtracting(declared).isEmpty, "read but not declared: \(read.subtracting(declared).sorted())")
        #expect(declared.subtracting(read).isEmpty, "declared but never read: \(declared.subtracting(read).sorted())")
    }
}
