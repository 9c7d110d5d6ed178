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
    ///   - embeddedService: checks the `server:` variables of embedded targets; without one they are kept unchecked
    ///     (`run` and `validate` refuse an embedded target when there is no service to start).
    public static func parse(
        _ text: String, file: String, environment: [String: String] = [:], expanding: String? = nil, baseURLGiven: Bool = false,
        embeddedService: (any EmbeddedServiceProvider)? = nil
    ) throws(FlowLoadError) -> [String: Target] {
        var parser = TargetParser(
            reader: YAMLDocumentReader(file: file), environment: environment, expanding: expanding, baseURLGiven: baseURLGiven,
            embeddedService: embeddedService)
        var targets: [String: Target] = [:]
        if let root = parser.reader.compose(text),
            let entries = parser.reader.entries(root, of: "targets file", allowed: ["targets"], required: ["targets"]),
            let targetsNode = entries["targets"]?.value,
            let pairs = parser.reader.pairs(targetsNode, of: "targets")
        {
            for pair in pairs {
                if let target = parser.target(named: pair.key, pair.value) { targets[pair.key] = target }
            }
        }
        guard parser.reader.diagnostics.isEmpty else { throw FlowLoadError(diagnostics: parser.reader.diagnostics) }
        return targets
    }

    /// Reads one target after another, collecting every problem in one reader.
    private struct TargetParser {
        var reader: YAMLDocumentReader
        let environment: [String: String]
        let expanding: String?
        let baseURLGiven: Bool
        let embeddedService: (any EmbeddedServiceProvider)?

        /// The target `name` declares, or `nil` when it has a problem (reported).
        mutating func target(named name: String, _ declared: Node) -> Target? {
            let what = "target '\(name)'"
            var secrets: [String] = []
            guard let node = expanded(name, declared, secrets: &secrets),
                let fields = reader.entries(node, of: what, allowed: ["embedded", "fixtures", "server", "gatewayDouble", "baseURL", "vars", "actors"])
            else { return nil }
            let embedded = fields["embedded"].flatMap { reader.bool($0.value, of: "'embedded' of \(what)") } ?? false
            let gatewayDouble = gatewayDouble(fields["gatewayDouble"], of: what, embedded: embedded)
            let fixtures = fields["fixtures"].flatMap { reader.string($0.value, of: "'fixtures' of \(what)") }
            let (vars, writtenSecrets) = variables(fields["vars"]?.value, of: what)
            if name == expanding || expanding == nil { secrets += writtenSecrets }
            let actors = fields["actors"].map { reader.actors($0.value, of: "actors of \(what)") } ?? []
            let serverEnvironment =
                fields["server"].map {
                    TargetsFileParser.serverVariables($0, of: what, embedded: embedded, provider: embeddedService, reader: &reader)
                } ?? [:]
            var target: Target
            if embedded {
                if let base = fields["baseURL"] { reader.report(base.key, "\(what) is embedded; remove 'baseURL' or 'embedded: true'") }
                target = Target(name: name, kind: .embedded(fixtures: fixtures), vars: vars, secrets: secrets)
                target.serverEnvironment = serverEnvironment
                target.razorpayDouble = gatewayDouble
            } else if let baseNode = fields["baseURL"]?.value {
                guard let text = reader.string(baseNode, of: "'baseURL' of \(what)") else { return nil }
                if name != expanding, EnvironmentReferences.contains(text) {
                    // Checked when this target is the one resolved (its environment variables are then set).
                    target = Target(name: name, kind: .remote(URL(string: "http://unresolved.invalid")!), vars: vars)
                } else if let url = URL(string: text), url.scheme == "http" || url.scheme == "https", url.host != nil {
                    target = Target(name: name, kind: .remote(url), vars: vars, secrets: secrets)
                } else {
                    reader.report(baseNode, "'baseURL' of \(what) must be an absolute http(s) URL, found '\(text)'")
                    return nil
                }
            } else {
                reader.report(declared, "\(what) needs 'embedded: true' or a 'baseURL'")
                return nil
            }
            target.actors = actors
            target.secretVariableNames = Self.secretVariableNames(declared)
            return target
        }

        /// The target's node with its `${NAME}` references expanded when it is the target being resolved (the values
        /// read become `secrets`, except the base URL's), or `nil` when a variable it needs is unset (reported once;
        /// the values it leaves empty would only repeat the problem). A base URL given on the command line is
        /// neither expanded nor checked.
        private mutating func expanded(_ name: String, _ declared: Node, secrets: inout [String]) -> Node? {
            guard name == expanding else { return declared }
            var value = declared
            if baseURLGiven, case .mapping(var mapping) = value, let base = mapping.first(where: { $0.key.string == "baseURL" }) {
                mapping[base.key] = Node.scalar(.init("http://base-url-given.invalid", .implicit, .plain, base.value.mark))
                value = .mapping(mapping)
            }
            var unset = 0
            let node = EnvironmentReferences.expand(value, environment: environment, secrets: &secrets) { node, variable in
                reader.report(node, "environment variable \(variable) is not set (needed by target '\(name)')")
                unset += 1
            }
            guard unset == 0 else { return nil }
            if case .mapping(let original) = declared, let base = original.first(where: { $0.key.string == "baseURL" })?.value {
                // The base URL is read from the environment for convenience, not as a secret: messages keep it.
                var baseValues: [String] = []
                _ = EnvironmentReferences.expand(base, environment: environment, secrets: &baseValues) { _, _ in }
                secrets.removeAll { baseValues.contains($0) }
            }
            return node
        }

        /// `gatewayDouble: razorpay` (the only double), on an embedded target only.
        private mutating func gatewayDouble(_ field: (key: Node, value: Node)?, of what: String, embedded: Bool) -> Bool {
            guard let field else { return false }
            if !embedded {
                reader.report(field.key, "'gatewayDouble' of \(what) starts a payment gateway double beside an embedded server; add 'embedded: true'")
            }
            guard reader.string(field.value, of: "'gatewayDouble' of \(what)") == "razorpay" else {
                reader.report(field.value, "'gatewayDouble' of \(what) must be razorpay (the only gateway double)")
                return false
            }
            return true
        }

        /// `vars:` as templates, and the values written `name: {secret: value}` — secrets written in the file,
        /// masked like environment values.
        private mutating func variables(_ node: Node?, of what: String) -> (vars: [NamedTemplate], secrets: [String]) {
            guard let node, let pairs = reader.pairs(node, of: "vars of \(what)") else { return ([], []) }
            var vars: [NamedTemplate] = []
            var secrets: [String] = []
            for pair in pairs {
                if case .mapping(let mapping) = pair.value, mapping.count == 1, let marked = mapping.first, marked.key.string == "secret" {
                    guard case .scalar(let scalar) = marked.value, !scalar.string.isEmpty else {
                        reader.report(marked.value, "'secret' of variable '\(pair.key)' must be a non-empty string")
                        continue
                    }
                    if let template = reader.template(marked.value, of: "secret variable '\(pair.key)'") {
                        vars.append(NamedTemplate(name: pair.key, value: .string(template)))
                        secrets.append(scalar.string)
                    }
                } else if let value = reader.templateValue(pair.value, of: "variable '\(pair.key)'") {
                    vars.append(NamedTemplate(name: pair.key, value: value))
                }
            }
            return (vars, secrets)
        }

        /// Names of the variables whose values are secrets: read from the environment or written `{secret: …}`.
        private static func secretVariableNames(_ declared: Node) -> Set<String> {
            guard case .mapping(let original) = declared, let varsNode = original.first(where: { $0.key.string == "vars" })?.value,
                case .mapping(let vars) = varsNode
            else { return [] }
            var names = Set<String>()
            for (key, value) in vars {
                if case .scalar(let scalar) = value, EnvironmentReferences.contains(scalar.string) { names.insert(key.string ?? "") }
                if case .mapping(let marked) = value, marked.count == 1, marked.first?.key.string == "secret" { names.insert(key.string ?? "") }
            }
            return names
        }
    }

    /// Reads a target's `server:` block and reports what the embedded service says of it, each problem at the
    /// variable's name or value.
    private static func serverVariables(
        _ serverNode: (key: Node, value: Node), of what: String, embedded: Bool, provider: (any EmbeddedServiceProvider)?,
        reader: inout YAMLDocumentReader
    ) -> [String: String] {
        if !embedded { reader.report(serverNode.key, "'server' of \(what) configures an embedded server; add 'embedded: true'") }
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
        // Without a provider the variables are kept unchecked: nothing can start this target here, and choosing it
        // is refused by `run` and `validate`; a targets file's other targets stay usable.
        guard let provider else { return variables }
        for problem in provider.configurationProblems(variables) {
            let node = problem.variable.flatMap { problem.place == .name ? keyNodes[$0] : valueNodes[$0] } ?? serverNode.key
            reader.report(node, problem.place == .value ? "'server' of \(what): \(problem.message)" : problem.message)
        }
        return variables
    }

    /// The nearest `targets.yaml` in the folder of `path` (or `path` itself when it is a folder) or any parent folder.
    /// - Returns: the file's path, or `nil` when there is none up to the file-system root.
    public static func locate(near path: String) -> String? { NearestFile.locate("targets.yaml", near: path) }
}
