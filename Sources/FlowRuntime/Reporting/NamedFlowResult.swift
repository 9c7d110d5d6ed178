/// A flow result with the suite and case name every report shows for it (see ``ReportCaseNames``).
public struct NamedFlowResult: Sendable {
    /// The suite: the flow file's suite name, or its path when two files share a suite name (JUnit `classname`).
    public var suite: String
    /// The case name: the flow name with its matrix values, unique within the suite (JUnit `testcase name`).
    public var name: String
    /// The result itself.
    public var result: FlowResult

    /// Creates a named result.
    public init(suite: String, name: String, result: FlowResult) {
        self.suite = suite
        self.name = name
        self.result = result
    }
}
