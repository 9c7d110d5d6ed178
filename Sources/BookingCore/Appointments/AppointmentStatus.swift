/// Lifecycle of an appointment and who may move it where (API.md "Appointments",
/// `PATCH /api/appointments/:id/status`).
///
/// ```
/// pending-payment → confirmed (admin, or a verified payment)
/// confirmed → checked-in → in-session → completed
/// confirmed | checked-in → no-show
/// any non-final → cancelled
/// ```
/// `completed`, `cancelled` and `no-show` are final.
public enum AppointmentStatus: String, Codable, Sendable, CaseIterable {
    case pendingPayment = "pending-payment"
    case confirmed
    case checkedIn = "checked-in"
    case inSession = "in-session"
    case completed
    case cancelled
    case noShow = "no-show"

    /// Whether no further transition is possible.
    public var isFinal: Bool { self == .completed || self == .cancelled || self == .noShow }

    /// Whether the transition `self → next` exists in the lifecycle (regardless of role).
    public func canTransition(to next: AppointmentStatus) -> Bool {
        if isFinal { return false }
        switch (self, next) {
        case (_, .cancelled): return true
        case (.pendingPayment, .confirmed), (.confirmed, .checkedIn), (.checkedIn, .inSession),
            (.inSession, .completed), (.confirmed, .noShow), (.checkedIn, .noShow):
            return true
        default: return false
        }
    }

    /// Whether `role` may request the transition `self → next` through the status endpoint.
    /// Confirming an unpaid appointment by hand is an admin action; patients use the cancel endpoint.
    public func allows(_ next: AppointmentStatus, by role: Role) -> Bool {
        guard canTransition(to: next) else { return false }
        switch role {
        case .admin: return true
        case .doctor: return !(self == .pendingPayment && next == .confirmed)
        case .patient: return false
        }
    }
}
