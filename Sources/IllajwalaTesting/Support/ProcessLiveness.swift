import Foundation

/// Whether a process still exists, for sweeping what crashed test processes left behind.
enum ProcessLiveness {
    /// `kill(pid, 0)` succeeds, or fails only for lack of permission: the process exists.
    static func isAlive(_ pid: pid_t) -> Bool {
        guard pid > 0 else { return false }
        return kill(pid, 0) == 0 || errno == EPERM
    }

    /// The process id in a folder name `<prefix><pid>-…`, if any.
    static func owner(ofFolderNamed name: String, prefix: String) -> pid_t? {
        guard name.hasPrefix(prefix) else { return nil }
        return pid_t(name.dropFirst(prefix.count).prefix { $0.isNumber })
    }
}
