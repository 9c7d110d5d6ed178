import Foundation
import Logging
import Synchronization

/// A swift-log handler writing one JSON object per line — what log shippers (Loki, CloudWatch, Elasticsearch) parse
/// without rules. Production's format (`LOG_FORMAT=json`); development keeps swift-log's readable lines.
///
/// Every line has `timestamp` (RFC 3339, UTC, milliseconds), `level`, `message` and `logger` (the label), then the
/// metadata — handler, logger and record metadata merged, record winning — as top-level members: `request_id`,
/// `trace_id`, `route`, `status`, `duration_ms`, `tenant`, … Nested metadata become JSON objects and arrays; a
/// value that looks like an integer or a decimal number is written as a JSON number (so `duration_ms` can be
/// summed). Keys are sorted so lines diff well.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let write: @Sendable (String) -> Void

    /// - Parameters:
    ///   - label: the logger's label, written as `logger`.
    ///   - write: receives each line without its newline (default: standard output, one `write(2)` per line).
    public init(label: String, metadataProvider: Logger.MetadataProvider? = nil, write: @escaping @Sendable (String) -> Void = JSONLogHandler.standardOutput) {
        self.label = label
        self.metadataProvider = metadataProvider
        self.write = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        var object: [String: Any] = [:]
        for (key, value) in merged { object[key] = Self.json(value) }
        object["timestamp"] = Self.timestamp(Date())
        object["level"] = event.level.rawValue
        object["message"] = event.message.description
        object["logger"] = label
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else { return }
        write(String(decoding: data, as: UTF8.self))
    }

    static func json(_ value: Logger.Metadata.Value) -> Any {
        switch value {
        case .string(let text):
            if let integer = Int(text) { return integer }
            if text.contains("."), let number = Double(text), number.isFinite, text.first != "." { return number }
            return text
        case .stringConvertible(let convertible): return json(.string(convertible.description))
        case .array(let values): return values.map(json)
        case .dictionary(let values): return values.mapValues(json)
        }
    }

    static func timestamp(_ date: Date) -> String {
        date.formatted(
            .iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: true).timeSeparator(.colon).timeZone(separator: .omitted))
    }

    private static let outputLock = Mutex(())

    /// Writes `line` and a newline to standard output in one call, so concurrent lines never interleave.
    public static let standardOutput: @Sendable (String) -> Void = { line in
        outputLock.withLock { _ in FileHandle.standardOutput.write(Data((line + "\n").utf8)) }
    }
}
