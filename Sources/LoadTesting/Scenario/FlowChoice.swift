/// A flow in the load mix and how often it is picked.
public struct FlowChoice: Sendable, Equatable {
    /// The flow's file (relative to the flow folder, or a path suffix such as `patient/book-paid-consultation.yaml`)
    /// or its exact name.
    public var selector: String
    /// Relative weight in the mix (1–1000): a flow of weight 3 is picked three times as often as one of weight 1.
    public var weight: Int
    /// How often its setup runs; `nil` takes the scenario's.
    public var setup: SetupMode?

    /// Creates a choice; see the properties.
    public init(selector: String, weight: Int = 1, setup: SetupMode? = nil) {
        self.selector = selector
        self.weight = weight
        self.setup = setup
    }
}
