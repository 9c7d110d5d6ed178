import Foundation
import Yams

/// Parses the text of one flow file into a ``Flow``, collecting every problem with its line.
public struct FlowFileParser {
    private var reader: YAMLDocumentReader
    private let source: FlowSource
    private let readFile: ReferencedFileReader?

    /// - Parameters:
    ///   - source: the file's display path (used in diagnostics) and suite name.
    ///   - readFile: how the text of a file the flow names (`include:`, `schema:`) is read; `nil` makes every such
    ///     reference a diagnostic (the parser itself does no I/O).
    public init(source: FlowSource, readFile: ReferencedFileReader? = nil) {
        self.source = source
        self.readFile = readFile
        self.reader = YAMLDocumentReader(file: source.path)
    }

    /// Parses flow YAML text.
    /// - Throws: ``FlowLoadError`` with every problem found (syntax, unknown keys, missing keys, wrong types,
    ///   bad matchers, bad templates, bad JSONPath), each located at its line.
    public mutating func parse(_ text: String) throws(FlowLoadError) -> Flow {
        let (flow, diagnostics) = parsePartially(text)
        guard diagnostics.isEmpty, let flow else { throw FlowLoadError(diagnostics: diagnostics) }
        return flow
    }

    /// Parses flow YAML text as far as it can: the flow with every part that parsed (a step with an unknown key
    /// keeps its other keys), and every problem in line order — so that `validate` can also lint a file with
    /// problems (an undefined actor next to an unknown key) in one pass. `nil` when not even a named flow is there.
    public mutating func parsePartially(_ text: String) -> (flow: Flow?, diagnostics: [FlowDiagnostic]) {
        let flow = reader.compose(text).flatMap { parseFlow($0) }
        let ordered = reader.diagnostics.enumerated().sorted { first, second in
            let a = first.element.location, b = second.element.location
            return (a.line, a.column, first.offset) < (b.line, b.column, second.offset)
        }
        return (flow, ordered.map(\.element))
    }

    /// Keys of a flow file.
    static let flowKeys = ["name", "tags", "skip", "matrix", "vars", "actors", "timeout", "setup", "steps", "teardown"]
    /// Keys of a step.
    static let stepKeys = ["name", "as", "vars", "request", "expect", "capture", "retry", "timeout"]
    /// Keys of a request.
    static let requestKeys = ["method", "url", "query", "headers", "json", "body", "form", "auth", "undocumented"]
    /// Keys of an expectation.
    static let expectationKeys = ["status", "headers", "json", "body", "duration", "schema"]

    /// Include nesting allowed (a file including a file …).
    static let maximumIncludeDepth = 8

    private mutating func parseFlow(_ root: Node) -> Flow? {
        guard let entries = reader.entries(root, of: "flow", allowed: Self.flowKeys, required: ["name", "steps"])
        else { return nil }
        let name = entries["name"].flatMap { reader.string($0.value, of: "flow 'name'") }
        var tags: [String] = []
        if let node = entries["tags"]?.value {
            if case .sequence(let sequence) = node {
                tags = sequence.compactMap { reader.string($0, of: "tag") }
            } else {
                reader.report(node, "'tags' must be a list of strings, found \(YAMLDocumentReader.kindName(node))")
            }
        }
        let matrixCases = entries["matrix"].map { parseMatrix($0.value) } ?? []
        let skipReason = entries["skip"].flatMap { reader.string($0.value, of: "flow 'skip' (the reason the flow is not run)") }
        let vars = entries["vars"].map { parseVars($0.value, of: "flow 'vars'") } ?? []
        let actors = entries["actors"].map { reader.actors($0.value, of: "flow 'actors'") } ?? []
        let timeout = entries["timeout"].flatMap { reader.duration($0.value, of: "flow 'timeout'") }
        if let timeout, timeout <= .zero, let node = entries["timeout"]?.value {
            reader.report(node, "flow 'timeout' must be greater than 0")
        }
        let setup = entries["setup"].map { parseSteps($0.value, of: "setup", allowEmpty: false) } ?? []
        let steps = entries["steps"].map { parseSteps($0.value, of: "steps", allowEmpty: false) } ?? []
        let teardown = entries["teardown"].map { parseSteps($0.value, of: "teardown", allowEmpty: false) } ?? []
        guard let name else { return nil }
        var flow = Flow(name: name, tags: tags, vars: vars, steps: steps, source: source)
        flow.actors = actors
        flow.skipReason = skipReason
        flow.setup = setup
        flow.teardown = teardown
        flow.timeout = timeout
        flow.matrixCases = matrixCases
        return flow
    }

    /// `matrix:` as a mapping of lists (every combination, first key varying slowest) or a list of mappings
    /// (exactly those cases). Values are templates evaluated like flow variables.
    private mutating func parseMatrix(_ node: Node) -> [[NamedTemplate]] {
        switch node {
        case .mapping:
            guard let pairs = reader.pairs(node, of: "matrix") else { return [] }
            var cases: [[NamedTemplate]] = [[]]
            for pair in pairs {
                guard Self.isIdentifier(pair.key) else {
                    reader.report(pair.keyNode, "matrix variable '\(pair.key)' must start with a letter or '_' and contain only letters, digits and '_'")
                    return []
                }
                guard case .sequence(let values) = pair.value, !values.isEmpty else {
                    reader.report(pair.value, "matrix variable '\(pair.key)' must be a non-empty list of values")
                    return []
                }
                var parsed: [TemplateValue] = []
                for value in values {
                    guard let template = reader.templateValue(value, of: "matrix value of '\(pair.key)'") else { return [] }
                    parsed.append(template)
                }
                cases = cases.flatMap { prefix in parsed.map { prefix + [NamedTemplate(name: pair.key, value: $0)] } }
            }
            return cases
        case .sequence(let sequence) where !sequence.isEmpty:
            var cases: [[NamedTemplate]] = []
            for element in sequence {
                let bindings = parseVars(element, of: "matrix case")
                if !bindings.isEmpty { cases.append(bindings) }
            }
            return cases
        default:
            reader.report(node, "'matrix' must be a mapping of value lists or a non-empty list of mappings, found \(YAMLDocumentReader.kindName(node))")
            return []
        }
    }

    /// A list of steps and `include:` items, includes expanded in place.
    private mutating func parseSteps(_ node: Node, of what: String, allowEmpty: Bool) -> [Step] {
        guard case .sequence(let sequence) = node else {
            reader.report(node, "'\(what)' must be a list of steps, found \(YAMLDocumentReader.kindName(node))")
            return []
        }
        if sequence.isEmpty, !allowEmpty {
            reader.report(node, "'\(what)' must not be empty")
            return []
        }
        var steps: [Step] = []
        for (index, stepNode) in sequence.enumerated() {
            if case .mapping(let mapping) = stepNode, mapping.keys.contains(where: { $0.string == "include" }) {
                steps += parseInclude(stepNode)
            } else if let step = parseStep(stepNode, index: index, of: what) {
                steps.append(step)
            }
        }
        return steps
    }

    /// `- include: _includes/book.yaml` with `with: {name: value}`: the steps of a shared step file
    /// (`params:` and `steps:`), each given the parameters as step variables.
    private mutating func parseInclude(_ node: Node) -> [Step] {
        guard let entries = reader.entries(node, of: "include", allowed: ["include", "with"], required: ["include"]),
            let pathNode = entries["include"]?.value, let relative = reader.string(pathNode, of: "'include'")
        else { return [] }
        let arguments = entries["with"].map { parseVars($0.value, of: "'with' of include") } ?? []
        let here = reader.location(node)
        let directory = (source.path as NSString).deletingLastPathComponent
        let path = relative.hasPrefix("/") ? relative : (directory.isEmpty ? relative : directory + "/" + relative)
        let standardized = URL(fileURLWithPath: path).standardizedFileURL.path
        guard !includeChain.contains(standardized) else {
            reader.report(pathNode, "include cycle: '\(relative)' is already being included")
            return []
        }
        guard includeChain.count < Self.maximumIncludeDepth else {
            reader.report(pathNode, "includes nested deeper than \(Self.maximumIncludeDepth)")
            return []
        }
        guard let readFile else {
            reader.report(pathNode, "cannot read included file '\(path)': this parser was given no way to read files")
            return []
        }
        let text: String
        do {
            text = try readFile(path)
        } catch {
            reader.report(pathNode, "cannot read included file '\(path)': \(error.message)")
            return []
        }
        var nested = FlowFileParser(source: FlowSource(path: path, suiteName: source.suiteName), readFile: readFile)
        nested.includeChain = includeChain + [standardized]
        guard let included = nested.parseStepFile(text) else {
            for diagnostic in nested.reader.diagnostics { reader.append(diagnostic) }
            return []
        }
        let given = Set(arguments.map(\.name))
        let declared = Set(included.params.map(\.name))
        for argument in arguments where !declared.contains(argument.name) {
            reader.report(
                pathNode,
                "'\(argument.name)' is not a parameter of '\(relative)' (parameters: \(included.params.map(\.name).sorted().joined(separator: ", ")))\(FlowLinter.suggestion(for: argument.name, among: declared))"
            )
        }
        for param in included.params where param.value == nil && !given.contains(param.name) {
            reader.report(pathNode, "include of '\(relative)' is missing parameter '\(param.name)'")
        }
        let defaults = included.params.compactMap { param in
            param.value.flatMap { given.contains(param.name) ? nil : NamedTemplate(name: param.name, value: $0) }
        }
        return included.steps.map { step in
            var step = step
            step.vars = arguments + defaults + step.vars
            step.includedFrom = step.includedFrom ?? here
            return step
        }
    }

    /// Files currently being included, outermost first (cycle detection).
    private var includeChain: [String] = []

    /// Parses a shared step file: `params:` (a list of names, or a mapping of names to default values; `null`
    /// means required) and `steps:`.
    mutating func parseStepFile(_ text: String) -> (params: [(name: String, value: TemplateValue?)], steps: [Step])? {
        guard let root = reader.compose(text),
            let entries = reader.entries(root, of: "step file", allowed: ["params", "steps"], required: ["steps"])
        else { return nil }
        var params: [(name: String, value: TemplateValue?)] = []
        switch entries["params"]?.value {
        case .sequence(let names)?:
            for name in names { if let text = reader.string(name, of: "parameter name") { params.append((text, nil)) } }
        case let node? where node.mapping != nil:
            for pair in reader.pairs(node, of: "params") ?? [] {
                let value = YAMLDocumentReader.tagName(pair.value) == .null ? nil : reader.templateValue(pair.value, of: "default of '\(pair.key)'")
                params.append((pair.key, value))
            }
        case let node?:
            reader.report(node, "'params' must be a list of names or a mapping of names to defaults")
        case nil:
            break
        }
        let steps = entries["steps"].map { parseSteps($0.value, of: "steps", allowEmpty: false) } ?? []
        return reader.diagnostics.isEmpty ? (params, steps) : nil
    }

    private mutating func parseVars(_ node: Node, of what: String) -> [NamedTemplate] {
        guard let pairs = reader.pairs(node, of: what) else { return [] }
        var vars: [NamedTemplate] = []
        for pair in pairs {
            guard Self.isIdentifier(pair.key) else {
                reader.report(pair.keyNode, "variable name '\(pair.key)' must start with a letter or '_' and contain only letters, digits and '_'")
                continue
            }
            if let value = reader.templateValue(pair.value, of: "variable '\(pair.key)'") {
                vars.append(NamedTemplate(name: pair.key, value: value))
            }
        }
        return vars
    }

    static func isIdentifier(_ name: String) -> Bool {
        guard let first = name.first, first == "_" || first.isLetter else { return false }
        return name.allSatisfy { $0 == "_" || $0.isLetter || ($0.isASCII && $0.isNumber) }
    }

    private mutating func parseStep(_ node: Node, index: Int, of list: String) -> Step? {
        let what = list == "steps" ? "step \(index + 1)" : "\(list) step \(index + 1)"
        guard let entries = reader.entries(node, of: what, allowed: Self.stepKeys, required: ["name", "request"])
        else { return nil }
        let name = entries["name"].flatMap { reader.string($0.value, of: "\(what) 'name'") }
        let label = name.map { "step '\($0)'" } ?? what
        let actor = entries["as"].flatMap { reader.string($0.value, of: "'as' of \(label)") }
        let vars = entries["vars"].map { parseVars($0.value, of: "\(label) 'vars'") } ?? []
        let request = entries["request"].flatMap { parseRequest($0.value, of: label) }
        let expect = entries["expect"].map { parseExpectation($0.value, of: label) } ?? Expectation()
        let captures = entries["capture"].map { parseCaptures($0.value, of: label) } ?? []
        let timeout = entries["timeout"].flatMap { reader.duration($0.value, of: "'timeout' of \(label)") }
        let retry = entries["retry"].flatMap { parseRetry($0.value, of: label) }
        if let timeout, timeout <= .zero, let node = entries["timeout"]?.value {
            reader.report(node, "'timeout' of \(label) must be greater than 0")
        }
        guard let name, let request else { return nil }
        var step = Step(name: name, vars: vars, request: request, expect: expect, captures: captures, location: reader.location(node))
        step.actor = actor
        step.timeout = timeout
        step.retry = retry
        if actor != nil, request.bearer != nil || request.basic != nil, let auth = entries["request"] {
            reader.report(auth.value, "\(label) has both 'as' and 'auth'; give only one")
        }
        return step
    }

    /// `retry: {until: <expectation>, attempts: 10, interval: 200ms}` (attempts 1–1000, default 10; interval default 200ms).
    private mutating func parseRetry(_ node: Node, of step: String) -> RetryPolicy? {
        guard let entries = reader.entries(node, of: "retry of \(step)", allowed: ["until", "attempts", "interval"], required: ["until"]),
            let untilNode = entries["until"]?.value
        else { return nil }
        let until = parseExpectation(untilNode, of: "'until' of \(step)")
        var attempts = 10
        if let attemptsNode = entries["attempts"]?.value {
            if let value = attemptsNode.int, (1...1000).contains(value), YAMLDocumentReader.tagName(attemptsNode) == .int {
                attempts = value
            } else {
                reader.report(attemptsNode, "'attempts' of retry of \(step) must be a whole number from 1 to 1000")
            }
        }
        let interval = entries["interval"].flatMap { reader.duration($0.value, of: "'interval' of retry of \(step)") } ?? .milliseconds(200)
        return RetryPolicy(until: until, attempts: attempts, interval: interval)
    }

    private mutating func parseRequest(_ node: Node, of step: String) -> RequestSpec? {
        let what = "request of \(step)"
        guard
            let entries = reader.entries(
                node, of: what, allowed: Self.requestKeys, required: ["url"])
        else { return nil }
        var method = RequestSpec.Method.GET
        if let methodNode = entries["method"]?.value {
            if let text = reader.string(methodNode, of: "method") {
                if let parsed = RequestSpec.Method(rawValue: text.uppercased()) {
                    method = parsed
                } else {
                    reader.report(methodNode, "unknown HTTP method '\(text)' (allowed: \(RequestSpec.Method.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
            }
        }
        let url = entries["url"].flatMap { reader.template($0.value, of: "url") }
        let query = entries["query"].map { templatePairs($0.value, of: "query of \(step)") } ?? []
        let headers = entries["headers"].map { headerPairs($0.value, of: "headers of \(step)") } ?? []
        var body: RequestSpec.Body?
        let bodyKeys = ["json", "body", "form"].compactMap { key in entries[key].map { (key, $0) } }
        if bodyKeys.count > 1 {
            let (second, entry) = bodyKeys[1]
            reader.report(
                entry.key, "request of \(step) has both '\(bodyKeys[0].0)' (line \(bodyKeys[0].1.key.mark?.line ?? 0)) and '\(second)'; give only one")
        } else if let json = entries["json"] {
            body = reader.templateValue(json.value, of: "json body").map(RequestSpec.Body.json)
        } else if let raw = entries["body"] {
            body = reader.template(raw.value, of: "body").map(RequestSpec.Body.raw)
        } else if let form = entries["form"] {
            body = .form(templatePairs(form.value, of: "form of \(step)"))
        }
        var bearer: Template?
        var basic: (username: Template, password: Template)?
        if let auth = entries["auth"]?.value,
            let authEntries = reader.entries(auth, of: "auth of \(step)", allowed: ["bearer", "basic"])
        {
            if authEntries.count != 1 { reader.report(auth, "auth of \(step) needs exactly one of 'bearer' or 'basic'") }
            bearer = authEntries["bearer"].flatMap { reader.template($0.value, of: "bearer token") }
            if let basicNode = authEntries["basic"]?.value,
                let fields = reader.entries(basicNode, of: "basic auth of \(step)", allowed: ["username", "password"], required: ["username", "password"]),
                let username = fields["username"].flatMap({ reader.template($0.value, of: "basic auth username") }),
                let password = fields["password"].flatMap({ reader.template($0.value, of: "basic auth password") })
            {
                if username.isLiteral, username.source.contains(":") {
                    reader.report(fields["username"]!.value, "basic auth username of \(step) cannot contain ':' (RFC 7617 §2)")
                }
                basic = (username, password)
            }
        }
        var undocumented = false
        if let flag = entries["undocumented"]?.value { undocumented = reader.bool(flag, of: "'undocumented' of \(step)") ?? false }
        guard let url else { return nil }
        var request = RequestSpec(method: method, url: url, query: query, headers: headers, body: body, bearer: bearer)
        request.basic = basic
        request.undocumented = undocumented
        return request
    }

    /// Header fields: each name an RFC 9110 §5.6.2 token, each value free of CR, LF and NUL (which would split the
    /// request or be dropped silently) — checked here for what the file writes, and again when a value is rendered.
    private mutating func headerPairs(_ node: Node, of what: String) -> [(name: String, value: Template)] {
        guard let pairs = reader.pairs(node, of: what) else { return [] }
        var result: [(name: String, value: Template)] = []
        for pair in pairs {
            if let problem = HeaderSyntax.nameProblem(pair.key) {
                reader.report(pair.keyNode, "header name '\(HeaderSyntax.visible(pair.key))' in \(what) \(problem)")
                continue
            }
            guard let template = reader.template(pair.value, of: "'\(pair.key)' in \(what)") else { continue }
            for part in template.parts {
                if case .literal(let text) = part, let problem = HeaderSyntax.valueProblem(text) {
                    reader.report(pair.value, "value of header '\(pair.key)' in \(what) \(problem)")
                }
            }
            result.append((pair.key, template))
        }
        return result
    }

    private mutating func templatePairs(_ node: Node, of what: String) -> [(name: String, value: Template)] {
        guard let pairs = reader.pairs(node, of: what) else { return [] }
        return pairs.compactMap { pair in reader.template(pair.value, of: "'\(pair.key)' in \(what)").map { (pair.key, $0) } }
    }

    private mutating func parseExpectation(_ node: Node, of step: String) -> Expectation {
        var expectation = Expectation()
        guard let entries = reader.entries(node, of: "expect of \(step)", allowed: Self.expectationKeys) else {
            return expectation
        }
        expectation.status = entries["status"].flatMap { reader.matcher($0.value, of: "status") }
        if let status = entries["status"], case .scalar(let scalar) = status.value, !scalar.string.contains("{{"),
            !(Int(scalar.string).map { (100...599).contains($0) } ?? false)
        {
            reader.report(
                status.value, "expected status of \(step) must be an HTTP status code from 100 to 599 or a predicate mapping, found '\(scalar.string)'")
        }
        if let headers = entries["headers"], let pairs = reader.pairs(headers.value, of: "expected headers of \(step)") {
            expectation.headers = pairs.compactMap { pair in
                reader.matcher(pair.value, of: "header '\(pair.key)'").map { (pair.key, $0) }
            }
        }
        if let json = entries["json"], let pairs = reader.pairs(json.value, of: "expected json of \(step)") {
            for pair in pairs {
                let matcher = reader.matcher(pair.value, of: pair.key)
                if pair.key.contains("{{") {
                    guard let template = reader.parseTemplate(pair.key, at: pair.keyNode, of: "JSONPath of expect json of \(step)"),
                        let matcher, let placeholderPath = try? JSONPathQuery("$")
                    else { continue }
                    var check = Expectation.JSONCheck(path: placeholderPath, matcher: matcher)
                    check.path.source = pair.key
                    check.pathTemplate = template
                    expectation.json.append(check)
                    continue
                }
                let path = reader.jsonPath(pair.keyNode, text: pair.key, of: "expect json of \(step)")
                if let path, let matcher { expectation.json.append(Expectation.JSONCheck(path: path, matcher: matcher)) }
            }
        }
        expectation.body = entries["body"].flatMap { reader.matcher($0.value, of: "body") }
        if let duration = entries["duration"]?.value {
            expectation.duration = parseDurationBounds(duration, of: step)
        }
        if let schemaNode = entries["schema"]?.value, let relative = reader.string(schemaNode, of: "'schema' of \(step)") {
            let directory = (source.path as NSString).deletingLastPathComponent
            let path = relative.hasPrefix("/") || directory.isEmpty ? relative : directory + "/" + relative
            guard let readFile else {
                reader.report(schemaNode, "cannot read JSON Schema file '\(path)': this parser was given no way to read files")
                return expectation
            }
            do throws(FlowDiagnostic) {
                let text = try readFile(path)
                do {
                    expectation.schema = try JSONSchemaDocument(parsing: Data(text.utf8), source: path)
                } catch {
                    reader.report(schemaNode, error.message)
                }
            } catch {
                reader.report(schemaNode, "cannot read JSON Schema file '\(path)'")
            }
        }
        return expectation
    }

    /// `duration: {lt: 500ms, gte: 1ms}`: bounds on the response time.
    private mutating func parseDurationBounds(_ node: Node, of step: String) -> [(op: Predicate.ComparisonOperator, bound: Duration)] {
        guard let pairs = reader.pairs(node, of: "'duration' of \(step)") else { return [] }
        var bounds: [(op: Predicate.ComparisonOperator, bound: Duration)] = []
        for pair in pairs {
            guard let op = Predicate.ComparisonOperator(rawValue: pair.key) else {
                reader.report(
                    pair.keyNode,
                    "unknown key '\(pair.key)' in 'duration' of \(step) (allowed: lt, lte, gt, gte)\(FlowLinter.suggestion(for: pair.key, among: ["lt", "lte", "gt", "gte"]))"
                )
                continue
            }
            if let bound = reader.duration(pair.value, of: "'\(pair.key)' of 'duration'") { bounds.append((op, bound)) }
        }
        return bounds
    }

    private mutating func parseCaptures(_ node: Node, of step: String) -> [Capture] {
        guard let pairs = reader.pairs(node, of: "capture of \(step)") else { return [] }
        var captures: [Capture] = []
        for pair in pairs {
            guard Self.isIdentifier(pair.key) else {
                reader.report(pair.keyNode, "capture name '\(pair.key)' must start with a letter or '_' and contain only letters, digits and '_'")
                continue
            }
            let what = "capture '\(pair.key)'"
            if case .scalar(let scalar) = pair.value {
                if let path = reader.jsonPath(pair.value, text: scalar.string, of: what) {
                    captures.append(Capture(name: pair.key, source: .json(path)))
                }
                continue
            }
            guard let entries = reader.entries(pair.value, of: what, allowed: ["json", "header", "cookie", "regex"]) else { continue }
            guard entries.count == 1, let first = entries.first else {
                reader.report(pair.value, "\(what) needs exactly one of 'json', 'header', 'cookie' or 'regex'")
                continue
            }
            let kind = first.key
            let entry = first.value
            guard let text = reader.string(entry.value, of: "\(what) '\(kind)'") else { continue }
            switch kind {
            case "json":
                if let path = reader.jsonPath(entry.value, text: text, of: what) {
                    captures.append(Capture(name: pair.key, source: .json(path)))
                }
            case "header":
                captures.append(Capture(name: pair.key, source: .header(text)))
            case "cookie":
                captures.append(Capture(name: pair.key, source: .cookie(text)))
            default:
                do {
                    _ = try NSRegularExpression(pattern: text)
                    captures.append(Capture(name: pair.key, source: .regex(text)))
                } catch {
                    reader.report(entry.value, "invalid regular expression in \(what): '\(text)'")
                }
            }
        }
        return captures
    }
}
