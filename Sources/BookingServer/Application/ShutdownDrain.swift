import Foundation
import Logging
import ServiceLifecycle

/// The first step of a graceful shutdown: on SIGTERM/SIGINT the instance turns not-ready (`/health/ready` 503)
/// while it keeps serving for ``delay``, so load balancers polling readiness stop sending it traffic before the
/// listener closes; then the HTTP server stops accepting and finishes its in-flight requests.
///
/// Run it in a `ServiceGroup` *after* the HTTP application: a group shuts its services down in reverse order and
/// waits for each, so this service's delay ends before the server is asked to stop (see
/// ``BookingApplication/serviceGroup(app:readiness:configuration:gracefulShutdownSignals:logger:)``).
struct ShutdownDrain: Service {
    let readiness: ServiceReadiness
    /// How long readiness fails before the listener closes.
    let delay: Duration
    /// When set, the process exits (status 1) this long after the drain delay if it is still running: requests stuck
    /// on a database that stopped answering ignore cancellation and would otherwise hold the shutdown forever.
    /// Only for the real process (`illajwala-api serve`), never for a server inside a test process.
    let forceExitAfter: Duration?
    let logger: Logger

    func run() async throws {
        // Returns when a graceful shutdown starts; throws CancellationError when the group is cancelled instead
        // (the server failed), and then there is nothing to drain.
        do { try await gracefulShutdown() } catch { return }
        readiness.advance(to: .draining)
        logger.notice(
            "draining: readiness answers 503; in-flight requests finish after the drain delay",
            metadata: ["lifecycle": "draining", "drain_delay_seconds": "\(delay.seconds)"])
        try? await Task.sleep(for: delay)
        if let forceExitAfter {
            let logger = logger
            Task.detached {
                try? await Task.sleep(for: forceExitAfter)
                logger.critical(
                    "shutdown deadline passed with requests still running (is the database answering?); exiting",
                    metadata: ["lifecycle": "forced-exit"])
                exit(1)
            }
        }
    }
}
