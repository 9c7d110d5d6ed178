import FlowCore
import Foundation
import Synchronization

/// Actor sessions shared by many runs of flows (a load test's iterations): each identity logs in once, and its
/// token is refreshed once when it nears expiry, however many iterations use it at the same moment.
///
/// Without it every iteration would log its actors in again (a login storm: bcrypt on the service for every journey,
/// the trap Karate's `callonce` users hit), and concurrent iterations refreshing one session would present the same
/// refresh token twice, which the service treats as theft and answers by revoking the whole family (API.md "Auth").
///
/// Identities are keyed by actor name and rendered credentials (e-mail, role, tenant), so an actor whose e-mail is a
/// per-iteration generator (a patient the journey registers) still logs in per iteration, as it must.
public final class SharedActorSessions: Sendable {
    struct Key: Hashable, Sendable {
        var actor: String
        var email: String
        var role: String
        var tenant: String?
    }

    /// What obtaining a session did: the session (nil when login failed) and the outcome for the iteration that asked.
    typealias Work = @Sendable (_ existing: ActorSessions.Session?) async -> (ActorSessions.Session?, ActorSessions.Outcome)

    private enum Entry {
        case ready(ActorSessions.Session)
        case pending(Task<(ActorSessions.Session?, ActorSessions.Outcome), Never>)
    }

    private let entries = Mutex<[Key: Entry]>([:])
    private let logins = Atomic<Int>(0)

    /// Creates an empty store.
    public init() {}

    /// Logins and refreshes performed through the store so far (a load report shows it next to the iterations).
    public var exchanges: Int { logins.load(ordering: .relaxed) }

    /// The session for `key`: the stored one while it is fresh, else the result of `work` — run by one caller at a
    /// time per key; callers arriving meanwhile wait for it and get its session without records of their own.
    func obtain(_ key: Key, isFresh: @Sendable (ActorSessions.Session) -> Bool, work: @escaping Work) async -> ActorSessions.Outcome {
        enum Next {
            case done(ActorSessions.Outcome)
            case wait(Task<(ActorSessions.Session?, ActorSessions.Outcome), Never>, owner: Bool)
        }
        let next: Next = entries.withLock { entries in
            switch entries[key] {
            case .ready(let session) where isFresh(session):
                return .done(ActorSessions.Outcome(token: session.accessToken, records: [], problem: nil))
            case .pending(let task):
                return .wait(task, owner: false)
            case .ready(let session):
                let task = Task { await work(session) }
                entries[key] = .pending(task)
                return .wait(task, owner: true)
            case nil:
                let task = Task { await work(nil) }
                entries[key] = .pending(task)
                return .wait(task, owner: true)
            }
        }
        switch next {
        case .done(let outcome):
            return outcome
        case .wait(let task, let owner):
            let (session, outcome) = await task.value
            guard owner else {
                return session.map { ActorSessions.Outcome(token: $0.accessToken, records: [], problem: nil) } ?? outcome
            }
            logins.add(1, ordering: .relaxed)
            entries.withLock { entries in entries[key] = session.map(Entry.ready) }
            return outcome
        }
    }
}
