import Foundation
import Yams

/// Reads Yams nodes of one file into typed values, collecting ``FlowDiagnostic``s instead of stopping at the first problem.
package struct YAMLDocumentReader {
    package let file: String
    package private(set) var diagnostics: [FlowDiagnostic] = []

    package init(file: String) { self.file = file }

    /// Composes the YAML text into a node tree, recording a syntax error (with its line) on failure.
    package mutating func compose(_ text: String) -> Node? {
        // A byte-order mark is not content (files read through TextFile have it removed already).
        let text = text.hasPrefix("\u{FEFF}") ? String(text.unicodeScalars.dropFirst()) : text
        do {
            guard let node = try Yams.compose(yaml: text) else {
                report(line: 1, column: 1, "file is empty")
                return nil
            }
            return node
        } catch let error as YamlError {
            switch error {
            case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
                .composer(let context, let problem, let mark, _):
                let detail = context.map { " (\($0.text) at line \($0.mark.line))" } ?? ""
                report(line: mark.line, column: mark.column, "YAML syntax error: \(problem)\(detail)")
            case .duplicatedKeysInMapping(let duplicates, let context):
                report(
                    line: context.mark.line, column: context.mark.column,
                    "duplicate key\(duplicates.count == 1 ? "" : "s") \(duplicates.map { "'\($0)'" }.joined(separator: ", ")) in mapping")
            case .reader(let problem, let offset, _, _):
                let line = offset.map { offset in text.utf8.prefix(offset).filter { $0 == 10 }.count + 1 } ?? 1
                report(line: line, column: 1, "YAML reader error: \(problem)")
            default:
                report(line: 1, column: 1, "YAML error: \(error)")
            }
            return nil
        } catch {
            report(line: 1, column: 1, "YAML error: \(error)")
            return nil
        }
    }

    package func location(_ node: Node) -> SourceLocation {
        SourceLocation(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
    }

    package mutating func report(line: Int, column: Int, _ message: String) {
        diagnostics.append(FlowDiagnostic(location: SourceLocation(file: file, line: line, column: column), message: message))
    }

    package mutating func append(_ diagnostic: FlowDiagnostic) {
        diagnostics.append(diagnostic)
    }

    /// A duration such as `500ms`, `2s` or `1m` (see ``DurationLiteral``).
    package mutating func duration(_ node: Node, of what: String) -> Duration? {
        guard case .scalar(let scalar) = node, let duration = DurationLiteral.parse(scalar.string) else {
            report(node, "\(what) must be a duration with a unit such as 500ms, 2s or 1m (at most 1 day), found \(Self.kindName(node))")
            return nil
        }
        return duration
    }

    /// `actors:` — a mapping of actor names to `{email, password, role?, tenant?}` templates.
    package mutating func actors(_ node: Node, of what: String) -> [ActorSpec] {
        guard let pairs = pairs(node, of: what) else { return [] }
        var actors: [ActorSpec] = []
        for pair in pairs {
            let label = "actor '\(pair.key)'"
            guard let fields = entries(pair.value, of: label, allowed: ["email", "password", "role", "tenant"], required: ["email", "password"])
            else { continue }
            let email = fields["email"].flatMap { template($0.value, of: "'email' of \(label)") }
            let password = fields["password"].flatMap { template($0.value, of: "'password' of \(label)") }
            let role = fields["role"].flatMap { template($0.value, of: "'role' of \(label)") }
            let tenant = fields["tenant"].flatMap { template($0.value, of: "'tenant' of \(label)") }
            if let email, let password {
                actors.append(ActorSpec(name: pair.key, email: email, password: password, role: role, tenant: tenant, location: location(pair.keyNode)))
            }
        }
        return actors
    }

    package mutating func report(_ node: Node, _ message: String) {
        diagnostics.append(FlowDiagnostic(location: location(node), message: message))
    }

    /// The resolved tag name of a node (`tag:yaml.org,2002:int`, …).
    package static func tagName(_ node: Node) -> Tag.Name { Tag.Name(rawValue: node.tag.rawValue) }

    package static func kindName(_ node: Node) -> String {
        switch node {
        case .scalar(let scalar):
            switch Self.tagName(node) {
            case .null: return "null"
            case .bool: return "a boolean"
            case .int, .float: return "a number"
            default: return scalar.style == .plain ? "the string '\(scalar.string)'" : "a string"
            }
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    /// The mapping's entries keyed by name after checking every key is allowed and every required key present.
    package mutating func entries(
        _ node: Node, of what: String, allowed: [String], required: [String] = []
    ) -> [String: (key: Node, value: Node)]? {
        guard case .mapping(let mapping) = node else {
            report(node, "\(what) must be a mapping, found \(Self.kindName(node))")
            return nil
        }
        var result: [String: (key: Node, value: Node)] = [:]
        for (key, value) in mapping {
            guard case .scalar(let scalar) = key else {
                report(key, "\(what) keys must be strings")
                continue
            }
            guard allowed.contains(scalar.string) else {
                let hint = FlowLinter.suggestion(for: scalar.string, among: Set(allowed))
                report(key, "unknown key '\(scalar.string)' in \(what)\(hint.isEmpty ? "" : hint) (allowed: \(allowed.joined(separator: ", ")))")
                continue
            }
            result[scalar.string] = (key, value)
        }
        for name in required where result[name] == nil {
            report(node, "\(what) is missing required key '\(name)'")
        }
        return result
    }

    /// The ordered `(key node, value node)` pairs of a mapping whose keys are free-form strings.
    package mutating func pairs(_ node: Node, of what: String) -> [(key: String, keyNode: Node, value: Node)]? {
        guard case .mapping(let mapping) = node else {
            report(node, "\(what) must be a mapping, found \(Self.kindName(node))")
            return nil
        }
        var result: [(key: String, keyNode: Node, value: Node)] = []
        for (key, value) in mapping {
            guard case .scalar(let scalar) = key else {
                report(key, "\(what) keys must be strings")
                continue
            }
            result.append((scalar.string, key, value))
        }
        return result
    }

    /// A non-empty string scalar.
    package mutating func string(_ node: Node, of what: String) -> String? {
        guard case .scalar(let scalar) = node, Self.tagName(node) != .null, !scalar.string.isEmpty else {
            report(node, "\(what) must be a non-empty string, found \(Self.kindName(node))")
            return nil
        }
        if scalar.style == .plain, Self.tagName(node) == .bool || Self.tagName(node) == .int || Self.tagName(node) == .float {
            report(node, "\(what) must be a string, found \(Self.kindName(node)) (quote it)")
            return nil
        }
        return scalar.string
    }

    /// A scalar's text as a template (numbers and booleans are taken as written).
    package mutating func template(_ node: Node, of what: String) -> Template? {
        guard case .scalar(let scalar) = node, Self.tagName(node) != .null else {
            report(node, "\(what) must be a string, found \(Self.kindName(node))")
            return nil
        }
        return parseTemplate(scalar.string, at: node, of: what)
    }

    package mutating func parseTemplate(_ text: String, at node: Node, of what: String) -> Template? {
        do {
            return try Template(text)
        } catch {
            report(node, "invalid template in \(what): \(error)")
            return nil
        }
    }

    package mutating func bool(_ node: Node, of what: String) -> Bool? {
        guard Self.tagName(node) == .bool, let value = node.bool else {
            report(node, "\(what) must be true or false, found \(Self.kindName(node))")
            return nil
        }
        return value
    }

    /// Any YAML value as a templated JSON-like value.
    package mutating func templateValue(_ node: Node, of what: String) -> TemplateValue? {
        switch node {
        case .scalar(let scalar):
            switch Self.tagName(node) {
            case .null: return .null
            case .bool: return node.bool.map(TemplateValue.bool)
            case .int, .float:
                guard let number = Self.exactNumber(node, scalar.string) else {
                    report(node, "\(what): '\(scalar.string)' is not a finite number JSON can carry (write it as a JSON number, or quote it)")
                    return nil
                }
                return .number(number)
            default:
                return parseTemplate(scalar.string, at: node, of: what).map(TemplateValue.string)
            }
        case .sequence(let sequence):
            var elements: [TemplateValue] = []
            var failed = false
            for element in sequence {
                if let value = templateValue(element, of: what) { elements.append(value) } else { failed = true }
            }
            return failed ? nil : .array(elements)
        case .mapping:
            guard let pairs = self.pairs(node, of: what) else { return nil }
            var members: [TemplateValue.Member] = []
            var failed = false
            for pair in pairs {
                if let value = templateValue(pair.value, of: what) {
                    members.append(TemplateValue.Member(key: pair.key, value: value))
                } else {
                    failed = true
                }
            }
            return failed ? nil : .object(members)
        case .alias:
            report(node, "\(what): YAML aliases are not supported")
            return nil
        }
    }

    /// The exact number a YAML integer or float scalar denotes: its own text when that is a JSON number (`42`,
    /// `-1.50`, `12345678901234567890`, `1e3`); YAML-only spellings rewritten without rounding (`+5` → `5`, `.5` →
    /// `0.5`, `5.` → `5`, `1_000` → `1000`, `0x1F` → `31`); `nil` for `.inf`, `.nan` and other values JSON cannot carry.
    package static func exactNumber(_ node: Node, _ text: String) -> JSONNumber? {
        if let number = JSONNumber(text) { return number }
        var decimal = text.replacingOccurrences(of: "_", with: "")
        if decimal.hasPrefix("+") { decimal.removeFirst() }
        var sign = ""
        if decimal.hasPrefix("-") {
            sign = "-"
            decimal.removeFirst()
        }
        if decimal.hasPrefix(".") { decimal = "0" + decimal }
        if let dot = decimal.firstIndex(of: "."), decimal[decimal.index(after: dot)...].first.map({ !$0.isNumber }) ?? true {
            decimal.remove(at: dot)
        }
        while decimal.count > 1, decimal.hasPrefix("0"), decimal.dropFirst().first?.isNumber == true { decimal.removeFirst() }
        if let number = JSONNumber(sign + decimal) { return number }
        // Hexadecimal, octal, binary or sexagesimal integers, which Yams reads exactly as an Int.
        return node.int.map { JSONNumber($0) }
    }

    /// A JSONPath scalar, with the error column mapped into the file.
    package mutating func jsonPath(_ node: Node, text: String, of what: String) -> JSONPathQuery? {
        do {
            return try JSONPathQuery(text)
        } catch {
            let quoteWidth: Int
            if case .scalar(let scalar) = node, scalar.style != .plain { quoteWidth = 1 } else { quoteWidth = 0 }
            let mark = location(node)
            report(
                line: mark.line, column: mark.column + quoteWidth + error.column - 1,
                "invalid JSONPath '\(text)' in \(what): \(error.message) (column \(error.column))")
            return nil
        }
    }
}
