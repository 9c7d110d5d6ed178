import Foundation

/// Writing a report file: UTF-8 text written atomically (a reader never sees half a report), parent folders
/// created; and the one JSON style every JSON report uses.
public enum ReportFile {
    /// Writes `text` to `url` as UTF-8, atomically, creating the parent folders.
    /// - Throws: file-system errors from `FileManager` / `Data.write`.
    public static func write(_ text: String, to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url, options: .atomic)
    }

    /// `value` as pretty-printed JSON with sorted keys and unescaped slashes, ending with a newline; `{}` if it
    /// cannot be encoded (report documents hold only strings, integers, booleans and finite numbers, so they always can).
    public static func prettyJSON(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
