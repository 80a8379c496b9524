/// How `compare` judges a change: the thresholds, the significance level and how benchmark
/// names are matched.
public struct ComparisonOptions: Sendable, Hashable {
    /// A change smaller than this fraction (0.10 = 10%) of the baseline median is never a regression.
    public var threshold: Double
    /// Significance level of the Mann-Whitney U test.
    public var alpha: Double
    /// Threshold for deterministic metrics (allocation counts), compared exactly: 0 means any worsening.
    public var deterministicThreshold: Double
    /// Thresholds by metric name, overriding `threshold` (e.g. `["allocations": 0.0]`).
    public var metricThresholds: [String: Double]
    /// Thresholds by benchmark name (after normalisation), overriding the metric's.
    public var benchmarkThresholds: [String: Double]
    /// Absolute floors by metric name, in the metric's unit: a change of the median smaller than
    /// this is noise whatever its percentage (e.g. 50 ns on a 200 ns benchmark).
    public var absoluteFloors: [String: Double]
    /// Removes a Go `-N` GOMAXPROCS suffix from names before matching (`BenchmarkX-8` → `BenchmarkX`).
    public var stripProcsSuffix: Bool
    /// Seed of the bootstrap interval for the ratio of medians, so reports repeat exactly.
    public var seed: UInt64
    /// Bootstrap resamples for the ratio-of-medians interval of each regression and improvement;
    /// 0 leaves the interval out (it costs about 10 ms per flagged metric at 100 samples).
    public var bootstrapResamples: Int

    public init(
        threshold: Double = 0.10, alpha: Double = 0.05, deterministicThreshold: Double = 0,
        metricThresholds: [String: Double] = [:], benchmarkThresholds: [String: Double] = [:],
        absoluteFloors: [String: Double] = [:], stripProcsSuffix: Bool = true, seed: UInt64 = 1,
        bootstrapResamples: Int = 0
    ) {
        self.threshold = threshold
        self.alpha = alpha
        self.deterministicThreshold = deterministicThreshold
        self.metricThresholds = metricThresholds
        self.benchmarkThresholds = benchmarkThresholds
        self.absoluteFloors = absoluteFloors
        self.stripProcsSuffix = stripProcsSuffix
        self.seed = seed
        self.bootstrapResamples = bootstrapResamples
    }

    /// The threshold that applies to `metric` of `benchmark`.
    public func threshold(benchmark: String, metric: String, deterministic: Bool) -> Double {
        benchmarkThresholds[benchmark] ?? metricThresholds[metric] ?? (deterministic ? deterministicThreshold : threshold)
    }

    /// The name benchmarks are matched by.
    public func normalize(_ name: String) -> String {
        guard stripProcsSuffix, let dash = name.lastIndex(of: "-") else { return name }
        let suffix = name[name.index(after: dash)...]
        guard !suffix.isEmpty, suffix.allSatisfy(\.isNumber) else { return name }
        return String(name[..<dash])
    }

    /// Every problem with the values, each naming its option.
    public func problems() -> [String] {
        var found: [String] = []
        if !(threshold >= 0 && threshold.isFinite) { found.append("--threshold: must be a percentage of 0 or more") }
        if !(alpha > 0 && alpha < 1) { found.append("--alpha: must be between 0 and 1 (exclusive), e.g. 0.05") }
        if bootstrapResamples < 0 { found.append("--bootstrap: resamples must be 0 (off) or more") }
        if !(deterministicThreshold >= 0) { found.append("deterministic threshold: must be 0 or more") }
        for (name, value) in metricThresholds where !(value >= 0) { found.append("metric threshold \(name): must be 0 or more") }
        for (name, value) in absoluteFloors where !(value >= 0) { found.append("absolute floor \(name): must be 0 or more") }
        return found
    }
}
