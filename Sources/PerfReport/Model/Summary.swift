/// Descriptive statistics of one metric's raw samples, derived from them and stored for readers.
///
/// Percentiles interpolate linearly between ranks (numpy's default); `stddev` is the sample
/// standard deviation (divides by `n - 1`). With no samples every field is 0, and a report
/// with no samples does not pass ``PerformanceReport/validate(source:)``.
/// Readers never trust a stored summary: decoding recomputes it from `samples`.
public struct Summary: Sendable, Hashable, Codable {
    /// Number of samples.
    public var count: Int
    /// Arithmetic mean.
    public var mean: Double
    /// Median (the same value as ``p50``).
    public var median: Double
    /// Smallest sample.
    public var min: Double
    /// Largest sample.
    public var max: Double
    /// Sample standard deviation (`n - 1` in the denominator); 0 for one sample.
    public var stddev: Double
    /// 50th percentile.
    public var p50: Double
    /// 90th percentile.
    public var p90: Double
    /// 95th percentile.
    public var p95: Double
    /// 99th percentile.
    public var p99: Double

    /// Computes the summary of `samples` (in any order).
    public init(samples: [Double]) {
        let sorted = samples.sorted()
        let mean = SampleStatistics.mean(sorted)
        self.count = sorted.count
        self.mean = mean
        self.median = SampleStatistics.percentile(sorted: sorted, 50)
        self.min = sorted.first ?? 0
        self.max = sorted.last ?? 0
        self.stddev = SampleStatistics.standardDeviation(sorted, mean: mean)
        self.p50 = self.median
        self.p90 = SampleStatistics.percentile(sorted: sorted, 90)
        self.p95 = SampleStatistics.percentile(sorted: sorted, 95)
        self.p99 = SampleStatistics.percentile(sorted: sorted, 99)
    }
}
