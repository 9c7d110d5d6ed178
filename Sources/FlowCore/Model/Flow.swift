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
    /// Why the flow is not run (`skip: reason`); it is reported as skipped with this reason. `nil` runs it.
    public var skipReason: String?
    /// Actors declared by the flow (they replace target actors of the same name).
    public var actors: [ActorSpec] = []
    /// Steps run before ``steps``; a failure there skips ``steps`` (teardown still runs).
    public var setup: [Step] = []
    /// Steps that always run last, also after a failure or a timeout; they see every capture made before.
    public var teardown: [Step] = []
    /// Longest run of setup and steps (`timeout:`; default 120 s); teardown gets its own step timeouts.
    public var timeout: Duration?
    /// The matrix values this flow was expanded with (`matrix:`); empty for a flow without a matrix.
    public var matrix: [MatrixBinding] = []
    /// The cases of `matrix:` before expansion: one list of variable bindings per test case. ``expandingMatrix()``
    /// turns a flow with cases into one flow per case.
    public var matrixCases: [[NamedTemplate]] = []
    /// Every step of the flow in run order: setup, steps, teardown.
    public var allSteps: [Step] { setup + steps + teardown }

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

extension Flow {
    /// One flow per `matrix:` case — named `name [var=value, …]`, the case's values bound as the first flow
    /// variables — or the flow itself when it has no matrix.
    public func expandingMatrix() -> [Flow] {
        guard !matrixCases.isEmpty else { return [self] }
        return matrixCases.map { bindings in
            var flow = self
            flow.matrixCases = []
            flow.matrix = bindings.map { binding in
                if case .string(let template) = binding.value { return MatrixBinding(name: binding.name, value: template.source) }
                return MatrixBinding(name: binding.name, value: binding.value.displayText)
            }
            flow.name = "\(name) [\(flow.matrix.map { "\($0.name)=\($0.value)" }.joined(separator: ", "))]"
            flow.vars = bindings + vars
            return flow
        }
    }
}
