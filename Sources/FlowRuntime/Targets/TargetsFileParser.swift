import FlowCore
import Foundation
import Yams

/// Parses `targets.yaml`:
/// ```yaml
/// targets:
///   local: {embedded: true, fixtures: Fixtures, vars: {adminEmail: admin@example.test}}
///   ci: {baseURL: "http://127.0.0.1:8080", vars: {}}
///   staging: {baseURL: "${STAGING_BASE_URL}", vars: {adminPassword: "${STAGING_ADMIN_PASSWORD}"}}
/// ```
/// `${NAME}` in `baseURL` and in variable values is replaced by the environment variable `NAME` — only for the
/// target being resolved, so `local` runs do not need staging's variables. The values read into `vars` are the
/// target's ``Target/secrets`` (the base URL is not a secret), and so is every value written `{secret: value}`.
public enum TargetsFileParser {
    /// Parses targets YAML text.
    /// - Parameters:
    ///   - file: path used in diagnostics.
    ///   - environment: where `${NAME}` references are looked up.
    ///   - expanding: the one target whose `${NAME}` references are expanded (and must all be set); others keep
    ///     the references as written.
    /// - Returns: targets by name.
    /// - Throws: ``FlowLoadError`` listing every problem with its line, including unset environment variables.
    ///   - baseURLGiven: the expanded target's base URL is given on the command line (`--base-url`): its `baseURL`
    ///     is neither expanded nor checked (its environment variables need not be set).
    ///   - embeddedService: checks the `server:` variables of embedded targets; without one, a `server:` block is an
    ///     error (nothing could run it).
    public static func parse(
        _ text: String, file: String, environment: [String: String] = [:], expanding: String? = nil, baseURLGiven: Bool = false,
        embeddedService: (any EmbeddedServiceProvider)? = nil
    ) throws(FlowLoadError) -> [String: Target] {
        var reader = YAMLDocumentReader(file: file)
        var targets: [String: Target] = [:]
        if let root = reader.compose(text),
            let entries = reader.entries(root, of: "targets file", allowed: ["targets"], required: ["targets"]),
            let targetsNode = entries["targets"]?.value,
            let pairs = reader.pairs(targetsNode, of: "targets")
        {
            for pair in pairs {
                let what = "target '\(pair.key)'"
                var secrets: [String] = []
                var unset = 0
                var value = pair.value
                if pair.key == expanding, baseURLGiven, case .mapping(var mapping) = value, let base = mapping.first(where: { $0.key.string == "baseURL" }) {
                    mapping[base.key] = Node.scalar(.init("http://base-url-given.invalid", .implicit, .plain, base.value.mark))
                    value = .mapping(mapping)
                }
                let node = pair.key == expanding
                    ? EnvironmentReferences.expand(value, environment: environment, secrets: &secrets) { node, name in
                        reader.report(node, "environment variable \(name) is not set (needed by \(what))")
                        unset += 1
                    }
                    : value
                // Unset variables are reported once; the values they leave empty would only repeat the problem.
                guard unset == 0 else { continue }
                if pair.key == expanding, case .mapping(let original) = pair.value,
                    let base = original.first(where: { $0.key.string == "baseURL" })?.value
                {
                    // The base URL is read from the environment for convenience, not as a secret: messages keep it.
                    var baseValues: [String] = []
                    _ = EnvironmentReferences.expand(base, environment: environment, secrets: &baseValues) { _, _ in }
                    secrets.removeAll { baseValues.contains($0) }
                }
                guard let fields = reader.entries(node, of: what, allowed: ["embedded", "fixtures", "server", "gatewayDouble", "baseURL", "vars", "actors"]) else {
                    continue
                }
                let embedded = fields["embedded"].flatMap { reader.bool($0.value, of: "'embedded' of \(what)") } ?? false
                var gatewayDouble = false
                if let double = fields["gatewayDouble"] {
                    if !embedded { reader.report(double.key, "'gatewayDouble' of \(what) starts a payment gateway double beside an embedded server; add 'embedded: true'") }
                    if reader.string(double.value, of: "'gatewayDouble' of \(what)") == "razorpay" {
                        gatewayDouble = true
                    } else {
                        reader.report(double.value, "'gatewayDouble' of \(what) must be razorpay (the only gateway double)")
                    }
                }
                let fixtures = fields["fixtures"].flatMap { reader.string($0.value, of: "'fixtures' of \(what)") }
                var vars: [NamedTemplate] = []
                var secretNames = Set<String>()
                if case .mapping(let original) = pair.value, let varsNode = original.first(where: { $0.key.string == "vars" })?.value,
                    case .mapping(let declared) = varsNode
                {
                    for (key, value) in declared {
                        if case .scalar(let scalar) = value, EnvironmentReferences.contains(scalar.string) { secretNames.insert(key.string ?? "") }
                        if case .mapping(let marked) = value, marked.count == 1, marked.first?.key.string == "secret" { secretNames.insert(key.string ?? "") }
                    }
                }
                if let varsNode = fields["vars"]?.value, let varPairs = reader.pairs(varsNode, of: "vars of \(what)") {
                    for varPair in varPairs {
                        // `name: {secret: value}` marks a value written in the file as a secret (masked like
                        // environment values).
                        if case .mapping(let mapping) = varPair.value, mapping.count == 1, let marked = mapping.first,
                            marked.key.string == "secret"
                        {
                            guard case .scalar(let scalar) = marked.value, !scalar.string.isEmpty else {
                                reader.report(marked.value, "'secret' of variable '\(varPair.key)' must be a non-empty string")
                                continue
                            }
                            if let template = reader.template(marked.value, of: "secret variable '\(varPair.key)'") {
                                vars.append(NamedTemplate(name: varPair.key, value: .string(template)))
                                if pair.key == expanding || expanding == nil { secrets.append(scalar.string) }
                            }
                            continue
                        }
                        if let value = reader.templateValue(varPair.value, of: "variable '\(varPair.key)'") {
                            vars.append(NamedTemplate(name: varPair.key, value: value))
                        }
                    }
                }
                let actors = fields["actors"].map { reader.actors($0.value, of: "actors of \(what)") } ?? []
                var serverEnvironment: [String: String] = [:]
                if let serverNode = fields["server"] {
                    serverEnvironment = serverVariables(serverNode, of: what, embedded: embedded, provider: embeddedService, reader: &reader)
                }
                if embedded {
                    if let base = fields["baseURL"] {
                        reader.report(base.key, "\(what) is embedded; remove 'baseURL' or 'embedded: true'")
                    }
                    targets[pair.key] = Target(name: pair.key, kind: .embedded(fixtures: fixtures), vars: vars, secrets: secrets)
                    targets[pair.key]?.actors = actors
                    targets[pair.key]?.secretVariableNames = secretNames
                    targets[pair.key]?.serverEnvironment = serverEnvironment
                    targets[pair.key]?.razorpayDouble = gatewayDouble
                } else if let baseNode = fields["baseURL"]?.value {
                    guard let text = reader.string(baseNode, of: "'baseURL' of \(what)") else { continue }
                    if pair.key != expanding, EnvironmentReferences.contains(text) {
                        // Checked when this target is the one resolved (its environment variables are then set).
                        targets[pair.key] = Target(name: pair.key, kind: .remote(URL(string: "http://unresolved.invalid")!), vars: vars)
                        targets[pair.key]?.actors = actors
                        targets[pair.key]?.secretVariableNames = secretNames
                        continue
                    }
                    guard let url = URL(string: text), url.scheme == "http" || url.scheme == "https", url.host != nil else {
                        reader.report(baseNode, "'baseURL' of \(what) must be an absolute http(s) URL, found '\(text)'")
                        continue
                    }
                    targets[pair.key] = Target(name: pair.key, kind: .remote(url), vars: vars, secrets: secrets)
                    targets[pair.key]?.actors = actors
                    targets[pair.key]?.secretVariableNames = secretNames
                } else {
                    reader.report(pair.value, "\(what) needs 'embedded: true' or a 'baseURL'")
                }
            }
        }
        guard reader.diagnostics.isEmpty else { throw FlowLoadError(diagnostics: reader.diagnostics) }
        return targets
    }

    /// Reads a target's `server:` block and reports what the embedded service says of it, each problem at the
    /// variable's name or value.
    private static func serverVariables(
        _ serverNode: (key: Node, value: Node), of what: String, embedded: Bool, provider: (any EmbeddedServiceProvider)?,
        reader: inout YAMLDocumentReader
    ) -> [String: String] {
        if !embedded { reader.report(serverNode.key, "'server' of \(what) configures an embedded server; add 'embedded: true'") }
        guard let provider else {
            reader.report(serverNode.key, "'server' of \(what): this runner has no embedded service to configure (it runs remote targets only)")
            return [:]
        }
        var variables: [String: String] = [:]
        var keyNodes: [String: Node] = [:]
        var valueNodes: [String: Node] = [:]
        for variable in reader.pairs(serverNode.value, of: "'server' of \(what)") ?? [] {
            guard case .scalar(let scalar) = variable.value, !scalar.string.isEmpty else {
                reader.report(variable.value, "'\(variable.key)' of \(what) must be a non-empty scalar")
                continue
            }
            variables[variable.key] = scalar.string
            keyNodes[variable.key] = variable.keyNode
            valueNodes[variable.key] = variable.value
        }
        for problem in provider.configurationProblems(variables) {
            let node = problem.variable.flatMap { problem.place == .name ? keyNodes[$0] : valueNodes[$0] } ?? serverNode.key
            reader.report(node, problem.place == .value ? "'server' of \(what): \(problem.message)" : problem.message)
        }
        return variables
    }

    /// The nearest `targets.yaml` in the folder of `path` (or `path` itself when it is a folder) or any parent folder.
    /// - Returns: the file's path, or `nil` when there is none up to the file-system root.
    public static func locate(near path: String) -> String? {
        let fileManager = FileManager.default
        var isDirectory: ObjCBool = false
        var directory = URL(fileURLWithPath: path).standardizedFileURL
        if !(fileManager.fileExists(atPath: directory.path, isDirectory: &isDirectory) && isDirectory.boolValue) {
            directory.deleteLastPathComponent()
        }
        while true {
            let candidate = directory.appendingPathComponent("targets.yaml").path
            if fileManager.fileExists(atPath: candidate) { return candidate }
            let parent = directory.deletingLastPathComponent()
            if parent.path == directory.path { return nil }
            directory = parent
        }
    }
}
