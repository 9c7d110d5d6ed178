import FlowCore
import Foundation

/// Reads the per-file summaries of an llvm-cov export in JSON (format 3.x), the file that
/// `swift test --enable-code-coverage` leaves at `swift test --show-codecov-path`.
///
/// Only `version`, `data[0].files[].filename` and `data[0].files[].summary.{lines,functions,regions}.{count,covered}`
/// are read; segments, branches and every other key are ignored.
public enum CoverageExportReader {
    /// Reads and decodes the export at `path`.
    /// - Returns: one summary per file, in the export's order (every file of the binary, dependencies included).
    /// - Throws: ``CoverageExportError`` (`.missing` when there is no file at `path`).
    public static func read(contentsOf path: String) throws(CoverageExportError) -> [FileCoverage] {
        guard FileManager.default.fileExists(atPath: path) else { throw .missing(path: path) }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .unreadable(path: path, reason: error.localizedDescription)
        }
        return try decode(data, path: path)
    }

    /// Decodes export JSON text.
    /// - Parameter path: the file name used in errors.
    /// - Throws: ``CoverageExportError/invalid(path:reason:)``.
    public static func decode(_ data: Data, path: String) throws(CoverageExportError) -> [FileCoverage] {
        let export: Export
        do {
            export = try JSONDecoder().decode(Export.self, from: data)
        } catch let error as DecodingError {
            throw .invalid(path: path, reason: Self.reason(error))
        } catch {
            throw .invalid(path: path, reason: "\(error)")
        }
        if let type = export.type, type != "llvm.coverage.json.export" {
            throw .invalid(path: path, reason: "type is '\(type)', expected 'llvm.coverage.json.export'")
        }
        guard export.version.split(separator: ".").first == "3" else {
            throw .invalid(path: path, reason: "version is '\(export.version)', expected 3.x")
        }
        guard let first = export.data.first else { throw .invalid(path: path, reason: "'data' is empty") }
        return first.files.map { file in
            FileCoverage(
                path: file.filename, lines: file.summary.lines.counts, functions: file.summary.functions.counts,
                regions: file.summary.regions.counts)
        }
    }

    /// A short account of a decoding error: what is wrong and where (`data[0].files[3].summary`).
    private static func reason(_ error: DecodingError) -> String {
        func at(_ path: [any CodingKey]) -> String {
            var text = ""
            for key in path {
                if let index = key.intValue { text += "[\(index)]" } else { text += (text.isEmpty ? "" : ".") + key.stringValue }
            }
            return text.isEmpty ? "the top level" : text
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "missing key '\(key.stringValue)' in \(at(context.codingPath))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "unexpected value at \(at(context.codingPath)): \(context.debugDescription)"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "not valid JSON" : "invalid value at \(at(context.codingPath))"
        @unknown default:
            return "\(error)"
        }
    }

    private struct Export: Decodable {
        var type: String?
        var version: String
        var data: [Entry]
    }

    private struct Entry: Decodable {
        var files: [File]
    }

    private struct File: Decodable {
        var filename: String
        var summary: Summary
    }

    private struct Summary: Decodable {
        var lines: Counts
        var functions: Counts
        var regions: Counts
    }

    private struct Counts: Decodable {
        var count: Int
        var covered: Int
        var counts: CoverageCounts { CoverageCounts(count: count, covered: covered) }
    }
}
