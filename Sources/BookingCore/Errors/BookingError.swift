/// Why the booking domain refused a request, with what the client needs to know — independent of HTTP. The service
/// maps each case to one status and error code of API.md "Error codes" in one place (`APIError.init(_:)`), so a
/// service reads as the rule it enforces. Bad field values are ``ValidationError``s (400 VALIDATION_ERROR).
public enum BookingError: Error, Sendable, Equatable {
    /// Missing or wrong credentials: a bad password, an unknown or revoked refresh token (401).
    case notAuthenticated(String)
    /// The caller's role or relation to the resource does not allow this (403).
    case forbidden(String = "your role may not do this")
    /// No such resource in the caller's tenant and visibility — a foreign id gets exactly this answer (404);
    /// `message` overrides the default "`resource` not found", `details` name the id.
    case notFound(resource: String, message: String? = nil, details: [String: String]? = nil)
    /// The request contradicts stored state: a taken e-mail, slug or tenant id, a second refund (409).
    case conflict(String)
    /// The requested start is not a free slot of that doctor at that clinic (409).
    case slotUnavailable
    /// The status change is not in the lifecycle, or not for this role (409); `message` overrides the default
    /// "cannot move from `from` to `to`", `details` add to `from` and `to`.
    case invalidTransition(from: String, to: String, message: String? = nil, details: [String: String] = [:])
    /// The patient already has an open entry on this doctor's waitlist (409).
    case alreadyWaitlisted
    /// The doctor's waitlist is at the policy's maximum size (409).
    case waitlistFull
}
