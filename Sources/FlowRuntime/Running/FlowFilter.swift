import FlowCore

/// Which flows a run selects (`--tag`, `--skip-tag`, `--name`).
///
/// A flow is selected when it has at least one of ``tags`` (or ``tags`` is empty), none of ``skipTags``,
/// and its name contains one of ``names`` case-insensitively (or ``names`` is empty).
public struct FlowFilter: Sendable, Equatable {
    /// Run only flows with any of these tags.
    public var tags: [String]
    /// Never run flows with any of these tags.
    public var skipTags: [String]
    /// Run only flows whose name contains one of these (case-insensitive).
    public var names: [String]

    /// Creates a filter; the default selects every flow.
    public init(tags: [String] = [], skipTags: [String] = [], names: [String] = []) {
        self.tags = tags
        self.skipTags = skipTags
        self.names = names
    }

    /// Whether `flow` is selected.
    public func selects(_ flow: Flow) -> Bool {
        if !tags.isEmpty, !flow.tags.contains(where: tags.contains) { return false }
        if flow.tags.contains(where: skipTags.contains) { return false }
        if !names.isEmpty, !names.contains(where: { flow.name.localizedCaseInsensitiveContains($0) }) { return false }
        return true
    }

    /// Whether the filter selects everything.
    public var isEmpty: Bool { tags.isEmpty && skipTags.isEmpty && names.isEmpty }
}
