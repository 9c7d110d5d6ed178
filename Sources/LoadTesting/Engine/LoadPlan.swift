import FlowCore
import FlowRuntime

/// A flow of the mix, resolved: the flow, its weight and how often its setup runs.
public struct PlannedFlow: Sendable {
    public var flow: Flow
    /// The choice's weight; a matrix file's weight is shared by its cases (3 cases of weight 3 are picked 1 each).
    public var weight: Double
    public var setup: SetupMode

    public init(flow: Flow, weight: Double, setup: SetupMode) {
        self.flow = flow
        self.weight = weight
        self.setup = setup
    }

    /// Resolves the scenario's choices against the loaded flows: a selector matches a flow's file by path suffix
    /// (`patient/book-paid-consultation.yaml`) or its exact name; a file with several flows (a matrix) adds each, the
    /// choice's weight shared between them so the file as a whole keeps the weight the scenario gave it.
    /// - Returns: the planned flows, or the selectors that matched nothing.
    public static func resolve(_ scenario: LoadScenario, in flows: [Flow]) -> Result<[PlannedFlow], UnknownFlows> {
        var planned: [PlannedFlow] = []
        var unknown: [String] = []
        for choice in scenario.flows {
            let matches = flows.filter { flow in
                flow.name == choice.selector || flow.source.path == choice.selector || flow.source.path.hasSuffix("/" + choice.selector)
            }
            if matches.isEmpty { unknown.append(choice.selector) }
            for flow in matches {
                var mode = choice.setup ?? scenario.setup
                if flow.setup.isEmpty && flow.teardown.isEmpty { mode = .perTest }
                planned.append(PlannedFlow(flow: flow, weight: Double(choice.weight) / Double(matches.count), setup: mode))
            }
        }
        return unknown.isEmpty ? .success(planned) : .failure(UnknownFlows(selectors: unknown))
    }

    /// Selectors of a scenario that name no loaded flow.
    public struct UnknownFlows: Error, Sendable, CustomStringConvertible {
        public var selectors: [String]
        public var description: String {
            "no flow matches \(selectors.map { "'\($0)'" }.joined(separator: ", ")) (give a file under the flow folder, e.g. patient/find-doctors-and-clinics.yaml, or a flow's name)"
        }
    }
}

/// Picks flows by weight with a seeded generator (SplitMix64), so a seed reproduces the mix.
struct WeightedPicker: Sendable {
    private let cumulative: [Double]
    private var state: UInt64

    init(weights: [Double], seed: UInt64) {
        var total = 0.0
        cumulative = weights.map {
            total += $0
            return total
        }
        state = seed
    }

    /// The index of the next flow.
    mutating func next() -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        let draw = Double(z >> 11) / Double(1 << 53) * (cumulative.last ?? 1)
        return cumulative.firstIndex { draw < $0 } ?? 0
    }
}
