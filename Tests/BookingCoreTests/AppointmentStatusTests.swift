import BookingCore
import Testing

@Suite("Appointment status machine (API.md Appointments)")
struct AppointmentStatusTests {
    typealias S = AppointmentStatus

    @Test("exactly the documented transitions exist")
    func transitions() {
        let allowed: Set<String> = [
            "pending-payment>confirmed", "confirmed>checked-in", "checked-in>in-session", "in-session>completed",
            "confirmed>no-show", "checked-in>no-show",
            "pending-payment>cancelled", "confirmed>cancelled", "checked-in>cancelled", "in-session>cancelled",
        ]
        for from in S.allCases {
            for to in S.allCases {
                #expect(from.canTransition(to: to) == allowed.contains("\(from.rawValue)>\(to.rawValue)"), "\(from) → \(to)")
            }
        }
    }

    @Test("final states allow nothing")
    func finalStates() {
        for state in [S.completed, .cancelled, .noShow] {
            #expect(state.isFinal)
            #expect(S.allCases.allSatisfy { !state.canTransition(to: $0) })
        }
    }

    @Test("role rules: only admins confirm unpaid appointments; patients use cancel")
    func roles() {
        #expect(S.pendingPayment.allows(.confirmed, by: .admin))
        #expect(!S.pendingPayment.allows(.confirmed, by: .doctor))
        #expect(S.confirmed.allows(.checkedIn, by: .doctor))
        #expect(!S.confirmed.allows(.checkedIn, by: .patient))
        #expect(!S.confirmed.allows(.completed, by: .admin))
    }

    @Test("initial status depends on the fee")
    func initialStatus() {
        #expect(Appointment.initialStatus(fee: 0) == .confirmed)
        #expect(Appointment.initialStatus(fee: 150_000) == .pendingPayment)
    }

    @Test("doctor review workflow")
    func review() {
        #expect(ReviewStatus.pending.canMove(to: .active))
        #expect(ReviewStatus.approved.canMove(to: .active))
        #expect(!ReviewStatus.active.canMove(to: .approved))
        #expect(!ReviewStatus.active.canMove(to: .active))
    }
}
