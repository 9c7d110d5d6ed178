/// A named, ordered API journey parsed from one flow file.
public struct Flow: Sendable {
    /// Display name (`name:`).
    public var name: String
    /// Tags for selection (`tags:`).
    public var tags: [String]
    /// Flow variables, evaluated once in file order at flow start.
    public var vars: [NamedTemplate]
    /// Steps, executed in order; never empty.
    public var steps: [Step]
    /// Where the flow file lives and how reports name it.
    public var source: FlowSource

    /// Creates a flow; see the properties.
    public init(name: String, tags: [String], vars: [NamedTemplate], steps: [Step], source: FlowSource) {
        self.name = name
        self.tags = tags
        self.vars = vars
        self.steps = steps
        self.source = source
    }
}

/// A variable definition: a name bound to a templated value.
public struct NamedTemplate: Sendable, Hashable {
    /// Variable name (letters, digits, `_`; not starting with a digit).
    public var name: String
    /// The value, templates evaluated when the variable is defined.
    public var value: TemplateValue
    /// Creates a variable definition.
    public init(name: String, value: TemplateValue) {
        self.name = name
        self.value = value
    }
}

/// A flow file's identity: its path for messages and its suite name (path relative to the flows root) for reports.
public struct FlowSource: Sendable, Hashable {
    /// Path as shown in error messages (as given on the command line, joined with the relative part).
    public var path: String
    /// Path relative to the flows root, e.g. `patient/book.yaml`; never empty.
    public var suiteName: String

    /// Creates a source; `suiteName` must not be empty.
    public init(path: String, suiteName: String) {
        self.path = path
        self.suiteName = suiteName
    }
}
