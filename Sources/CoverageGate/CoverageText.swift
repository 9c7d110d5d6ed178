import FlowCore
import Foundation

/// Locale-independent number formatting for coverage reports.
public enum CoverageText {
    /// A percentage with two decimals and a `%` sign, rounded like `llvm-cov report` (`83.33%`, `100.00%`).
    public static func percent(_ value: Double) -> String {
        String(format: "%.2f%%", value)
    }

    /// A threshold as written in the thresholds file, with a `%` sign: `80%`, `72.5%`.
    public static func threshold(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return "\(Int64(value))%" }
        return "\(value)%"
    }

    /// `covered/count`, e.g. `1234/1300`.
    public static func fraction(_ counts: CoverageCounts) -> String {
        "\(counts.covered)/\(counts.count)"
    }
}
