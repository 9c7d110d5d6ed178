/// The coverage gate's outcome: every module of `Sources/` checked against its line-coverage threshold, and the total.
public struct CoverageReport: Sendable, Hashable {
    /// How a row is gated.
    public enum Gate: Sendable, Hashable {
        /// Line coverage must be at least this many percent.
        case minimum(Double)
        /// Listed under `exclude:`: reported, never gated, left out of the total.
        case excluded
        /// No threshold: reported only.
        case ungated
    }

    /// One module (or the total) with its gate and result.
    public struct Row: Sendable, Hashable {
        /// The module's counts (for the total: sums over the modules that are not excluded).
        public var coverage: ModuleCoverage
        /// How the row is gated.
        public var gate: Gate
        /// `false` only when gated by a minimum and either the line coverage is below it or the data has no file of the module.
        public var passed: Bool

        /// Creates a row, deciding ``passed`` from the gate.
        public init(coverage: ModuleCoverage, gate: Gate) {
            self.coverage = coverage
            self.gate = gate
            if case .minimum(let minimum) = gate {
                passed = coverage.fileCount > 0 && coverage.lines.percent >= minimum
            } else {
                passed = true
            }
        }

        /// The minimum line coverage, when gated by one.
        public var threshold: Double? {
            if case .minimum(let minimum) = gate { return minimum }
            return nil
        }

        /// `FlowRuntime 75.20% < 80%`, or `FlowRuntime has no coverage data` (only meaningful when not ``passed``).
        public var shortfall: String {
            guard coverage.fileCount > 0 else { return "\(coverage.name) has no coverage data" }
            return "\(coverage.name) \(CoverageText.percent(coverage.lines.percent)) < \(CoverageText.threshold(threshold ?? 0))"
        }
    }

    /// The name of the total row.
    public static let totalName = "total"

    /// One row per module, sorted by name: the modules of the data (and of the folder) plus any module the
    /// thresholds name that the data lacks (which fails when gated).
    public var modules: [Row]
    /// The total over every module that is not excluded, gated by the thresholds' `total`.
    public var total: Row

    /// Checks `modules` against `thresholds`.
    public init(modules: [ModuleCoverage], thresholds: CoverageThresholds) {
        var byName: [String: ModuleCoverage] = [:]
        for module in modules { byName[module.name] = module }
        for name in Array(thresholds.modules.keys) + Array(thresholds.excluded) where byName[name] == nil {
            byName[name] = ModuleCoverage(name: name)
        }
        self.modules = byName.values.sorted { $0.name < $1.name }.map { module in
            if thresholds.excluded.contains(module.name) { return Row(coverage: module, gate: .excluded) }
            return Row(coverage: module, gate: thresholds.modules[module.name].map(Gate.minimum) ?? .ungated)
        }
        var sum = ModuleCoverage(name: Self.totalName)
        for row in self.modules where row.gate != .excluded { sum.add(row.coverage) }
        total = Row(coverage: sum, gate: thresholds.total.map(Gate.minimum) ?? .ungated)
    }

    /// The rows that failed, modules first, then the total.
    public var failures: [Row] { (modules + [total]).filter { !$0.passed } }

    /// Whether every gated module and the total meet their thresholds.
    public var passed: Bool { failures.isEmpty }

    /// One line stating the result:
    /// `PASS: line coverage meets every threshold (4 modules and the total)`,
    /// `FAIL: line coverage below threshold: FlowRuntime 75.20% < 80%, total 78.00% < 80%`,
    /// or `PASS: no thresholds, nothing gated`.
    public var verdict: String {
        if !passed {
            return "FAIL: line coverage below threshold: " + failures.map(\.shortfall).joined(separator: ", ")
        }
        let gatedModules = modules.filter { $0.threshold != nil }.count
        var gated: [String] = []
        if gatedModules > 0 { gated.append("\(gatedModules) module\(gatedModules == 1 ? "" : "s")") }
        if total.threshold != nil { gated.append("the total") }
        if gated.isEmpty { return "PASS: no thresholds, nothing gated" }
        return "PASS: line coverage meets every threshold (\(gated.joined(separator: " and ")))"
    }
}
