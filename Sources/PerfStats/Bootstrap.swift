extension Stats {
    /// A seeded percentile-bootstrap confidence interval for `median(current) / median(baseline)`.
    ///
    /// Each of `resamples` rounds draws `baseline.count` values from `baseline` and
    /// `current.count` values from `current`, with replacement, and records the ratio of their
    /// medians. The interval is the `(1 − confidence)/2` and `(1 + confidence)/2` percentiles of
    /// those ratios (linear interpolation, as ``percentile(_:_:)``).
    ///
    /// Draws come from SplitMix64 seeded with `seed` and an explicit bounded-integer rule, so the
    /// same inputs and seed give the same interval on every run, platform and toolchain.
    ///
    /// - Parameters:
    ///   - baseline: the reference samples; every value must be > 0 so each ratio is finite.
    ///   - current: the samples to compare, finite.
    ///   - confidence: the coverage wanted, in (0, 1); default 0.95.
    ///   - resamples: bootstrap rounds, at least 1; default 2000.
    ///   - seed: the generator seed.
    /// - Returns: the interval bounds, `low ≤ high`.
    /// - Throws: ``StatsError`` for empty or non-finite samples, a baseline value ≤ 0, a confidence
    ///   outside (0, 1) or `resamples < 1`.
    public static func bootstrapRatioOfMedians(
        baseline: [Double],
        current: [Double],
        confidence: Double = 0.95,
        resamples: Int = 2000,
        seed: UInt64
    ) throws(StatsError) -> (low: Double, high: Double) {
        try validate(baseline, "baseline")
        try validate(current, "current")
        try validateConfidence(confidence)
        guard resamples >= 1 else {
            throw .invalid("resamples is \(resamples) (need at least 1; 2000 is usual)")
        }
        if let index = baseline.firstIndex(where: { $0 <= 0 }) {
            throw StatsError(
                .valueOutOfRange,
                "baseline[\(index)] is \(baseline[index]) (a ratio of medians needs every baseline value > 0)"
            )
        }
        var generator = SplitMix64(seed: seed)
        var scratchBaseline = baseline
        var scratchCurrent = current
        var ratios: [Double] = []
        ratios.reserveCapacity(resamples)
        for _ in 0..<resamples {
            let baselineMedian = resampledMedian(baseline, into: &scratchBaseline, using: &generator)
            let currentMedian = resampledMedian(current, into: &scratchCurrent, using: &generator)
            ratios.append(currentMedian / baselineMedian)
        }
        ratios.sort()
        let tail = (1 - confidence) / 2
        return (percentile(ratios, 100 * tail), percentile(ratios, 100 * (1 - tail)))
    }

    /// The median of one resample (with replacement) of `samples`, drawn into `scratch` to reuse its storage.
    private static func resampledMedian(
        _ samples: [Double],
        into scratch: inout [Double],
        using generator: inout SplitMix64
    ) -> Double {
        for i in scratch.indices {
            scratch[i] = samples[generator.next(below: samples.count)]
        }
        // Selection, not sorting: the median of each resample in linear expected time.
        let count = scratch.count
        let upper = select(&scratch, count / 2)
        if count % 2 == 1 { return upper }
        let lower = scratch[0..<(count / 2)].max() ?? upper
        return (lower + upper) / 2
    }
}
