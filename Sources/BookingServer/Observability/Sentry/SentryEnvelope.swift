import Foundation

/// The body of one `POST /api/PROJECT_ID/envelope/` (Sentry's SDK development guide, "Envelopes"): newline-separated
/// JSON, UTF-8, each header on one line —
///
/// ```text
/// {"dsn":"https://KEY@HOST/PROJECT","event_id":"<32 hex>","sdk":{"name":…,"version":…},"sent_at":"<RFC 3339>"}
/// {"content_type":"application/json","length":<payload bytes>,"type":"event"}
/// {…the event…}
/// ```
///
/// The envelope header names the event and who sent it when; the item header's `length` is the payload's size in
/// bytes (without the newline that ends it), so a reader never has to scan the payload for its end. One event item per
/// envelope: the service sends errors only, one at a time.
public enum SentryEnvelope {
    /// The `Content-Type` of an envelope request.
    public static let contentType = "application/x-sentry-envelope"

    struct Header: Encodable {
        var eventID: String
        var dsn: String
        var sentAt: String
        var sdk: SentrySDK

        enum CodingKeys: String, CodingKey {
            case eventID = "event_id", dsn, sentAt = "sent_at", sdk
        }
    }

    struct ItemHeader: Encodable {
        var type = "event"
        var length: Int
        var contentType = "application/json"

        enum CodingKeys: String, CodingKey {
            case type, length, contentType = "content_type"
        }
    }

    /// The envelope of `event` for `dsn`, stamped `sentAt` (when it leaves, not when the request failed: Sentry uses
    /// the difference to correct the sender's clock).
    /// - Throws: `EncodingError` (not expected: every member is a string, number or list of them).
    public static func encode(_ event: SentryEvent, dsn: SentryDSN, sentAt: Date = Date()) throws -> Data {
        let encoder = JSONEncoder()
        // Sorted keys: the same event always encodes to the same bytes; no escaped slashes in routes and URLs.
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let payload = try encoder.encode(event)
        let header = try encoder.encode(
            Header(eventID: event.eventID, dsn: dsn.description, sentAt: SentryEvent.timestamp(sentAt), sdk: event.sdk))
        let itemHeader = try encoder.encode(ItemHeader(length: payload.count))
        var body = Data()
        body.reserveCapacity(header.count + itemHeader.count + payload.count + 3)
        for line in [header, itemHeader, payload] {
            body.append(line)
            body.append(UInt8(ascii: "\n"))
        }
        return body
    }
}
