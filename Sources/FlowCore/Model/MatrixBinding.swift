/// One variable of a `matrix:` expansion and the value a test case took (compact JSON for non-strings).
public struct MatrixBinding: Sendable, Hashable {
    /// Variable name.
    public var name: String
    /// The value as text.
    public var value: String
    /// Creates a matrix binding.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}
