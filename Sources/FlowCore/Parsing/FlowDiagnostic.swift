/// One problem found in a flow or targets file, reported as `FILE:LINE:COL: message`.
public struct FlowDiagnostic: Error, Sendable, Hashable, CustomStringConvertible {
    /// Where the problem is.
    public var location: SourceLocation
    /// What is wrong, naming the offending key or value.
    public var message: String
    /// For a use of something no one defines: the variable or actor (a target could define it).
    public var undefinedName: UndefinedName?

    /// A variable or an actor that a flow uses and nothing defines.
    public enum UndefinedName: Sendable, Hashable {
        case variable(String)
        case actor(String)
    }

    /// Creates a diagnostic.
    public init(location: SourceLocation, message: String, undefinedName: UndefinedName? = nil) {
        self.location = location
        self.message = message
        self.undefinedName = undefinedName
    }

    /// `FILE:LINE:COL: message`, or `FILE: message` when the problem has no line (line 0, e.g. unreadable file).
    public var description: String {
        location.line > 0 ? "\(location): \(message)" : "\(location.file): \(message)"
    }
}

/// Every problem found while loading flow files; when thrown, nothing should run.
public struct FlowLoadError: Error, Sendable, CustomStringConvertible {
    /// Problems in file order, then position order.
    public var diagnostics: [FlowDiagnostic]

    /// Creates the error from its diagnostics.
    public init(diagnostics: [FlowDiagnostic]) { self.diagnostics = diagnostics }

    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
