import PerfStats

/// The statistics `Comparer` uses, from `PerfStats`, on samples a report has already validated
/// (non-empty, finite).
enum StatsAdapter {
    static func summary(_ samples: [Double]) -> SampleSummary {
        guard let summary = try? Stats.summarize(samples) else {
            return SampleSummary(count: samples.count, mean: .nan, median: .nan, standardDeviation: .nan, min: .nan, max: .nan, p95: .nan, p99: .nan)
        }
        return SampleSummary(
            count: summary.count, mean: summary.mean, median: summary.median, standardDeviation: summary.standardDeviation,
            min: summary.min, max: summary.max, p95: summary.p95, p99: summary.p99)
    }

    static func minimumPValue(_ n1: Int, _ n2: Int) -> Double {
        Stats.minimumPValue(n1: n1, n2: n2)
    }

    /// The two-sided test; a failure (which validated samples cannot cause) reads as "not significant".
    static func mannWhitney(_ baseline: [Double], _ current: [Double]) -> (pValue: Double, method: String) {
        guard let result = try? Stats.mannWhitneyU(baseline, current) else { return (1, "failed") }
        return (result.pValue, result.method.rawValue)
    }

    /// The seeded 95% bootstrap interval of the ratio of medians, when it is defined (positive baseline).
    static func ratioInterval(_ baseline: [Double], _ current: [Double], seed: UInt64) -> [Double]? {
        guard let interval = try? Stats.bootstrapRatioOfMedians(baseline: baseline, current: current, seed: seed) else {
            return nil
        }
        return [interval.low, interval.high]
    }
}
