import Crypto
import Foundation

/// The one bound on every value a run records: request and response bodies, header values, URLs, expected and
/// actual values of assertions, diffs, failure messages and curl lines. A value of at most ``limit`` UTF-8 bytes is
/// kept whole; a longer one keeps its longest prefix of whole characters that fits, followed by a note with its total
/// size and the SHA-256 of the whole (`… (31457280 bytes in all, SHA-256 9f86d0…)`), so two runs can tell whether
/// they saw the same body without either report holding it.
///
/// Secrets are masked (``SecretMasker``) before the cut, over a window long enough that no occurrence starting
/// inside the kept prefix is cut in half. Large values are never copied whole: bytes are read up to the window,
/// JSON values are serialized into a sink that keeps only the window and hashes the rest as it streams by.
/// Assertions still evaluate the whole value; only what is recorded is bounded.
public enum RecordedText {
    /// Largest recorded text, in UTF-8 bytes, including the truncation note.
    public static let limit = 2048

    /// `text` masked and bounded.
    public static func bound(_ text: String, masker: SecretMasker = SecretMasker(secrets: []), limit: Int = RecordedText.limit) -> String {
        var sink = Sink(keep: limit + masker.longestForm + 4)
        sink.write(text)
        return sink.finish(masker: masker, limit: limit)
    }

    /// Bytes (a body) as UTF-8 text (invalid sequences replaced), masked and bounded.
    public static func bound(_ data: Data, masker: SecretMasker = SecretMasker(secrets: []), limit: Int = RecordedText.limit) -> String {
        var sink = Sink(keep: limit + masker.longestForm + 4)
        sink.write(bytes: data)
        return sink.finish(masker: masker, limit: limit)
    }

    /// A JSON value as compact JSON, masked and bounded, without serializing all of it into one string.
    /// - Parameter maskingSensitiveMembers: show credential members (``SensitiveFields``) as `"***"`.
    public static func bound(
        _ value: JSONValue, masker: SecretMasker = SecretMasker(secrets: []), maskingSensitiveMembers: Bool = false,
        limit: Int = RecordedText.limit
    ) -> String {
        var sink = Sink(keep: limit + masker.longestForm + 4)
        value.write(to: &sink, maskingSensitiveMembers: maskingSensitiveMembers)
        return sink.finish(masker: masker, limit: limit)
    }

    /// A request or response body for the reports: when it is JSON that names a credential member (see
    /// ``SensitiveFields``), those members are masked first (the excerpt is then compact JSON); otherwise the bytes
    /// as they are. Either way masked and bounded.
    /// - Parameter parsed: the body already parsed as JSON, when the caller has it (saves parsing it again).
    public static func body(_ data: Data, parsed: JSONValue? = nil, masker: SecretMasker) -> String {
        if SensitiveFields.mayName(data), let value = parsed ?? (try? JSONValue(parsing: data)), SensitiveFields.hasSensitiveMember(value) {
            return bound(value, masker: masker, maskingSensitiveMembers: true)
        }
        return bound(data, masker: masker)
    }

    /// Keeps the first `keep` bytes written; counts and hashes all of them.
    struct Sink: TextOutputStream {
        let keep: Int
        var kept: [UInt8] = []
        var total = 0
        var hasher = SHA256()

        init(keep: Int) {
            self.keep = keep
            kept.reserveCapacity(min(keep, 4096))
        }

        mutating func write(_ string: String) {
            var string = string
            string.withUTF8 { buffer in write(buffer: buffer) }
        }

        mutating func write(buffer: UnsafeBufferPointer<UInt8>) {
            total += buffer.count
            if kept.count < keep { kept.append(contentsOf: buffer.prefix(keep - kept.count)) }
            hasher.update(bufferPointer: UnsafeRawBufferPointer(buffer))
        }

        mutating func write(bytes data: Data) {
            total += data.count
            if kept.count < keep { kept.append(contentsOf: data.prefix(keep - kept.count)) }
            hasher.update(data: data)
        }

        /// The kept text masked, whole when it fits in `limit`, else cut with the note.
        func finish(masker: SecretMasker, limit: Int) -> String {
            let masked = masker.mask(String(decoding: kept, as: UTF8.self))
            if total <= limit, masked.utf8.count <= limit { return masked }
            let digest = hasher.finalize().map { byte in (byte < 16 ? "0" : "") + String(byte, radix: 16) }.joined()
            let note = "… (\(total) bytes in all, SHA-256 \(digest))"
            let budget = max(0, limit - note.utf8.count)
            var used = 0
            var prefix = ""
            for character in masked {
                let size = character.utf8.count
                if used + size > budget { break }
                used += size
                prefix.append(character)
            }
            return prefix + note
        }
    }
}
