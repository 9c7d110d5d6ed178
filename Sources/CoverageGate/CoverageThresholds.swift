/// Minimum line coverage per module and for the total, from `coverage-thresholds.yaml`
/// (see ``CoverageThresholdsParser`` for the file format).
public struct CoverageThresholds: Sendable, Hashable {
    /// Minimum line coverage of the total over every module that is not excluded, in percent (`0...100`);
    /// `nil`: the total is not gated.
    public var total: Double?
    /// Minimum line coverage per module name, in percent (`0...100`). Modules not listed are reported but not gated.
    public var modules: [String: Double]
    /// Modules reported but never gated and left out of the total (executables, which the test binary does not link).
    public var excluded: Set<String>

    /// Creates thresholds (by default none: everything is reported, nothing gated).
    public init(total: Double? = nil, modules: [String: Double] = [:], excluded: Set<String> = []) {
        self.total = total
        self.modules = modules
        self.excluded = excluded
    }

    /// No thresholds at all.
    public static let empty = CoverageThresholds()
}
