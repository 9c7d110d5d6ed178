/// A template that could not be parsed or evaluated.
public enum TemplateError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Malformed template text (e.g. `{{` without `}}`); `offset` is the 0-based character offset in the template.
    case syntax(message: String, offset: Int)
    /// A variable path whose root name is neither a variable nor a generator.
    case undefinedVariable(String)
    /// `fake.<kind>` where no generator of that kind exists (and no variable is named `fake`).
    case unknownGenerator(String)
    /// A path component that does not exist in the value (`user.missing`, `items[9]`).
    case missingMember(path: String)
    /// A call of a function that does not exist.
    case unknownFunction(String)
    /// A function called with unusable arguments.
    case invalidArgument(function: String, message: String)

    public var description: String {
        switch self {
        case .syntax(let message, let offset): return "template syntax error at character \(offset + 1): \(message)"
        case .undefinedVariable(let name): return "undefined variable '\(name)'"
        case .unknownGenerator(let name):
            return "unknown generator '\(name)' (known: \(FakeData.generatorNames.joined(separator: ", ")))"
        case .missingMember(let path): return "'\(path)' does not exist"
        case .unknownFunction(let name):
            return "unknown function '\(name)()' (known: \(TemplateFunction.allCases.map { $0.rawValue + "()" }.joined(separator: ", ")))"
        case .invalidArgument(let function, let message): return "\(function)(): \(message)"
        }
    }
}
