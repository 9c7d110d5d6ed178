import BookingCore
import Foundation

/// The body of `GET /api/doctors/:id/availability`, written directly: byte for byte what ``ResponseBuilder/success(_:status:meta:)``
/// writes through `JSONEncoder` (sorted keys, unescaped slashes, upper-case UUIDs, RFC 3339 instants), at a fraction of
/// the cost. A week lists hundreds of slots and the generic encoder spent ≈ 10 µs on each (about half the request's
/// CPU in perf, docs/performance-tuning.md); `AvailabilityResponseBodyTests` checks both writers agree.
enum AvailabilityResponseBody {
    /// `{"data":[{"clinicId":…,"end":…,"mode":…,"modes":[…],"start":…},…],"success":true}`.
    static func encode(_ slots: [DoctorService.AvailableSlot]) throws -> Data {
        var text = #"{"data":["#
        text.reserveCapacity(32 + slots.count * 160)
        var modesCache: (modes: [ConsultationMode], fragment: String)?
        var clinicCache: (id: UUID, text: String)?
        let modeTexts = try Dictionary(uniqueKeysWithValues: ConsultationMode.allCases.map { ($0, try quoted($0.rawValue)) })
        for (index, slot) in slots.enumerated() {
            if index > 0 { text += "," }
            text += #"{"clinicId":""#
            if let cached = clinicCache, cached.id == slot.clinicId {
                text += cached.text
            } else {
                clinicCache = (slot.clinicId, slot.clinicId.uuidString)
                text += slot.clinicId.uuidString
            }
            text += #"","end":""#
            text += RFC3339Instant.format(slot.end)
            text += #"","mode":"#
            text += try modeTexts[slot.mode] ?? quoted(slot.mode.rawValue)
            text += #","modes":"#
            if let cached = modesCache, cached.modes == slot.modes {
                text += cached.fragment
            } else {
                let fragment = "[" + slot.modes.map { modeTexts[$0] ?? "" }.joined(separator: ",") + "]"
                modesCache = (slot.modes, fragment)
                text += fragment
            }
            text += #","start":""#
            text += RFC3339Instant.format(slot.start)
            text += #""}"#
        }
        text += #"],"success":true}"#
        return Data(text.utf8)
    }

    /// `value` as a JSON string the way `JSONEncoder` writes it (only the characters it escapes).
    private static func quoted(_ value: String) throws -> String {
        String(decoding: try JSONEncoder().encode(value), as: UTF8.self).replacingOccurrences(of: "\\/", with: "/")
    }
}
