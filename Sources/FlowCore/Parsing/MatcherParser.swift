import Foundation
import Yams

extension YAMLDocumentReader {
    /// A matcher: a mapping whose keys are all predicate keywords, or any other YAML value as a literal.
    /// A mapping that mixes predicate keywords with other keys is an error.
    mutating func matcher(_ node: Node, of what: String) -> Matcher? {
        guard case .mapping = node, let pairs = self.pairs(node, of: what), !pairs.isEmpty else {
            return templateValue(node, of: what).map(Matcher.literal)
        }
        let keywords = pairs.filter { Predicate.keywords.contains($0.key) }
        if keywords.isEmpty {
            // A one-key mapping whose key is a near miss of a keyword is almost certainly a typo, not an object literal.
            if pairs.count == 1,
                let near = Predicate.keywords.first(where: { keyword in
                    EditDistance.between(pairs[0].key, keyword) <= max(1, min(2, keyword.count / 3)) && pairs[0].key.count >= 3
                })
            {
                let hint = "; did you mean '\(near)'?"
                report(
                    pairs[0].keyNode, "unknown predicate '\(pairs[0].key)' in matcher for \(what)\(hint) (to compare an object literal write {equals: {...}})")
                return nil
            }
            return templateValue(node, of: what).map(Matcher.literal)
        }
        if keywords.count != pairs.count {
            let others = pairs.filter { !Predicate.keywords.contains($0.key) }.map { "'\($0.key)'" }
            report(
                node,
                "matcher for \(what) mixes predicate keywords (\(keywords.map { "'\($0.key)'" }.joined(separator: ", "))) with other keys (\(others.joined(separator: ", "))); use {equals: {...}} to compare an object literal"
            )
            return nil
        }
        var predicates: [Predicate] = []
        var failed = false
        for pair in pairs {
            if let predicate = self.predicate(pair.key, pair.value, of: what) { predicates.append(predicate) } else { failed = true }
        }
        return failed ? nil : .predicates(predicates)
    }

    private mutating func predicate(_ keyword: String, _ node: Node, of what: String) -> Predicate? {
        let context = "'\(keyword)' of \(what)"
        switch keyword {
        case "equals": return templateValue(node, of: context).map(Predicate.equals)
        case "exists": return bool(node, of: context).map(Predicate.exists)
        case "contains": return templateValue(node, of: context).map(Predicate.contains)
        case "matches":
            guard let template = template(node, of: context) else { return nil }
            if template.isLiteral {
                do {
                    _ = try NSRegularExpression(pattern: template.source)
                } catch {
                    report(node, "invalid regular expression in \(context): '\(template.source)'")
                    return nil
                }
            }
            return .matches(template)
        case "type":
            guard case .scalar(let scalar) = node, let type = Predicate.ValueType(rawValue: scalar.string) else {
                report(node, "\(context) must be one of \(Predicate.ValueType.allCases.map(\.rawValue).joined(separator: ", "))")
                return nil
            }
            return .type(type)
        case "length": return matcher(node, of: context).map(Predicate.length)
        case "not": return matcher(node, of: context).map(Predicate.not)
        case "gt", "gte", "lt", "lte":
            guard let op = Predicate.ComparisonOperator(rawValue: keyword), let value = templateValue(node, of: context) else {
                return nil
            }
            return .compare(op, value)
        default:
            guard case .sequence(let sequence) = node else {
                report(node, "\(context) must be a list, found \(Self.kindName(node))")
                return nil
            }
            var options: [TemplateValue] = []
            for element in sequence {
                guard let value = templateValue(element, of: context) else { return nil }
                options.append(value)
            }
            return .oneOf(options)
        }
    }
}
