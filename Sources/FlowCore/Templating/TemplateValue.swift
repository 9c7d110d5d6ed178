/// A YAML value whose strings are templates: request `json` bodies, matcher literals, variables.
/// Evaluating it yields a ``JSONValue`` with every template evaluated (a sole placeholder keeps its type).
public indirect enum TemplateValue: Sendable, Hashable {
    /// A member of an object, in file order.
    public struct Member: Sendable, Hashable {
        /// Member name (taken literally, not templated).
        public var key: String
        /// Member value.
        public var value: TemplateValue
        /// Creates a member.
        public init(key: String, value: TemplateValue) {
            self.key = key
            self.value = value
        }
    }

    /// YAML `null` / `~`.
    case null
    /// A YAML boolean.
    case bool(Bool)
    /// A YAML integer or float, exactly as written (see ``JSONNumber``).
    case number(JSONNumber)
    /// Any other scalar, as a template.
    case string(Template)
    /// A YAML sequence.
    case array([TemplateValue])
    /// A YAML mapping, members in file order (keys are not templated).
    case object([Member])

    /// Evaluates every template in the tree.
    /// - Throws: ``TemplateError`` for the first template that fails.
    public func evaluate(in scope: TemplateScope) throws(TemplateError) -> JSONValue {
        switch self {
        case .null: return .null
        case .bool(let value): return .bool(value)
        case .number(let value): return .number(value)
        case .string(let template): return try template.evaluate(in: scope)
        case .array(let elements):
            var values: [JSONValue] = []
            for element in elements { values.append(try element.evaluate(in: scope)) }
            return .array(values)
        case .object(let members):
            var values: [String: JSONValue] = [:]
            for member in members { values[member.key] = try member.value.evaluate(in: scope) }
            return .object(values)
        }
    }

    /// A readable rendering of the unevaluated value (templates shown as written), for reports.
    public var displayText: String {
        switch self {
        case .null: return "null"
        case .bool(let value): return value ? "true" : "false"
        case .number(let value): return value.text
        case .string(let template): return JSONValue.string(template.source).compactJSON
        case .array(let elements): return "[" + elements.map(\.displayText).joined(separator: ",") + "]"
        case .object(let members):
            return "{" + members.map { JSONValue.string($0.key).compactJSON + ":" + $0.value.displayText }.joined(separator: ",") + "}"
        }
    }
}
