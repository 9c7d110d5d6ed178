import Synchronization

/// Where one running instance of the service is in its life, as `GET /health/ready` reports it (API.md
/// "Operations"): only a `serving` instance with a database that answers is ready; `starting` and `draining`
/// answer 503 so a load balancer sends it no new traffic.
///
/// The phase only moves forward — `starting` → `serving` → `draining` — so a late "server running" callback
/// cannot reopen an instance that is already shutting down.
public final class ServiceReadiness: Sendable {
    /// The life phases, in order.
    public enum Phase: Int, Sendable, Comparable, CustomStringConvertible {
        /// Started but not yet listening.
        case starting
        /// Listening and taking traffic.
        case serving
        /// A termination signal arrived: readiness fails while in-flight requests finish.
        case draining

        public static func < (lhs: Phase, rhs: Phase) -> Bool { lhs.rawValue < rhs.rawValue }

        public var description: String {
            switch self {
            case .starting: "starting"
            case .serving: "serving"
            case .draining: "draining"
            }
        }
    }

    private let state: Mutex<Phase>

    /// A readiness in `phase` (default ``Phase/starting``).
    public init(_ phase: Phase = .starting) {
        state = Mutex(phase)
    }

    /// The current phase.
    public var phase: Phase { state.withLock { $0 } }

    /// Moves to `phase` unless the instance is already there or further on.
    public func advance(to phase: Phase) {
        state.withLock { current in current = max(current, phase) }
    }
}
