/// The intended start times of an open-model load: arrival `k` (from 0) happens when the integral of the arrival
/// rate reaches `k`. Within a stage the rate moves linearly from `r0` to `r1` over `D` seconds, so the arrivals by
/// time `t` into the stage are `r0·t + (r1 − r0)·t²/(2D)`; solving for `t` gives each start exactly, without drift.
struct ArrivalSchedule: Sequence, IteratorProtocol {
    private let stages: [(from: Double, to: Double, seconds: Double)]
    private var stageIndex = 0
    private var stageStart = 0.0
    private var arrivalsBeforeStage = 0.0
    private var arrivals = 0.0

    /// - Parameters:
    ///   - startRate: arrivals per second at the start.
    ///   - stages: rates and durations (see ``ArrivalStage``).
    init(startRate: Double, stages: [ArrivalStage]) {
        var from = startRate
        var list: [(Double, Double, Double)] = []
        for stage in stages {
            let seconds = Double(stage.duration.components.seconds) + Double(stage.duration.components.attoseconds) / 1e18
            list.append((from, stage.rate, seconds))
            from = stage.rate
        }
        self.stages = list
    }

    /// Seconds from the start of the test to the next arrival; `nil` after the last stage.
    mutating func next() -> Double? {
        while stageIndex < stages.count {
            let stage = stages[stageIndex]
            let target = arrivals - arrivalsBeforeStage  // arrivals needed within this stage
            let inStage = (stage.from + stage.to) / 2 * stage.seconds
            if target < inStage || (target == 0 && inStage > 0) {
                let slope = (stage.to - stage.from) / (2 * stage.seconds)
                // a·t² + b·t − n = 0, in the form that is stable for a = 0 and a < 0.
                let root = (stage.from * stage.from + 4 * slope * target).squareRoot()
                let t = target == 0 ? 0 : 2 * target / (stage.from + root)
                arrivals += 1
                return stageStart + t
            }
            arrivalsBeforeStage += inStage
            stageStart += stage.seconds
            stageIndex += 1
        }
        return nil
    }
}
