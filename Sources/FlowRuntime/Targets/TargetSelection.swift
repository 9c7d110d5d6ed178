import FlowCore
import Foundation
import TextFileIO

/// Chooses the ``Target`` for a run from a `--target` value and an optional `targets.yaml`.
public enum TargetSelection {
    /// Why no target could be chosen.
    public enum SelectionError: Error, Sendable, CustomStringConvertible {
        /// The targets file has problems (each with its line).
        case invalidFile(FlowLoadError)
        /// The name is not in the targets file.
        case unknownTarget(name: String, known: [String])

        public var description: String {
            switch self {
            case .invalidFile(let error): return error.description
            case .unknownTarget(let name, let known):
                let list = known.isEmpty ? "no targets file found" : "known: \(known.joined(separator: ", "))"
                return "unknown target '\(name)' (\(list)); give a target name or an http(s):// URL"
            }
        }
    }

    /// The names of the targets in the targets file that define every one of `variables` and `actors`, in file
    /// order of names (sorted); empty when there is no targets file or none does.
    public static func targetsDefining(
        variables: Set<String>, actors: Set<String>, targetsFile: String?, searchStart: String, embeddedService: (any EmbeddedServiceProvider)? = nil
    ) -> [String] {
        let projectFile = FileManager.default.fileExists(atPath: "Flows/targets.yaml") ? "Flows/targets.yaml" : nil
        guard let file = targetsFile ?? TargetsFileParser.locate(near: searchStart) ?? projectFile,
            let text = try? TextFile.read(file),
            let targets = try? TargetsFileParser.parse(text, file: file, environment: [:], expanding: "", embeddedService: embeddedService)
        else { return [] }
        return targets.values.filter { target in
            variables.isSubset(of: Set(target.vars.map(\.name))) && actors.isSubset(of: Set(target.actors.map(\.name)))
        }.map(\.name).sorted()
    }

    /// Resolves `value`.
    ///
    /// - An `http://` or `https://` URL is a remote target without variables.
    /// - Otherwise `value` names a target in `targetsFile` (or the nearest `targets.yaml` found from `searchStart`,
    ///   else `Flows/targets.yaml` of the current directory — so flows kept elsewhere still get the project's targets).
    /// - `local` falls back to an embedded server seeded from `Fixtures` when no targets file defines it.
    /// - `${NAME}` references of the chosen target are read from `environment`; an unset one is an error.
    /// - Throws: ``SelectionError``.
    /// - Parameters:
    ///   - baseURLGiven: the base URL comes from `--base-url`, so the target's own `baseURL` (and the environment
    ///     variables it names) is not needed.
    ///   - embeddedService: checks the `server:` variables of embedded targets (see ``TargetsFileParser``).
    public static func resolve(
        _ value: String, targetsFile: String?, searchStart: String, environment: [String: String] = ProcessInfo.processInfo.environment,
        baseURLGiven: Bool = false, embeddedService: (any EmbeddedServiceProvider)? = nil
    ) throws(SelectionError) -> Target {
        if value.hasPrefix("http://") || value.hasPrefix("https://"), let url = URL(string: value), url.host != nil {
            return Target(name: value, kind: .remote(url))
        }
        var targets: [String: Target] = [:]
        let projectFile = FileManager.default.fileExists(atPath: "Flows/targets.yaml") ? "Flows/targets.yaml" : nil
        if let file = targetsFile ?? TargetsFileParser.locate(near: searchStart) ?? projectFile {
            let text: String
            do {
                text = try TextFile.read(file)
            } catch {
                throw .invalidFile(FlowLoadError(diagnostics: [error.diagnostic]))
            }
            do {
                targets = try TargetsFileParser.parse(
                    text, file: file, environment: environment, expanding: value, baseURLGiven: baseURLGiven, embeddedService: embeddedService)
            } catch {
                throw .invalidFile(error)
            }
        }
        if let target = targets[value] { return target }
        if value == "local" { return Target(name: "local", kind: .embedded(fixtures: "Fixtures")) }
        throw .unknownTarget(name: value, known: targets.keys.sorted())
    }

    /// One line for flows that need target variables and actors a bare URL target cannot give: which are missing,
    /// and which named targets define them all (to be run with `--base-url`) — or `nil` when no named target defines
    /// them all (then a name is more likely a typo, and each use is worth its own `FILE:LINE:COL`).
    public static func bareURLProblem(
        _ problems: [FlowDiagnostic], url target: String, targetsFile: String?, searchStart: String, embeddedService: (any EmbeddedServiceProvider)? = nil
    ) -> String? {
        var variables = Set<String>(), actors = Set<String>()
        for problem in problems {
            switch problem.undefinedName {
            case .variable(let name)?: variables.insert(name)
            case .actor(let name)?: actors.insert(name)
            case nil: return nil
            }
        }
        let defining = targetsDefining(
            variables: variables, actors: actors, targetsFile: targetsFile, searchStart: searchStart, embeddedService: embeddedService)
        guard let first = defining.first else { return nil }
        var needs: [String] = []
        if !variables.isEmpty { needs.append("target variables \(variables.sorted().joined(separator: ", "))") }
        if !actors.isEmpty { needs.append("actors \(actors.sorted().joined(separator: ", "))") }
        return "the flows need \(needs.joined(separator: " and ")), which a bare URL target does not define; "
            + "run a target that defines them with this address: --target \(first) --base-url \(target) (defined by: \(defining.joined(separator: ", ")))"
    }
}
