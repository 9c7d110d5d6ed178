import Foundation

/// The environment variables a configuration section reads, with the checks every section shares: blank values
/// count as unset, whole numbers must lie in a range. Each failure is a ``ConfigurationError`` naming the variable.
public struct ConfigurationVariables: Sendable {
    /// The raw variables (usually the process environment).
    public let raw: [String: String]
    /// The deployment environment the values are checked for (`ILLAJWALA_ENV`).
    public let environment: ServerConfiguration.Environment

    /// Whether the values are checked for production (stricter rules, no development defaults).
    public var production: Bool { environment == .production }

    /// Wraps `raw`, checked for `environment`.
    public init(_ raw: [String: String], environment: ServerConfiguration.Environment) {
        self.raw = raw
        self.environment = environment
    }

    /// The trimmed value of `name`, or `nil` when it is unset or blank.
    public func value(_ name: String) -> String? {
        guard let value = raw[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        return value
    }

    /// The whole number `name` holds, `fallback` when unset.
    /// - Throws: ``ConfigurationError`` when the value is not a whole number within `range`.
    public func integer(_ name: String, default fallback: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text = value(name) else { return fallback }
        guard let number = Int(text), range.contains(number) else {
            throw ConfigurationError(variable: name, value: text, problem: "expected a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    /// `integer(name, …)` seconds as a duration.
    /// - Throws: ``ConfigurationError`` as ``integer(_:default:range:)``.
    public func seconds(_ name: String, default fallback: Int, range: ClosedRange<Int>) throws -> Duration {
        .seconds(try integer(name, default: fallback, range: range))
    }
}

/// One section of ``ServerConfiguration``: it reads and validates its own variables and says which they are, so
/// that the list of every variable the service reads is derived from the sections.
public protocol ConfigurationSection: Sendable {
    /// The environment variables this section reads.
    static var variableNames: [String] { get }

    /// Reads the section.
    /// - Throws: ``ConfigurationError`` naming the first bad variable.
    init(_ variables: ConfigurationVariables) throws
}
