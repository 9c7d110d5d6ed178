import Foundation

/// Finds a project file (`targets.yaml`, `quarantine.yaml`) the way tools find their configuration: in the folder of
/// the given path (the path itself when it is a folder), else in the nearest parent folder that has it.
enum NearestFile {
    /// The path of the nearest `name` at or above `path`, or `nil` when there is none up to the file-system root.
    static func locate(_ name: String, near path: String) -> String? {
        let fileManager = FileManager.default
        var isDirectory: ObjCBool = false
        var directory = URL(fileURLWithPath: path).standardizedFileURL
        if !(fileManager.fileExists(atPath: directory.path, isDirectory: &isDirectory) && isDirectory.boolValue) {
            directory.deleteLastPathComponent()
        }
        while true {
            let candidate = directory.appendingPathComponent(name).path
            if fileManager.fileExists(atPath: candidate) { return candidate }
            let parent = directory.deletingLastPathComponent()
            if parent.path == directory.path { return nil }
            directory = parent
        }
    }
}
