import FlowCore
import FlowRuntime
import Foundation
import Logging
import Synchronization

/// The embedded server's log, written to a file in the report folder (`server.log`) instead of the console, so that
/// its lines (an expected 429 warning, say) never interleave with the runner's output. One line per entry —
/// `TIMESTAMP LEVEL [label] message key=value …` — with the target's secrets masked; the file is named at the end
/// of the run with the report paths.
public final class ServerLogFile: Sendable {
    /// Where the log is written.
    public let url: URL
    private let handle: Mutex<FileHandle?>
    private let masker: SecretMasker

    /// Creates (or empties) the file.
    /// - Throws: file-system errors when the file cannot be created.
    public init(url: URL, masker: SecretMasker) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: url.path])
        }
        self.url = url
        self.handle = Mutex(try FileHandle(forWritingTo: url))
        self.masker = masker
    }

    deinit { close() }

    /// A logger that writes to this file at `level` and above.
    public func logger(label: String = "illajwala-api", level: Logger.Level = .info) -> Logger {
        var logger = Logger(label: label) { label in Handler(label: label, file: self) }
        logger.logLevel = level
        return logger
    }

    /// Flushes and closes the file; later lines are dropped.
    public func close() {
        handle.withLock { handle in
            try? handle?.close()
            handle = nil
        }
    }

    fileprivate func append(_ line: String) {
        let data = Data((masker.mask(line) + "\n").utf8)
        handle.withLock { handle in handle?.write(data) }
    }

    private struct Handler: LogHandler {
        let label: String
        let file: ServerLogFile
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .info

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
            var line =
                "\(ISO8601DateFormatter.string(from: Date(), timeZone: .gmt, formatOptions: [.withInternetDateTime, .withFractionalSeconds])) \(event.level) [\(label)] \(event.message)"
            for key in merged.keys.sorted() { line += " \(key)=\(merged[key].map { "\($0)" } ?? "")" }
            file.append(line)
        }
    }
}
