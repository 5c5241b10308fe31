/// The arithmetic of latency reports: percentiles, mean and queries per second.
///
/// Percentiles use the **nearest-rank** definition: the p-th percentile of n values sorted in
/// ascending order is the value at 1-based rank ⌈p·n/100⌉ (rank 1 for p = 0). It is always one of
/// the measured values, never an interpolation between two, so "p99 = 812 µs" means a search that
/// really took 812 µs. For the five values 15, 20, 35, 40, 50: p30 = 20 (rank ⌈1.5⌉ = 2),
/// p40 = 20 (rank 2), p50 = 35 (rank ⌈2.5⌉ = 3), p100 = 50.
public enum LatencyStatistics {
    /// The nearest-rank `percentile` (0...100) of `sorted`, which must be in ascending order; nil when
    /// it is empty.
    public static func percentile(_ sorted: [Double], _ percentile: Double) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let rank = Int((min(max(percentile, 0), 100) * Double(sorted.count) / 100).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }

    /// The arithmetic mean of `values`; nil when there are none.
    public static func mean(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        return values.reduce(0, +) / Double(values.count)
    }

    /// Searches per second of one thread that spends `meanMicroseconds` per search: 10^6 / mean.
    /// Zero when the mean is not positive.
    public static func queriesPerSecond(meanMicroseconds: Double) -> Double {
        meanMicroseconds > 0 ? 1e6 / meanMicroseconds : 0
    }
}

/// The summary of a set of latencies, in microseconds.
public struct LatencySummary: Sendable, Equatable {
    /// How many latencies were summarized.
    public var count: Int
    /// Nearest-rank percentiles (see ``LatencyStatistics``).
    public var p50: Double
    public var p95: Double
    public var p99: Double
    /// The largest latency.
    public var max: Double
    public var mean: Double
    /// 10^6 / ``mean``: what one thread running these searches back to back would sustain.
    public var queriesPerSecond: Double

    /// Summarizes `microseconds` (in any order); all figures are 0 when it is empty.
    public init(microseconds: [Double]) {
        let sorted = microseconds.sorted()
        count = sorted.count
        p50 = LatencyStatistics.percentile(sorted, 50) ?? 0
        p95 = LatencyStatistics.percentile(sorted, 95) ?? 0
        p99 = LatencyStatistics.percentile(sorted, 99) ?? 0
        max = sorted.last ?? 0
        mean = LatencyStatistics.mean(sorted) ?? 0
        queriesPerSecond = LatencyStatistics.queriesPerSecond(meanMicroseconds: mean)
    }
}
