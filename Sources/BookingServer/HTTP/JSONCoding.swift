import BookingCore
import Foundation

/// The API's JSON conventions: RFC 3339 instants (UTC `Z` on output; any offset, optional fractional
/// seconds on input), ISO 8601 dates, no escaped slashes.
public enum JSONCoding {
    /// Encoder for response bodies.
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(formatInstant(date))
        }
        return encoder
    }

    /// Decoder for request bodies; instants must carry an offset.
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = parseInstant(text) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "must be an RFC 3339 date-time with offset")
            }
            return date
        }
        return decoder
    }

    /// `2026-12-01T05:00:00Z` (whole seconds, UTC); see ``RFC3339Instant/format(_:)``.
    public static func formatInstant(_ date: Date) -> String { RFC3339Instant.format(date) }

    /// Parses an RFC 3339 date-time with offset (`Z` or `±HH:MM`), with or without fractional seconds,
    /// years 1970–9999. Returns `nil` otherwise; see ``RFC3339Instant/parse(_:)``.
    public static func parseInstant(_ text: String) -> Date? { RFC3339Instant.parse(text) }
}
