import Foundation

/// Collects output lines synchronously (the commands call their output closures from their own task, in order).
final class OutputCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [String] = []
    func add(_ line: String) { lock.withLock { storage.append(line) } }
    var lines: [String] { lock.withLock { storage } }
}
