/// What a load test runs: which flows in which mix, how iterations arrive, its bounds and the thresholds that gate.
/// Read from a scenario file (``LoadScenarioParser``) and/or built from command-line flags.
public struct LoadScenario: Sendable, Equatable {
    /// The mix: flows and their weights.
    public var flows: [FlowChoice]
    /// How iterations arrive.
    public var model: LoadModel
    /// How often a flow's setup runs unless its ``FlowChoice/setup`` says.
    public var setup: SetupMode
    /// Most HTTP requests the test sends (logins included); the test stops starting iterations once reached.
    public var maxRequests: Int
    /// Most iterations in flight at once (open model): an arrival beyond it waits for a free place, and its latency
    /// still counts from its intended start, so the wait is measured rather than hidden.
    public var maxInFlight: Int
    /// The service-level objectives that gate (exit 1 when one breaks).
    public var thresholds: [Threshold]
    /// Seed of the flow picker, for a reproducible mix; `nil` picks a random seed (printed in the report).
    public var seed: UInt64?

    /// Hard bounds: no load test runs longer than an hour or sends more than a million requests.
    public static let longestDuration: Duration = .seconds(3600)
    public static let mostRequests = 1_000_000
    public static let defaultMaxRequests = 100_000
    public static let defaultMaxInFlight = 256

    /// Creates a scenario; see the properties.
    public init(
        flows: [FlowChoice], model: LoadModel, setup: SetupMode = .perTest, maxRequests: Int = LoadScenario.defaultMaxRequests,
        maxInFlight: Int = LoadScenario.defaultMaxInFlight, thresholds: [Threshold] = [], seed: UInt64? = nil
    ) {
        self.flows = flows
        self.model = model
        self.setup = setup
        self.maxRequests = maxRequests
        self.maxInFlight = maxInFlight
        self.thresholds = thresholds
        self.seed = seed
    }

    /// The problems that make the scenario unusable (empty when it is fine), each naming the setting.
    public var problems: [String] {
        var problems: [String] = []
        if flows.isEmpty { problems.append("flows: name at least one flow") }
        for choice in flows where !(1...1000).contains(choice.weight) {
            problems.append("flows: weight of '\(choice.selector)' must be 1 to 1000, not \(choice.weight)")
        }
        switch model {
        case .open(let start, let stages):
            if stages.isEmpty { problems.append("arrival: give a rate and a duration, or stages") }
            for rate in [start] + stages.map(\.rate) where !(0...10_000).contains(rate) || !rate.isFinite {
                problems.append("arrival: rate must be 0 to 10000 per second, not \(rate)")
            }
            if stages.contains(where: { $0.duration <= .zero }) { problems.append("arrival: every stage needs a positive duration") }
            if !stages.isEmpty, ([start] + stages.map(\.rate)).allSatisfy({ $0 == 0 }) {
                problems.append("arrival: every rate is 0, nothing would run")
            }
        case .closed(let users, _, let duration):
            if !(1...1000).contains(users) { problems.append("users: must be 1 to 1000, not \(users)") }
            if duration <= .zero { problems.append("duration: must be positive") }
        }
        if model.duration > Self.longestDuration { problems.append("duration: at most 1 hour (\(DurationText.short(model.duration)) asked)") }
        if !(1...Self.mostRequests).contains(maxRequests) { problems.append("maxRequests: must be 1 to \(Self.mostRequests), not \(maxRequests)") }
        if !(1...10_000).contains(maxInFlight) { problems.append("maxInFlight: must be 1 to 10000, not \(maxInFlight)") }
        return problems
    }
}
