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
        threshold: Double = 0.10,
        alpha: Double = 0.05,
        deterministicThreshold: Double = 0,
        metricThresholds: [String: Double] = [:],
        benchmarkThresholds: [String: Double] = [:],
        absoluteFloors: [String: Double] = [:],
        stripProcsSuffix: Bool = true,
        seed: UInt64 = 1,
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

    /// Every setting that is out of range, each with what is wrong; empty when all are usable.
    public func problems() -> [Problem] {
        var found: [Problem] = []
        if !(threshold >= 0 && threshold.isFinite) { found.append(Problem(.threshold, "must be a percentage of 0 or more")) }
        if !(alpha > 0 && alpha < 1) { found.append(Problem(.alpha, "must be between 0 and 1 (exclusive), e.g. 0.05")) }
        if bootstrapResamples < 0 { found.append(Problem(.bootstrapResamples, "must be 0 (off) or more")) }
        if !(deterministicThreshold >= 0) { found.append(Problem(.deterministicThreshold, "must be 0 or more")) }
        for (name, value) in metricThresholds.sorted(by: { $0.key < $1.key }) where !(value >= 0) {
            found.append(Problem(.metricThreshold(name), "must be 0 or more"))
        }
        for (name, value) in benchmarkThresholds.sorted(by: { $0.key < $1.key }) where !(value >= 0) {
            found.append(Problem(.benchmarkThreshold(name), "must be 0 or more"))
        }
        for (name, value) in absoluteFloors.sorted(by: { $0.key < $1.key }) where !(value >= 0) {
            found.append(Problem(.absoluteFloor(name), "must be 0 or more"))
        }
        return found
    }

    /// One out-of-range setting of ``ComparisonOptions``: which one, and what is wrong with it.
    ///
    /// The ``description`` names the setting as the library calls it (`alpha: must be …`); a
    /// command line maps ``setting`` to its own flag.
    public struct Problem: Sendable, Hashable, CustomStringConvertible {
        /// The settings a problem can be about.
        public enum Setting: Sendable, Hashable {
            case threshold, alpha, bootstrapResamples, deterministicThreshold
            case metricThreshold(String)
            case benchmarkThreshold(String)
            case absoluteFloor(String)
        }

        /// The setting that is out of range.
        public var setting: Setting
        /// What is wrong with it, e.g. `must be between 0 and 1 (exclusive), e.g. 0.05`.
        public var problem: String

        init(_ setting: Setting, _ problem: String) {
            self.setting = setting
            self.problem = problem
        }

        /// `alpha: must be between 0 and 1 (exclusive), e.g. 0.05`.
        public var description: String {
            let name =
                switch setting {
                case .threshold: "threshold"
                case .alpha: "alpha"
                case .bootstrapResamples: "bootstrap resamples"
                case .deterministicThreshold: "deterministic threshold"
                case .metricThreshold(let metric): "threshold of metric \(metric)"
                case .benchmarkThreshold(let benchmark): "threshold of benchmark \(benchmark)"
                case .absoluteFloor(let metric): "absolute floor of metric \(metric)"
                }
            return "\(name): \(problem)"
        }
    }
}
