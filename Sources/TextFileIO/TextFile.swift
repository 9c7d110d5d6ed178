import FlowCore
import Foundation

/// Reading the text files the runner is given — flow files, includes, `targets.yaml`, JSON Schemas, coverage
/// thresholds — in one way: UTF-8, with a leading byte-order mark (which Windows editors write) dropped before the
/// text is parsed, so that every line and column the parsers report is the one an editor shows.
public enum TextFile {
    /// Why a file could not be read, as a diagnostic naming the file (and the line of invalid UTF-8).
    public struct ReadError: Error, Sendable {
        public var diagnostic: FlowDiagnostic
    }

    /// ``read(_:)`` as the reader a ``FlowFileParser`` uses for the files a flow names (`include:`, `schema:`).
    public static let referencedFileReader: ReferencedFileReader = { path throws(FlowDiagnostic) in
        do throws(ReadError) {
            return try read(path)
        } catch {
            throw error.diagnostic
        }
    }

    /// The file's text without a leading byte-order mark.
    /// - Throws: ``ReadError`` when the file cannot be read or is not UTF-8.
    public static func read(_ path: String) throws(ReadError) -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ReadError(diagnostic: FlowDiagnostic(location: SourceLocation(file: path, line: 0, column: 0), message: "cannot read file"))
        }
        return try decode(data, path: path)
    }

    /// `data` as UTF-8 text without a leading byte-order mark.
    /// - Throws: ``ReadError`` naming the line of the first invalid UTF-8 sequence.
    public static func decode(_ data: Data, path: String) throws(ReadError) -> String {
        var bytes = data[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            var valid = bytes.startIndex
            var decoder = UTF8()
            var iterator = bytes.makeIterator()
            scan: while true {
                switch decoder.decode(&iterator) {
                case .scalarValue(let scalar): valid += UTF8.width(scalar)
                case .emptyInput, .error: break scan
                }
            }
            let line = bytes[bytes.startIndex..<valid].count { $0 == 0x0A } + 1
            throw ReadError(
                diagnostic: FlowDiagnostic(
                    location: SourceLocation(file: path, line: line, column: 1), message: "the file is not UTF-8 text (invalid byte sequence on this line)"))
        }
        return text
    }
}
