import Logging
import Synchronization

/// Collects log records in memory, for tests that read what a service logged (request ids, the absence of
/// secrets and personal data).
///
/// ```swift
/// let capture = LogCapture()
/// let server = try await LiveServer.start(on: database, logger: capture.logger(level: .debug))
/// …
/// #expect(!capture.text.contains(password))
/// ```
public final class LogCapture: Sendable {
    /// One captured record.
    public struct Record: Sendable, CustomStringConvertible {
        public var level: Logger.Level
        public var message: String
        /// The record's metadata merged over the logger's, values rendered as text.
        public var metadata: [String: String]
        public var label: String

        /// `level message key=value …`, keys sorted.
        public var description: String {
            ([level.rawValue, message] + metadata.keys.sorted().map { "\($0)=\(metadata[$0]!)" }).joined(separator: " ")
        }
    }

    private let storage = Mutex<[Record]>([])

    public init() {}

    /// Every record so far, in order.
    public var records: [Record] { storage.withLock { $0 } }
    /// Every record rendered on its own line.
    public var text: String { records.map(\.description).joined(separator: "\n") }

    /// A logger writing into this capture at `level` and above.
    public func logger(label: String = "captured", level: Logger.Level = .debug) -> Logger {
        var logger = Logger(label: label) { label in Handler(label: label, capture: self) }
        logger.logLevel = level
        return logger
    }

    func append(_ record: Record) { storage.withLock { $0.append(record) } }

    struct Handler: LogHandler {
        let label: String
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .debug

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            var merged = metadata
            if let extra = event.metadata { merged.merge(extra) { _, new in new } }
            capture.append(
                Record(
                    level: event.level, message: event.message.description, metadata: merged.mapValues { "\($0)" }, label: label))
        }
    }
}
