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

    /// The states a doctor or admin may set by hand (API.md `PATCH /api/waitlists/:id/status`).
    public static let manualTargets: [WaitlistStatus] = [.invited, .cancelled, .expired]

    /// Whether a doctor or admin may move an entry from `self` to `next` by hand: only open entries move,
    /// only to ``manualTargets``, and `invited` only from `active` (API.md "Waitlists").
    public func allowsManualChange(to next: WaitlistStatus) -> Bool {
        guard isOpen, Self.manualTargets.contains(next) else { return false }
        return next != .invited || self == .active
    }
}
