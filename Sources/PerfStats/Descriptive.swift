/// Pure statistics for benchmark samples: values in, values out, no I/O and no clocks.
///
/// Every function validates its input and throws ``StatsError`` for empty sample sets and for NaN
/// or infinite values, so callers never get a silent NaN.
public enum Stats {}

/// Descriptive statistics of one sample set.
///
/// Percentiles use linear interpolation between closest ranks, exactly like numpy's default
/// `numpy.percentile(a, q, method="linear")`; see ``Stats/percentile(_:_:)``.
public struct Summary: Sendable, Hashable, Codable {
    /// Number of samples.
    public var count: Int
    /// Arithmetic mean.
    public var mean: Double
    /// Median: the middle value, or the mean of the two middle values for an even count (as `numpy.median`).
    public var median: Double
    /// Sample standard deviation (divisor n − 1, numpy `ddof=1`); 0 when there is a single sample.
    public var standardDeviation: Double
    /// Smallest sample.
    public var min: Double
    /// Largest sample.
    public var max: Double
    /// Median absolute deviation, raw: `median(|xᵢ − median|)`, not scaled to estimate σ.
    ///
    /// Multiply by 1.4826 (``madScaled``) to compare it with a standard deviation of normal data.
    public var mad: Double
    /// 50th percentile (equal to ``median`` up to rounding of the last bit).
    public var p50: Double
    /// 90th percentile.
    public var p90: Double
    /// 95th percentile.
    public var p95: Double
    /// 99th percentile.
    public var p99: Double

    /// The MAD scaled by 1.4826, a robust estimate of the standard deviation for normal data.
    public var madScaled: Double { 1.4826 * mad }

    /// Creates a summary from already computed values; ``Stats/summarize(_:)`` is the usual way to get one.
    public init(
        count: Int,
        mean: Double,
        median: Double,
        standardDeviation: Double,
        min: Double,
        max: Double,
        mad: Double,
        p50: Double,
        p90: Double,
        p95: Double,
        p99: Double
    ) {
        self.count = count
        self.mean = mean
        self.median = median
        self.standardDeviation = standardDeviation
        self.min = min
        self.max = max
        self.mad = mad
        self.p50 = p50
        self.p90 = p90
        self.p95 = p95
        self.p99 = p99
    }
}

extension Stats {
    /// Summarises `samples` (in any order).
    ///
    /// - Throws: ``StatsError`` when `samples` is empty or holds NaN or an infinite value.
    public static func summarize(_ samples: [Double]) throws(StatsError) -> Summary {
        try validate(samples, "samples")
        let sorted = samples.sorted()
        let count = sorted.count
        // Sum in input order, as numpy does, so mean and σ track numpy to the last few bits.
        let mean = samples.reduce(0, +) / Double(count)
        var standardDeviation = 0.0
        if count > 1 {
            let squares = samples.reduce(0.0) { $0 + ($1 - mean) * ($1 - mean) }
            standardDeviation = (squares / Double(count - 1)).squareRoot()
        }
        let median = medianOfSorted(sorted)
        return Summary(
            count: count,
            mean: mean,
            median: median,
            standardDeviation: standardDeviation,
            min: sorted[0],
            max: sorted[count - 1],
            mad: medianOfSorted(sorted.map { abs($0 - median) }.sorted()),
            p50: percentile(sorted, 50),
            p90: percentile(sorted, 90),
            p95: percentile(sorted, 95),
            p99: percentile(sorted, 99)
        )
    }

    /// The median of `samples` (in any order); the mean of the two middle values for an even count.
    ///
    /// - Throws: ``StatsError`` when `samples` is empty or holds NaN or an infinite value.
    public static func median(_ samples: [Double]) throws(StatsError) -> Double {
        try validate(samples, "samples")
        return medianOfSorted(samples.sorted())
    }

    /// The median absolute deviation `median(|xᵢ − median(x)|)`, raw (not multiplied by 1.4826).
    ///
    /// - Throws: ``StatsError`` when `samples` is empty or holds NaN or an infinite value.
    public static func medianAbsoluteDeviation(_ samples: [Double]) throws(StatsError) -> Double {
        try validate(samples, "samples")
        let median = medianOfSorted(samples.sorted())
        return medianOfSorted(samples.map { abs($0 - median) }.sorted())
    }

    /// The `p`-th percentile (`p` in 0…100) of ascending `sorted`, by linear interpolation between
    /// closest ranks: numpy's default `numpy.percentile(a, p, method="linear")`, bit for bit.
    ///
    /// With n values the rank is `h = (n − 1)·p/100`; the result lies between `sorted[⌊h⌋]` and
    /// `sorted[⌊h⌋ + 1]` at fraction `h − ⌊h⌋` (Hyndman & Fan type 7, also R's and Excel's default).
    ///
    /// The caller guarantees `sorted` is ascending and finite; this function does not sort.
    /// It returns NaN when `sorted` is empty or `p` is NaN, and clamps `p` into 0…100.
    public static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty, !p.isNaN else { return .nan }
        let quantile = Swift.min(Swift.max(p, 0), 100) / 100
        let last = sorted.count - 1
        let rank = Double(last) * quantile
        if rank >= Double(last) { return sorted[last] }
        let below = rank.rounded(.down)
        let index = Int(below)
        let fraction = rank - below
        let low = sorted[index]
        let high = sorted[index + 1]
        let difference = high - low
        // numpy's _lerp: interpolate from the nearer end so p=100-style ranks land exactly on a value.
        return fraction >= 0.5 ? high - difference * (1 - fraction) : low + difference * fraction
    }

    /// The median of an ascending, non-empty array, computed as `numpy.median` does.
    static func medianOfSorted(_ sorted: [Double]) -> Double {
        let count = sorted.count
        if count % 2 == 1 { return sorted[count / 2] }
        return (sorted[count / 2 - 1] + sorted[count / 2]) / 2
    }
}
