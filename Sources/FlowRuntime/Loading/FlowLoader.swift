import FlowCore
import Foundation
import TextFileIO

/// Finds flow files under paths and parses them all, collecting every problem before anything runs.
///
/// Flow files end in `.yaml` or `.yml`; `targets.yaml`, `quarantine.yaml` and anything inside a folder named `_includes`
/// are not flows. Folders are searched recursively; files are sorted by their path relative to the folder.
public enum FlowLoader {
    /// Lists the flow files under `paths` (files or folders), in a stable order.
    /// - Parameter paths: file or folder paths, relative to the current directory or absolute.
    /// - Returns: one ``FlowSource`` per file: `path` for messages, `suiteName` relative to the folder given
    ///   (or the path itself for a file given directly).
    /// - Throws: ``FlowLoadError`` when a path does not exist or a file given directly is not `.yaml`/`.yml`.
    public static func discover(paths: [String]) throws(FlowLoadError) -> [FlowSource] {
        let fileManager = FileManager.default
        var sources: [FlowSource] = []
        var diagnostics: [FlowDiagnostic] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard fileManager.fileExists(atPath: path, isDirectory: &isDirectory) else {
                diagnostics.append(FlowDiagnostic(location: SourceLocation(file: path, line: 0, column: 0), message: "no such file or directory"))
                continue
            }
            if isDirectory.boolValue {
                let base = path.hasSuffix("/") ? String(path.dropLast()) : path
                for relative in flowFiles(inDirectory: base) {
                    sources.append(FlowSource(path: base + "/" + relative, suiteName: relative))
                }
            } else if isFlowFileName(path) {
                let display = path.hasPrefix("./") ? String(path.dropFirst(2)) : path
                sources.append(FlowSource(path: path, suiteName: display))
            } else {
                diagnostics.append(
                    FlowDiagnostic(location: SourceLocation(file: path, line: 0, column: 0), message: "not a flow file (expected .yaml or .yml)"))
            }
        }
        guard diagnostics.isEmpty else { throw FlowLoadError(diagnostics: diagnostics) }
        var seen = Set<String>()
        return sources.filter { seen.insert(URL(fileURLWithPath: $0.path).standardizedFileURL.path).inserted }
    }

    /// Loads every flow file under `paths`, keeping the flows that parse and every problem of those that do not.
    /// - Returns: the parsed flows (in file order) and all diagnostics (discovery and parse errors).
    public static func loadAll(paths: [String]) -> (flows: [Flow], diagnostics: [FlowDiagnostic]) {
        let sources: [FlowSource]
        do {
            sources = try discover(paths: paths)
        } catch {
            return ([], error.diagnostics)
        }
        var flows: [Flow] = []
        var diagnostics: [FlowDiagnostic] = []
        for source in sources {
            let text: String
            do {
                text = try TextFile.read(source.path)
            } catch {
                diagnostics.append(error.diagnostic)
                continue
            }
            var parser = FlowFileParser(source: source, readFile: TextFile.referencedFileReader)
            let parsed = parser.parsePartially(text)
            diagnostics += parsed.diagnostics
            if let flow = parsed.flow { flows += flow.expandingMatrix() }
        }
        return (flows, diagnostics)
    }

    /// Loads every flow file under `paths`.
    /// - Throws: ``FlowLoadError`` with every diagnostic of every file when any file is malformed.
    public static func load(paths: [String]) throws(FlowLoadError) -> [Flow] {
        let (flows, diagnostics) = loadAll(paths: paths)
        guard diagnostics.isEmpty else { throw FlowLoadError(diagnostics: diagnostics) }
        return flows
    }

    static func isFlowFileName(_ path: String) -> Bool {
        let name = (path as NSString).lastPathComponent
        return (name.hasSuffix(".yaml") || name.hasSuffix(".yml")) && name != "targets.yaml" && name != "targets.yml" && name != QuarantineList.fileName
    }

    /// Relative paths of flow files under `directory`, sorted, skipping hidden entries and `_includes` folders.
    private static func flowFiles(inDirectory directory: String) -> [String] {
        let fileManager = FileManager.default
        var result: [String] = []
        func walk(_ relative: String) {
            let absolute = relative.isEmpty ? directory : directory + "/" + relative
            guard let names = try? fileManager.contentsOfDirectory(atPath: absolute) else { return }
            for name in names where !name.hasPrefix(".") {
                let child = relative.isEmpty ? name : relative + "/" + name
                var isDirectory: ObjCBool = false
                guard fileManager.fileExists(atPath: directory + "/" + child, isDirectory: &isDirectory) else { continue }
                if isDirectory.boolValue {
                    if name != "_includes" { walk(child) }
                } else if isFlowFileName(name) {
                    result.append(child)
                }
            }
        }
        walk("")
        return result.sorted()
    }
}
