/// Status of a waitlist entry (API.md "Waitlists").
public enum WaitlistStatus: String, Codable, Sendable, CaseIterable {
    /// Queued.
    case active
    /// Offered a freed slot after a cancellation.
    case invited
    /// Turned into an appointment.
    case promoted
    case cancelled
    /// Older than the policy's `autoExpiryHours`.
    case expired

    /// Entries in these states still occupy the queue.
    public var isOpen: Bool { self == .active || self == .invited }
}
