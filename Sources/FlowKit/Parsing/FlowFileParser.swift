import Foundation
import Yams

/// Parses the text of one flow file into a ``Flow``, collecting every problem with its line.
public struct FlowFileParser {
    private var reader: YAMLDocumentReader
    private let source: FlowSource

    /// - Parameter source: the file's display path (used in diagnostics) and suite name.
    public init(source: FlowSource) {
        self.source = source
        self.reader = YAMLDocumentReader(file: source.path)
    }

    /// Parses flow YAML text.
    /// - Throws: ``FlowLoadError`` with every problem found (syntax, unknown keys, missing keys, wrong types,
    ///   bad matchers, bad templates, bad JSONPath), each located at its line.
    public mutating func parse(_ text: String) throws(FlowLoadError) -> Flow {
        let flow = reader.compose(text).flatMap { parseFlow($0) }
        guard reader.diagnostics.isEmpty, let flow else {
            let ordered = reader.diagnostics.enumerated().sorted { first, second in
                let a = first.element.location, b = second.element.location
                return (a.line, a.column, first.offset) < (b.line, b.column, second.offset)
            }
            throw FlowLoadError(diagnostics: ordered.map(\.element))
        }
        return flow
    }

    private mutating func parseFlow(_ root: Node) -> Flow? {
        guard let entries = reader.entries(root, of: "flow", allowed: ["name", "tags", "vars", "steps"], required: ["name", "steps"])
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
        let vars = entries["vars"].map { parseVars($0.value, of: "flow 'vars'") } ?? []
        var steps: [Step] = []
        if let node = entries["steps"]?.value {
            if case .sequence(let sequence) = node, !sequence.isEmpty {
                for (index, stepNode) in sequence.enumerated() {
                    if let step = parseStep(stepNode, index: index) { steps.append(step) }
                }
            } else if case .sequence = node {
                reader.report(node, "'steps' must not be empty")
            } else {
                reader.report(node, "'steps' must be a list of steps, found \(YAMLDocumentReader.kindName(node))")
            }
        }
        guard let name else { return nil }
        return Flow(name: name, tags: tags, vars: vars, steps: steps, source: source)
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

    private mutating func parseStep(_ node: Node, index: Int) -> Step? {
        let what = "step \(index + 1)"
        guard let entries = reader.entries(
            node, of: what, allowed: ["name", "vars", "request", "expect", "capture"], required: ["name", "request"])
        else { return nil }
        let name = entries["name"].flatMap { reader.string($0.value, of: "\(what) 'name'") }
        let label = name.map { "step '\($0)'" } ?? what
        let vars = entries["vars"].map { parseVars($0.value, of: "\(label) 'vars'") } ?? []
        let request = entries["request"].flatMap { parseRequest($0.value, of: label) }
        let expect = entries["expect"].map { parseExpectation($0.value, of: label) } ?? Expectation()
        let captures = entries["capture"].map { parseCaptures($0.value, of: label) } ?? []
        guard let name, let request else { return nil }
        return Step(name: name, vars: vars, request: request, expect: expect, captures: captures, location: reader.location(node))
    }

    private mutating func parseRequest(_ node: Node, of step: String) -> RequestSpec? {
        let what = "request of \(step)"
        guard let entries = reader.entries(
            node, of: what, allowed: ["method", "url", "query", "headers", "json", "body", "auth"], required: ["url"])
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
        let headers = entries["headers"].map { templatePairs($0.value, of: "headers of \(step)") } ?? []
        var body: RequestSpec.Body?
        if let json = entries["json"], let raw = entries["body"] {
            reader.report(raw.key, "request of \(step) has both 'json' (line \(json.key.mark?.line ?? 0)) and 'body'; give only one")
        } else if let json = entries["json"] {
            body = reader.templateValue(json.value, of: "json body").map(RequestSpec.Body.json)
        } else if let raw = entries["body"] {
            body = reader.template(raw.value, of: "body").map(RequestSpec.Body.raw)
        }
        var bearer: Template?
        if let auth = entries["auth"]?.value,
            let authEntries = reader.entries(auth, of: "auth of \(step)", allowed: ["bearer"], required: ["bearer"])
        {
            bearer = authEntries["bearer"].flatMap { reader.template($0.value, of: "bearer token") }
        }
        guard let url else { return nil }
        return RequestSpec(method: method, url: url, query: query, headers: headers, body: body, bearer: bearer)
    }

    private mutating func templatePairs(_ node: Node, of what: String) -> [(name: String, value: Template)] {
        guard let pairs = reader.pairs(node, of: what) else { return [] }
        return pairs.compactMap { pair in reader.template(pair.value, of: "'\(pair.key)' in \(what)").map { (pair.key, $0) } }
    }

    private mutating func parseExpectation(_ node: Node, of step: String) -> Expectation {
        var expectation = Expectation()
        guard let entries = reader.entries(node, of: "expect of \(step)", allowed: ["status", "headers", "json", "body"]) else {
            return expectation
        }
        expectation.status = entries["status"].flatMap { reader.matcher($0.value, of: "status") }
        if let status = entries["status"], case .scalar(let scalar) = status.value, !scalar.string.contains("{{"),
            !(Int(scalar.string).map { (100...599).contains($0) } ?? false)
        {
            reader.report(status.value, "expected status of \(step) must be an HTTP status code from 100 to 599 or a predicate mapping, found '\(scalar.string)'")
        }
        if let headers = entries["headers"], let pairs = reader.pairs(headers.value, of: "expected headers of \(step)") {
            expectation.headers = pairs.compactMap { pair in
                reader.matcher(pair.value, of: "header '\(pair.key)'").map { (pair.key, $0) }
            }
        }
        if let json = entries["json"], let pairs = reader.pairs(json.value, of: "expected json of \(step)") {
            for pair in pairs {
                let path = reader.jsonPath(pair.keyNode, text: pair.key, of: "expect json of \(step)")
                let matcher = reader.matcher(pair.value, of: pair.key)
                if let path, let matcher { expectation.json.append(Expectation.JSONCheck(path: path, matcher: matcher)) }
            }
        }
        expectation.body = entries["body"].flatMap { reader.matcher($0.value, of: "body") }
        return expectation
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
            guard let entries = reader.entries(pair.value, of: what, allowed: ["json", "header", "regex"]) else { continue }
            guard entries.count == 1, let first = entries.first else {
                reader.report(pair.value, "\(what) needs exactly one of 'json', 'header' or 'regex'")
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
