/// The outcome of checking one expectation against a response.
public struct AssertionResult: Sendable, Hashable {
    /// What was checked: `status`, `header content-type`, a JSONPath such as `$.data.status`, or `body`.
    public var subject: String
    /// The expectation in readable form, e.g. `"confirmed"` or `length gte 1`.
    public var expected: String
    /// The actual value as compact JSON, or `(absent)`.
    public var actual: String
    /// Whether the expectation held.
    public var passed: Bool
    /// For a failed comparison of two objects or arrays: the differences, one per line (see ``JSONDiff``).
    public var diff: String?

    /// Creates a result; see the properties for the meaning of each field.
    public init(subject: String, expected: String, actual: String, passed: Bool, diff: String? = nil) {
        self.diff = diff
        self.subject = subject
        self.expected = expected
        self.actual = actual
        self.passed = passed
    }
}
