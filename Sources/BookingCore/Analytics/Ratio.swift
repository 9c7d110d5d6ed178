/// Ratios as the analytics endpoints report them (API.md "Analytics", "Waitlists").
public enum Ratio {
    /// `part / whole` rounded to `places` decimals; `0` when `whole` is zero (nothing to compare against).
    /// - Parameters:
    ///   - part: the counted subset, ≥ 0.
    ///   - whole: the population, ≥ 0.
    ///   - places: decimals kept, 4 by default.
    public static func of(_ part: Int, _ whole: Int, places: Int = 4) -> Double {
        guard whole > 0 else { return 0 }
        return rounded(Double(part) / Double(whole), places: places)
    }

    /// `value` rounded half away from zero to `places` decimals.
    public static func rounded(_ value: Double, places: Int = 4) -> Double {
        var scale = 1.0
        for _ in 0..<max(places, 0) { scale *= 10 }
        return (value * scale).rounded() / scale
    }
}
