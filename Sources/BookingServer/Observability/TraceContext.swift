import Foundation

/// W3C Trace Context (`traceparent: 00-<trace id>-<parent id>-<flags>`, https://www.w3.org/TR/trace-context/):
/// the trace a request belongs to, accepted from the caller or started here.
public struct TraceContext: Sendable, Equatable {
    /// 32 lower-case hex digits, not all zero.
    public var traceID: String
    /// This service's span: 16 lower-case hex digits, new per request.
    public var spanID: String
    /// Trace flags (`01` = sampled).
    public var flags: String

    /// The caller's trace with a new span of ours, or a new trace when `header` is missing or malformed
    /// (version `ff`, all-zero ids, wrong lengths or non-hex digits are refused as the specification says).
    public init(incoming header: String?) {
        if let header, let parsed = Self.parse(header) {
            self = parsed
        } else {
            traceID = Self.randomHex(bytes: 16)
            flags = "01"
            spanID = ""
        }
        spanID = Self.randomHex(bytes: 8)
    }

    /// The `traceparent` to send on (response and outgoing calls): our span as the parent.
    public var traceparent: String { "00-\(traceID)-\(spanID)-\(flags)" }

    static func parse(_ header: String) -> TraceContext? {
        let parts = header.trimmingCharacters(in: .whitespaces).split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count >= 4, parts[0].count == 2, parts[0] != "ff", isHex(parts[0]),
            parts[1].count == 32, isHex(parts[1]), parts[1].contains(where: { $0 != "0" }),
            parts[2].count == 16, isHex(parts[2]), parts[2].contains(where: { $0 != "0" }),
            parts[3].count == 2, isHex(parts[3])
        else { return nil }
        // Version 00 has exactly four fields; later versions may append more (kept compatible).
        if parts[0] == "00" && parts.count != 4 { return nil }
        return TraceContext(traceID: String(parts[1]), spanID: String(parts[2]), flags: String(parts[3]))
    }

    private init(traceID: String, spanID: String, flags: String) {
        self.traceID = traceID
        self.spanID = spanID
        self.flags = flags
    }

    private static func isHex(_ text: Substring) -> Bool {
        text.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
    }

    static func randomHex(bytes: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<bytes).map { _ in
            let byte = UInt8.random(in: .min ... .max, using: &generator)
            return (byte < 16 ? "0" : "") + String(byte, radix: 16)
        }.joined()
    }
}
