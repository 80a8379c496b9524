import PerfStats

/// The statistics `Comparer` uses, from `PerfStats`, on samples a report has already validated
/// (non-empty, finite).
enum StatsAdapter {
    /// The Hodges-Lehmann shift from `baseline` to `current`, relative to the baseline median;
    /// `nil` when the baseline median is not positive.
    static func relativeShift(_ baseline: [Double], _ current: [Double], baselineMedian: Double) -> Double? {
        guard baselineMedian > 0, let shift = try? Stats.hodgesLehmannShift(baseline, current) else { return nil }
        return shift / baselineMedian
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
    static func ratioInterval(_ baseline: [Double], _ current: [Double], resamples: Int, seed: UInt64) -> [Double]? {
        guard
            let interval = try? Stats.bootstrapRatioOfMedians(
                baseline: baseline,
                current: current,
                resamples: resamples,
                seed: seed
            )
        else {
            return nil
        }
        return [interval.low, interval.high]
    }
}
