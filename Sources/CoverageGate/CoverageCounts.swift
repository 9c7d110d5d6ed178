/// One coverage measure (lines, functions or regions) of a file, module or total, as llvm-cov counts it.
public struct CoverageCounts: Sendable, Hashable {
    /// How many lines (functions, regions) are instrumented.
    public var count: Int
    /// How many of them ran at least once (`0...count`).
    public var covered: Int

    /// Creates counts.
    public init(count: Int, covered: Int) {
        self.count = count
        self.covered = covered
    }

    /// No lines (functions, regions) at all.
    public static let zero = CoverageCounts(count: 0, covered: 0)

    /// `covered / count * 100` in percent (`0...100`); 100 when `count` is 0 (nothing to cover).
    ///
    /// Computed as `covered * 100 / count` so that a value that is exactly a threshold (`4` of `5` is `80`)
    /// compares equal to it.
    public var percent: Double {
        count == 0 ? 100 : Double(covered) * 100 / Double(count)
    }

    /// The sum of two counts (for files of a module, modules of a total).
    public static func + (left: CoverageCounts, right: CoverageCounts) -> CoverageCounts {
        CoverageCounts(count: left.count + right.count, covered: left.covered + right.covered)
    }
}
