import Foundation

/// Work that must happen when the test process exits: removing template files and dropping template
/// databases that live for the whole run. Registered once per resource; run by an `atexit` handler in
/// reverse order of registration (so template databases are dropped before a throwaway cluster stops).
enum ProcessExitCleanup {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var actions: [@Sendable () async -> Void] = []
    nonisolated(unsafe) private static var installed = false

    /// Adds `action` to run at exit. Asynchronous actions run on the cooperative pool while the exiting
    /// thread waits (at most 10 seconds in total, so a hung server cannot hang the test process).
    static func register(_ action: @escaping @Sendable () async -> Void) {
        lock.withLock {
            actions.append(action)
            if !installed {
                installed = true
                atexit { ProcessExitCleanup.runAll() }
            }
        }
    }

    private static func runAll() {
        let pending = lock.withLock {
            let all = actions
            actions = []
            return all
        }
        guard !pending.isEmpty else { return }
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            for action in pending.reversed() { await action() }
            done.signal()
        }
        _ = done.wait(timeout: .now() + 10)
    }
}
