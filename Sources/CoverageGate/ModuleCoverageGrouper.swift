import FlowCore
import Foundation

/// Keeps the files of a package's own `Sources/` folder and sums them per module.
///
/// A file belongs to module `M` when its path, made absolute with `.`/`..` and symbolic links resolved, is
/// `<package root>/Sources/M/…`. Everything else is dropped: dependency checkouts
/// (`.build/checkouts/<dependency>/Sources/…`), `Tests/`, generated files under `.build/`, files directly in `Sources/`.
public enum ModuleCoverageGrouper {
    /// The module of the file at `path`, or `nil` when the file is not in a module folder of `sourcesDirectory`.
    /// - Parameters:
    ///   - path: a file path from the coverage data.
    ///   - sourcesDirectory: the canonical `<package root>/Sources` path (see ``canonicalPath(_:)``).
    public static func module(ofFile path: String, sourcesDirectory: String) -> String? {
        let prefix = sourcesDirectory.hasSuffix("/") ? sourcesDirectory : sourcesDirectory + "/"
        let file = canonicalPath(path)
        guard file.hasPrefix(prefix) else { return nil }
        let components = file.dropFirst(prefix.count).split(separator: "/", omittingEmptySubsequences: true)
        guard components.count >= 2 else { return nil }
        return String(components[0])
    }

    /// Sums `files` per module of `<packageRoot>/Sources/`.
    /// - Parameters:
    ///   - files: every file of the coverage data.
    ///   - packageRoot: the folder that holds `Sources/` (relative paths are taken from the current directory).
    ///   - knownModules: module names to report even when no file of theirs is in the data (with ``ModuleCoverage/fileCount`` 0),
    ///     typically ``modulesOnDisk(packageRoot:)``.
    /// - Returns: one summary per module, sorted by name (byte order, so `BookingCore` before `illajwala-api`).
    public static func group(_ files: [FileCoverage], packageRoot: String, knownModules: [String] = []) -> [ModuleCoverage] {
        let sources = canonicalPath(packageRoot + "/Sources")
        var modules: [String: ModuleCoverage] = [:]
        for name in knownModules { modules[name] = ModuleCoverage(name: name) }
        for file in files {
            guard let name = module(ofFile: file.path, sourcesDirectory: sources) else { continue }
            modules[name, default: ModuleCoverage(name: name)].add(file)
        }
        return modules.values.sorted { $0.name < $1.name }
    }

    /// The module folders of `<packageRoot>/Sources/` (hidden folders skipped), sorted; empty when there is no such folder.
    public static func modulesOnDisk(packageRoot: String) -> [String] {
        let sources = canonicalPath(packageRoot + "/Sources")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: sources)) ?? []
        return names.filter { name in
            var isDirectory: ObjCBool = false
            return !name.hasPrefix(".") && FileManager.default.fileExists(atPath: sources + "/" + name, isDirectory: &isDirectory)
                && isDirectory.boolValue
        }.sorted()
    }

    /// `path` made absolute (from the current directory), without `.` or `..` components, symbolic links resolved
    /// as far as they exist on disk.
    public static func canonicalPath(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }
}
