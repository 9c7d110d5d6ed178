import FlowRuntime
import FlowCore
import Dispatch
import Foundation

/// Turns the first `SIGINT` (Ctrl-C) or `SIGTERM` of a run into a graceful stop: `onInterrupt` is called once
/// with the signal's name (the run then starts nothing new, lets teardown run and writes its reports with the
/// flows not run as skipped); a second signal calls `onSecondSignal` (which writes what it can) and ends the process
/// at once with status 128 + signal number.
/// ``restore()`` puts the default handlers back.
public final class InterruptSignals: @unchecked Sendable {
    private var sources: [any DispatchSourceSignal] = []
    private let lock = NSLock()
    private var received: String?

    /// Installs the handlers.
    public init(onInterrupt: @escaping @Sendable (String) -> Void, onSecondSignal: (@Sendable (String) -> Void)? = nil) {
        for (number, name) in [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM")] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [weak self] in
                guard let self else { return }
                let first = self.lock.withLock { () -> Bool in
                    guard self.received == nil else { return false }
                    self.received = name
                    return true
                }
                if first {
                    FileHandle.standardError.write(Data("\n\(name): stopping — no new flows start, teardown runs, reports are written (send it again to quit at once)\n".utf8))
                    onInterrupt(name)
                } else {
                    onSecondSignal?(name)
                    exit(128 + number)
                }
            }
            source.resume()
            sources.append(source)
        }
    }

    /// The first signal received, or `nil`.
    public var signalName: String? { lock.withLock { received } }

    /// Cancels the handlers and restores the default dispositions.
    public func restore() {
        for source in sources { source.cancel() }
        sources = []
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
