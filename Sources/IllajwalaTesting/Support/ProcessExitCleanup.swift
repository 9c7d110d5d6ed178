import Foundation

/// Work that must happen when the test process exits: removing template files, dropping databases that
/// outlive a test (templates, prefetched copies, anything a test forgot to drop) and stopping a throwaway
/// PostgreSQL cluster. Actions run from one `atexit` handler in reverse order of registration.
///
/// Actions are synchronous on purpose: when the test runner calls `exit`, Swift's cooperative thread pool
/// may no longer run tasks (measured: an async clean-up never finished), so database work at exit uses
/// blocking SwiftNIO futures instead.
enum ProcessExitCleanup {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var actions: [@Sendable () -> Void] = []
    nonisolated(unsafe) private static var installed = false

    /// Adds `action` to run at exit.
    static func register(_ action: @escaping @Sendable () -> Void) {
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
        for action in pending.reversed() { action() }
    }
}
