/// A bad start-up setting: which variable (or flag), the offending value and what is expected.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    public var variable: String
    public var value: String?
    public var problem: String

    public init(variable: String, value: String?, problem: String) {
        self.variable = variable
        self.value = value
        self.problem = problem
    }

    public var description: String {
        if let value { return "invalid \(variable)=\(value): \(problem)" }
        return "invalid \(variable): \(problem)"
    }
}
