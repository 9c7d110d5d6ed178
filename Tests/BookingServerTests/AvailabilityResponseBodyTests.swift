import BookingCore
import Foundation
import Testing

@testable import BookingServer

/// The availability body is written by hand for speed; it must stay byte for byte what the generic encoder writes.
@Suite("Availability body: the direct writer matches JSONEncoder")
struct AvailabilityResponseBodyTests {
    /// The success envelope as `ResponseBuilder.success` encodes it (no `meta`).
    struct Envelope: Encodable {
        let success = true
        let data: [DoctorService.AvailableSlot]
    }

    @Test("empty, one mode, several modes, modes changing between slots, instants across years", arguments: [0, 1, 3, 300])
    func matchesJSONEncoder(count: Int) throws {
        let modeSets: [[ConsultationMode]] = [[.inPerson], [.inPerson, .video], ConsultationMode.allCases, [.video]]
        let slots = (0..<count).map { index in
            let start = Date(timeIntervalSince1970: 1_796_101_200 + Double(index) * 1_800 + (index % 7 == 0 ? 0.75 : 0))
            let modes = modeSets[(index / 50) % modeSets.count]
            return DoctorService.AvailableSlot(
                start: start, end: start.addingTimeInterval(1_800), clinicId: UUID(), mode: modes[0], modes: modes)
        }
        let expected = try JSONCoding.encoder().encode(Envelope(data: slots))
        let written = try AvailabilityResponseBody.encode(slots)
        #expect(String(decoding: written, as: UTF8.self) == String(decoding: expected, as: UTF8.self))
    }
}
