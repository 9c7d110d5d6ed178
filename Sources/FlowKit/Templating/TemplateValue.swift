/// A YAML value whose strings are templates: request `json` bodies, matcher literals, variables.
/// Evaluating it yields a ``JSONValue`` with every template evaluated (a sole placeholder keeps its type).
public indirect enum TemplateValue: Sendable, Hashable {
    /// A member of an object, in file order.
    public struct Member: Sendable, Hashable {
        public var key: String
        public var value: TemplateValue
        public init(key: String, value: TemplateValue) {
            self.key = key
            self.value = value
        }
    }

    case null
    case bool(Bool)
    case number(Double)
    case string(Template)
    case array([TemplateValue])
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
        case .number(let value): return JSONValue.format(number: value)
        case .string(let template): return JSONValue.string(template.source).compactJSON
        case .array(let elements): return "[" + elements.map(\.displayText).joined(separator: ",") + "]"
        case .object(let members):
            return "{" + members.map { JSONValue.string($0.key).compactJSON + ":" + $0.value.displayText }.joined(separator: ",") + "}"
        }
    }
}
