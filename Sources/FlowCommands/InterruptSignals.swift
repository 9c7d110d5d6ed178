import Foundation
import Synchronization
import UnixSignals

/// Turns the first `SIGINT` (Ctrl-C) or `SIGTERM` of a run into a graceful stop: `onInterrupt` is called once
/// with the signal's name (the run then starts nothing new, lets teardown run and writes its reports with the
/// flows not run as skipped); a second signal calls `onSecondSignal` (which writes what it can) and ends the process
/// at once with status 128 + signal number. The signals arrive through swift-service-lifecycle's
/// `UnixSignalsSequence`; ``restore()`` stops listening and puts the default dispositions back.
public final class InterruptSignals: Sendable {
    /// The signals a run stops on, with the names the console and the reports use.
    private static let trapped: [(signal: UnixSignal, name: String)] = [(.sigint, "SIGINT"), (.sigterm, "SIGTERM")]

    /// The first signal's name, once one arrived.
    private final class FirstSignal: Sendable {
        private let name = Mutex<String?>(nil)
        /// Records `received` when it is the first signal; `false` for every later one.
        func record(_ received: String) -> Bool {
            name.withLock { name in
                guard name == nil else { return false }
                name = received
                return true
            }
        }
        var value: String? { name.withLock { $0 } }
    }

    private let first = FirstSignal()
    private let listener: Task<Void, Never>

    /// Installs the handlers; returns once they are registered (no signal sent after this is missed).
    public init(onInterrupt: @escaping @Sendable (String) -> Void, onSecondSignal: (@Sendable (String) -> Void)? = nil) async {
        // The default disposition would end the process before the signal source sees the signal.
        for entry in Self.trapped { signal(entry.signal.rawValue, SIG_IGN) }
        let signals = await UnixSignalsSequence(trapping: Self.trapped.map(\.signal))
        let first = first
        listener = Task {
            for await received in signals {
                let name = Self.trapped.first { $0.signal == received }?.name ?? received.description
                if first.record(name) {
                    FileHandle.standardError.write(
                        Data("\n\(name): stopping — no new flows start, teardown runs, reports are written (send it again to quit at once)\n".utf8))
                    onInterrupt(name)
                } else {
                    onSecondSignal?(name)
                    exit(128 + received.rawValue)
                }
            }
        }
    }

    /// The first signal received, or `nil`.
    public var signalName: String? { first.value }

    /// Stops listening and restores the default dispositions.
    public func restore() {
        listener.cancel()
        for entry in Self.trapped { signal(entry.signal.rawValue, SIG_DFL) }
    }
}
