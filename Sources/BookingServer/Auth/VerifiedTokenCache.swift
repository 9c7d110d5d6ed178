import BookingCore
import Foundation
import Synchronization

/// Access tokens already verified, with the identity they carry and until when they stay valid, so that a client
/// sending the same token on every request pays for its signature check and claim decoding once (they were ≈ 7 % of
/// an authenticated read's CPU in perf, docs/performance-tuning.md).
///
/// Keyed by the whole token (signature included), so only the exact bytes that passed verification match. An entry
/// lasts until the token's `exp` plus the allowed skew, or the retirement of the key that signed it, whichever is
/// first — what a fresh verification would enforce. Bounded: emptied when it reaches ``capacity``.
final class VerifiedTokenCache: Sendable {
    private struct Entry {
        var identity: Identity
        var validUntil: Date
    }

    let capacity: Int
    private let entries = Mutex<[String: Entry]>([:])

    init(capacity: Int = 10_000) { self.capacity = capacity }

    /// The identity of `token` when it was verified before and is still valid at `now`.
    func identity(for token: String, at now: Date) -> Identity? {
        entries.withLock { entries in
            guard let entry = entries[token] else { return nil }
            guard now < entry.validUntil else {
                entries[token] = nil
                return nil
            }
            return entry.identity
        }
    }

    /// Remembers a verified token until `validUntil`.
    func store(_ token: String, identity: Identity, validUntil: Date) {
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[token] = Entry(identity: identity, validUntil: validUntil)
        }
    }
}
