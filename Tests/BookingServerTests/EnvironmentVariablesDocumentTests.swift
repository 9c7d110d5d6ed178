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

    static let configurationFolder = PackagePaths.root.appendingPathComponent("Sources/BookingServer/Configuration")

    /// Names one file of the configuration code reads: string literals passed to `value(`, `integer(`, `seconds(`
    /// and `secret(`, and the `ILLAJWALA_ENV` lookup.
    static func read(_ file: URL) throws -> Set<String> {
        let text = try String(contentsOf: file, encoding: .utf8)
        return Set(text.matches(of: /(?:value|integer|seconds|secret)\("([A-Z][A-Z0-9_]+)"|raw\["([A-Z][A-Z0-9_]+)"\]/).map { String($0.1 ?? $0.2 ?? "") })
    }

    /// Names the configuration code reads, over every file of `Sources/BookingServer/Configuration`.
    static func read() throws -> Set<String> {
        let files = FileManager.default.enumerator(at: configurationFolder, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
        return try files.filter { $0.pathExtension == "swift" }.reduce(into: Set<String>()) { $0.formUnion(try read($1)) }
    }

    @Test("each configuration section declares exactly the variables its own file reads")
    func sections() throws {
        let sections: [(file: String, names: [String])] = [
            ("HTTPSettings", HTTPSettings.variableNames), ("AuthSettings", AuthSettings.variableNames),
            ("DatabaseSettings", DatabaseSettings.variableNames), ("ReadCacheSettings", ReadCacheSettings.variableNames),
            ("PaymentGatewayConfiguration", PaymentGatewayConfiguration.variableNames),
            ("RateLimitSettings", RateLimitSettings.variableNames), ("ShutdownSettings", ShutdownSettings.variableNames),
            ("LoggingSettings", LoggingSettings.variableNames), ("ErrorTrackingSettings", ErrorTrackingSettings.variableNames),
        ]
        var all: [String] = []
        for section in sections {
            let read = try Self.read(Self.configurationFolder.appendingPathComponent("Sections/\(section.file).swift"))
            #expect(read == Set(section.names), "\(section.file)")
            all += section.names
        }
        #expect(Set(all).count == all.count, "a variable belongs to one section")
        #expect(ServerConfiguration.variableNames == Set(all + ["ILLAJWALA_ENV"]))
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
