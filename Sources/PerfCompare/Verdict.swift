import PerfReport

/// What `compare` concludes about one metric of one benchmark.
public enum Verdict: String, Sendable, Hashable, Codable, CaseIterable {
    /// Worse than the threshold in the metric's bad direction, and statistically significant.
    case regression
    /// Better than the threshold in the metric's good direction, and statistically significant.
    case improvement
    /// Not significant, or smaller than the threshold: shown as `~`.
    case unchanged
    /// Too few samples for the test to ever reach significance at the chosen alpha.
    case insufficientSamples = "insufficient_samples"

    /// The short form in tables.
    public var symbol: String {
        switch self {
        case .regression: "REGRESSION"
        case .improvement: "improved"
        case .unchanged: "~"
        case .insufficientSamples: "too few samples"
        }
    }
}

/// One metric of one benchmark, baseline against current.
public struct MetricComparison: Sendable, Hashable, Codable {
    public var benchmark: String
    public var metric: String
    public var unit: String
    /// `lower` or `higher`: which way is better.
    public var better: String
    public var deterministic: Bool
    /// The baseline's summary statistics (count, mean, median, min, max, stddev, percentiles).
    public var baseline: Summary
    public var current: Summary
    /// The change, as a fraction of the baseline median; positive means the number grew. For
    /// measured metrics with up to 2,500 sample pairs the Hodges-Lehmann shift (median of all
    /// pairwise differences), otherwise `median(current) / median(baseline) − 1`.
    public var change: Double
    /// The change in the metric's bad direction (positive is worse), as a fraction.
    public var worsening: Double
    /// Two-sided Mann-Whitney U p-value; `nil` for deterministic metrics or when not computed.
    public var pValue: Double?
    /// `exact` or `asymptotic`.
    public var testMethod: String?
    /// Seeded bootstrap 95% interval of `median(current) / median(baseline)`, for regressions and improvements.
    public var ratioInterval: [Double]?
    /// The threshold that applied, as a fraction.
    public var threshold: Double
    public var verdict: Verdict
    /// Why, in words, when the verdict needs it (too few samples, under the floor, ...).
    public var note: String?

    enum CodingKeys: String, CodingKey {
        case benchmark, metric, unit, better, deterministic, baseline, current, change, worsening, threshold, verdict, note
        case pValue = "p_value"
        case testMethod = "test_method"
        case ratioInterval = "ratio_interval"
    }
}

/// Everything `compare` found.
public struct Comparison: Sendable, Hashable, Codable {
    public var comparisons: [MetricComparison]
    /// Benchmarks only in the current report.
    public var added: [String]
    /// Benchmarks only in the baseline.
    public var removed: [String]
    /// Metrics only on one side (`benchmark: metric (baseline only)`).
    public var unmatchedMetrics: [String]
    public var options: OptionsRecord

    /// The options as recorded in JSON output.
    public struct OptionsRecord: Sendable, Hashable, Codable {
        public var threshold: Double
        public var alpha: Double
    }

    public var regressions: [MetricComparison] { comparisons.filter { $0.verdict == .regression } }
    public var improvements: [MetricComparison] { comparisons.filter { $0.verdict == .improvement } }
    public var hasRegression: Bool { comparisons.contains { $0.verdict == .regression } }

    enum CodingKeys: String, CodingKey {
        case comparisons, added, removed, options
        case unmatchedMetrics = "unmatched_metrics"
    }
}
