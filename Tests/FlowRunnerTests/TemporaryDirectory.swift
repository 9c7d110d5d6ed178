import Foundation

/// A fresh folder under the system temporary directory, removed by ``remove()``.
struct TemporaryDirectory {
    let path: String

    /// The folder as a file URL.
    var url: URL { URL(fileURLWithPath: path, isDirectory: true) }

    init() throws {
        path = NSTemporaryDirectory() + "flow-runner-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Writes `text` to `relative` (creating folders) and returns the full path.
    @discardableResult
    func write(_ relative: String, _ text: String) throws -> String {
        let full = path + "/" + relative
        try FileManager.default.createDirectory(
            atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: full))
        return full
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}
