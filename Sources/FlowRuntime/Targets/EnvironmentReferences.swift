import FlowCore
import Foundation
import Yams

/// `${NAME}` references to environment variables in `targets.yaml` values (names: letters, digits, `_`, not
/// starting with a digit); `${NAME:-default}` uses `default` when `NAME` is unset or empty (as POSIX shells do; the
/// default, written in the file, is not a secret). `$${` is a literal `${`.
enum EnvironmentReferences {
    private static let pattern = try! NSRegularExpression(pattern: #"\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}"#)

    /// Whether `text` has a reference.
    static func contains(_ text: String) -> Bool {
        pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)).contains { $0.range(at: 1).location != NSNotFound }
    }

    /// `node` with every reference in its scalars replaced; each replaced value is appended to `secrets`, each
    /// unset name is passed to `missing` with the scalar it is in.
    static func expand(
        _ node: Node, environment: [String: String], secrets: inout [String], missing: (Node, String) -> Void
    ) -> Node {
        switch node {
        case .scalar(var scalar):
            guard scalar.string.contains("${") else { return node }
            let text = scalar.string
            var output = ""
            var cursor = text.startIndex
            for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                guard let whole = Range(match.range, in: text) else { continue }
                output += text[cursor..<whole.lowerBound]
                cursor = whole.upperBound
                guard let nameRange = Range(match.range(at: 1), in: text) else {
                    output += "${"
                    continue
                }
                let name = String(text[nameRange])
                let fallback = Range(match.range(at: 2), in: text).map { String(text[$0]) }
                if let value = environment[name], !(value.isEmpty && fallback != nil) {
                    output += value
                    if !value.isEmpty { secrets.append(value) }
                } else if let fallback {
                    output += fallback
                } else {
                    missing(node, name)
                }
            }
            output += text[cursor...]
            scalar.string = output
            return .scalar(scalar)
        case .mapping(let mapping):
            let pairs = mapping.map { (key: $0.key, value: expand($0.value, environment: environment, secrets: &secrets, missing: missing)) }
            return .mapping(Node.Mapping(pairs.map { ($0.key, $0.value) }, mapping.tag, mapping.style, mapping.mark))
        case .sequence(let sequence):
            let items = sequence.map { expand($0, environment: environment, secrets: &secrets, missing: missing) }
            return .sequence(Node.Sequence(items, sequence.tag, sequence.style, sequence.mark))
        case .alias:
            return node
        }
    }
}
