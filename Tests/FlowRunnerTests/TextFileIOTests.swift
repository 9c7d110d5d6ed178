import FlowCore
import Foundation
import Testing
import TextFileIO

/// Reading the files the runner is given and writing its reports: UTF-8 with a byte-order mark dropped, the line of
/// invalid bytes named, unreadable files named, reports written whole into folders that may not exist yet.
@Suite("TextFileIO: text files in, report files out")
struct TextFileIOTests {
    @Test("a byte-order mark is dropped, so line 1 column 1 is the first character an editor shows")
    func byteOrderMark() throws {
        #expect(try TextFile.decode(Data([0xEF, 0xBB, 0xBF]) + Data("name: f\n".utf8), path: "f.yaml") == "name: f\n")
        #expect(try TextFile.decode(Data("name: f\n".utf8), path: "f.yaml") == "name: f\n")
    }

    @Test("invalid UTF-8 is an error naming the file and the line of the first bad byte", arguments: [1, 3, 7])
    func invalidUTF8(line: Int) {
        let text = Data(String(repeating: "ok: yes\n", count: line - 1).utf8) + Data([0x61, 0xC3, 0x28, 0x0A])
        #expect {
            try TextFile.decode(text, path: "bad.yaml")
        } throws: { error in
            guard let error = error as? TextFile.ReadError else { return false }
            return error.diagnostic.location.file == "bad.yaml" && error.diagnostic.location.line == line
                && error.diagnostic.message.contains("not UTF-8")
        }
    }

    @Test("a missing file is an error naming it; the reader flow files use turns it into a diagnostic")
    func missingFile() throws {
        let path = NSTemporaryDirectory() + "text-file-io-missing-\(UUID().uuidString).yaml"
        #expect {
            try TextFile.read(path)
        } throws: { error in
            (error as? TextFile.ReadError)?.diagnostic.description == "\(path): cannot read file"
        }
        #expect {
            try TextFile.referencedFileReader(path)
        } throws: { error in
            (error as? FlowDiagnostic)?.message == "cannot read file"
        }
        let present = NSTemporaryDirectory() + "text-file-io-\(UUID().uuidString).yaml"
        try Data([0xEF, 0xBB, 0xBF, 0x61]).write(to: URL(fileURLWithPath: present))
        defer { try? FileManager.default.removeItem(atPath: present) }
        #expect(try TextFile.referencedFileReader(present) == "a")
        #expect(try TextFile.read(present) == "a")
    }

    @Test("a report is written whole, its folders created, replacing an older one; JSON is pretty, sorted, unescaped slashes")
    func reportFiles() throws {
        let folder = URL(fileURLWithPath: NSTemporaryDirectory() + "text-file-io-\(UUID().uuidString)", isDirectory: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("nested/deeper/report.json")
        try ReportFile.write("first\n", to: file)
        try ReportFile.write("second\n", to: file)
        #expect(try String(contentsOf: file, encoding: .utf8) == "second\n")
        struct Document: Encodable {
            var zeta = 1
            var alpha = "a/b"
        }
        #expect(ReportFile.prettyJSON(Document()) == "{\n  \"alpha\" : \"a/b\",\n  \"zeta\" : 1\n}\n")
        #expect(throws: (any Error).self) { try ReportFile.write("x", to: URL(fileURLWithPath: "/proc/no-such-folder/report.txt")) }
    }
}
