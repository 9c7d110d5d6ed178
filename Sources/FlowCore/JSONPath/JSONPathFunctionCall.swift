/// A call of one of the RFC 9535 function extensions (§2.4) in a filter expression.
public struct JSONPathFunctionCall: Sendable, Hashable {
    /// The functions of RFC 9535 §2.4.4–2.4.8 with their type signatures.
    public enum Name: String, Sendable, Hashable, CaseIterable {
        /// `length(ValueType) -> ValueType`: characters (Unicode scalars) of a string, elements of an array,
        /// members of an object; "Nothing" for anything else.
        case length
        /// `count(NodesType) -> ValueType`: how many nodes the argument selects.
        case count
        /// `match(ValueType, ValueType) -> LogicalType`: the string matches the I-Regexp (RFC 9485) as a whole.
        case match
        /// `search(ValueType, ValueType) -> LogicalType`: some substring of the string matches the I-Regexp.
        case search
        /// `value(NodesType) -> ValueType`: the value of the only node, or "Nothing" unless there is exactly one.
        case value

        /// The declared parameter types, in order.
        public var parameterTypes: [JSONPathFunctionType] {
            switch self {
            case .length: return [.value]
            case .count, .value: return [.nodes]
            case .match, .search: return [.value, .value]
            }
        }

        /// The declared result type.
        public var resultType: JSONPathFunctionType {
            switch self {
            case .length, .count, .value: return .value
            case .match, .search: return .logical
            }
        }
    }

    /// Which function is called.
    public var name: Name
    /// Arguments in order; their number and types were checked against ``Name/parameterTypes`` when parsing.
    public var arguments: [JSONPathFunctionArgument]

    /// Creates a call; see the properties.
    public init(name: Name, arguments: [JSONPathFunctionArgument]) {
        self.name = name
        self.arguments = arguments
    }
}

/// The types of function parameters and results (RFC 9535 §2.4.1).
public enum JSONPathFunctionType: String, Sendable, Hashable {
    /// A JSON value or "Nothing" (`ValueType`).
    case value = "ValueType"
    /// `LogicalTrue` or `LogicalFalse` (`LogicalType`).
    case logical = "LogicalType"
    /// A node list (`NodesType`).
    case nodes = "NodesType"
}

/// An argument of a function call (RFC 9535 §2.4.3), interpreted by the declared type of its parameter.
public indirect enum JSONPathFunctionArgument: Sendable, Hashable {
    /// A literal, for a `ValueType` parameter.
    case literal(JSONValue)
    /// A query: its node list for a `NodesType` parameter, its one value (or "Nothing") for a `ValueType`
    /// parameter (singular queries only), whether it selects anything for a `LogicalType` parameter.
    case query(JSONPathEmbeddedQuery)
    /// A nested function call, whose result type fits the parameter.
    case function(JSONPathFunctionCall)
    /// A logical expression (comparison, `&&`, `||`, `!`, parentheses), for a `LogicalType` parameter.
    case logical(JSONPathFilter)
}
