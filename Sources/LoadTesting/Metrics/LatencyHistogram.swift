import Histogram

/// Latencies in an HDR histogram (HdrHistogram's algorithm: constant relative precision, here three significant
/// digits, from 1 µs to 1 hour), so that p99.9 and max are exact to 0.1 % however many values are recorded.
struct LatencyHistogram: Sendable {
    private(set) var histogram: Histogram<UInt64>

    /// Longest latency recorded exactly (longer ones are recorded as this), microseconds.
    static let highestMicroseconds: UInt64 = 3_600_000_000

    init(significantDigits: SignificantDigits = .three) {
        histogram = Histogram(lowestDiscernibleValue: 1, highestTrackableValue: Self.highestMicroseconds, numberOfSignificantValueDigits: significantDigits)
    }

    /// Records one latency.
    mutating func record(_ duration: Duration) {
        let microseconds = max(1, min(Self.highestMicroseconds, UInt64(max(0, duration.microseconds))))
        _ = histogram.record(microseconds)
    }

    /// Adds every value of `other`.
    mutating func add(_ other: LatencyHistogram) { histogram.add(other.histogram) }

    var count: UInt64 { histogram.totalCount }

    /// The latency at `percentile` (0–100), seconds; 0 when empty.
    func seconds(atPercentile percentile: Double) -> Double {
        count == 0 ? 0 : Double(histogram.valueAtPercentile(percentile)) / 1e6
    }

    /// The largest latency, seconds.
    var maxSeconds: Double { count == 0 ? 0 : Double(histogram.max) / 1e6 }
    /// The smallest latency, seconds.
    var minSeconds: Double { count == 0 ? 0 : Double(histogram.min) / 1e6 }
    /// The mean latency, seconds.
    var meanSeconds: Double { count == 0 ? 0 : histogram.mean / 1e6 }

    /// The summary the reports print.
    var statistics: LatencyStatistics {
        // Milliseconds to the microsecond the histogram records (no binary-fraction noise in the reports).
        func ms(_ seconds: Double) -> Double { (seconds * 1_000_000).rounded() / 1000 }
        return LatencyStatistics(
            count: Int(count), min: ms(minSeconds), mean: ms(meanSeconds), p50: ms(seconds(atPercentile: 50)),
            p90: ms(seconds(atPercentile: 90)), p95: ms(seconds(atPercentile: 95)), p99: ms(seconds(atPercentile: 99)),
            p999: ms(seconds(atPercentile: 99.9)), max: ms(maxSeconds))
    }

    /// Latency at each percentile of the HDR percentile spectrum (0, 50, 75, 87.5 … up to 99.999 or the last value),
    /// milliseconds, for the percentile-distribution chart.
    var distribution: [PercentilePoint] {
        guard count > 0 else { return [] }
        var points: [PercentilePoint] = []
        var remaining = 100.0
        var percentile = 0.0
        while percentile <= 99.9999 {
            points.append(PercentilePoint(percentile: percentile, milliseconds: (seconds(atPercentile: percentile) * 1_000_000).rounded() / 1000))
            remaining /= 2
            percentile = 100 - remaining
            if Double(count) * remaining / 100 < 0.5 { break }
        }
        points.append(PercentilePoint(percentile: 100, milliseconds: (maxSeconds * 1_000_000).rounded() / 1000))
        return points
    }
}

extension Duration {
    /// Whole microseconds.
    var microseconds: Int64 { components.seconds * 1_000_000 + components.attoseconds / 1_000_000_000_000 }
}

/// Latency figures of one population of requests or journeys, milliseconds.
public struct LatencyStatistics: Sendable, Codable, Equatable {
    public var count: Int
    public var min: Double
    public var mean: Double
    public var p50: Double
    public var p90: Double
    public var p95: Double
    public var p99: Double
    public var p999: Double
    public var max: Double
}

/// One point of a percentile distribution: the latency (ms) at or below which `percentile` % of values lie.
public struct PercentilePoint: Sendable, Codable, Equatable {
    public var percentile: Double
    public var milliseconds: Double
}
