import Foundation

/// Where flows run: an embedded server booted in-process, or a service at a base URL.
public struct Target: Sendable {
    public enum Kind: Sendable, Equatable {
        /// Boot the service in-process (`LiveServer`), seeded from the fixtures folder (relative to the current directory).
        case embedded(fixtures: String?)
        /// A running service at this base URL.
        case remote(URL)
    }

    public var name: String
    public var kind: Kind
    /// Variables visible to every flow (lowest lookup priority).
    public var vars: [NamedTemplate]

    public init(name: String, kind: Kind, vars: [NamedTemplate] = []) {
        self.name = name
        self.kind = kind
        self.vars = vars
    }
}
