import BookingCore
import BookingServer
import Testing

/// The one place the domain's refusals become HTTP: each ``BookingError`` case answers the status and code of
/// API.md "Error codes", with the message and details the client needs.
@Suite("BookingError → error envelope")
struct BookingErrorMappingTests {
    @Test(
        "each case has its status and code",
        arguments: [
            (BookingError.notAuthenticated("invalid email or password"), 401, "UNAUTHORIZED"),
            (.forbidden(), 403, "FORBIDDEN"),
            (.notFound(resource: "appointment"), 404, "NOT_FOUND"),
            (.conflict("a clinic with this slug already exists"), 409, "CONFLICT"),
            (.slotUnavailable, 409, "SLOT_UNAVAILABLE"),
            (.invalidTransition(from: "completed", to: "cancelled"), 409, "INVALID_TRANSITION"),
            (.alreadyWaitlisted, 409, "ALREADY_WAITLISTED"),
            (.waitlistFull, 409, "WAITLIST_FULL"),
        ])
    func statusAndCode(_ error: BookingError, _ status: Int, _ code: String) {
        let answer = APIError(error)
        #expect(answer.status.code == status)
        #expect(answer.code == code)
        #expect(!answer.message.isEmpty)
    }

    @Test("messages and details: the default wording, or what the domain said")
    func messages() {
        #expect(APIError(.notFound(resource: "doctor")).message == "doctor not found")
        let entry = APIError(.notFound(resource: "waitlist entry", message: "waitlist entry not found; nothing was changed", details: ["entryId": "e-1"]))
        #expect(entry.message == "waitlist entry not found; nothing was changed" && entry.details == ["entryId": "e-1"])
        let move = APIError(.invalidTransition(from: "pending", to: "completed", details: ["entryId": "e-2"]))
        #expect(move.message == "cannot move from pending to completed")
        #expect(move.details == ["entryId": "e-2", "from": "pending", "to": "completed"])
        #expect(APIError(.notAuthenticated("invalid refresh token")).message == "invalid refresh token")
    }
}
