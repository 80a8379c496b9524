import PerfCompare
import PerfReport

/// Everything `report` and `charts` show, computed once from one run (and optionally a baseline).
///
/// The model holds numbers already worked out by ``ReportBuilder`` (medians, confidence
/// intervals, verdicts, KPIs, recommendations), so the renderers (Markdown here, SVG and HTML in
/// `Charts`) only lay them out. It is also the `--format json` output of `report`.
public struct AnalysisReport: Sendable, Hashable, Codable {
    /// Version of this JSON document (not of the input report format).
    public var analysisVersion = 1
    /// The current report's path, as given.
    public var currentSource: String
    /// The baseline report's path, when one was given.
    public var baselineSource: String?
    /// The current run's metadata.
    public var metadata: Metadata
    /// The baseline run's metadata.
    public var baselineMetadata: Metadata?
    /// Every metric of every benchmark of the current run, in report order.
    public var results: [MetricResult]
    /// The `compare` verdicts against the baseline, when one was given.
    public var comparison: Comparison?
    /// One row per benchmark (its primary metric) for the comparison chart.
    public var comparisonRows: [ComparisonRow]
    /// Counts of verdicts and the settings that produced them.
    public var regressionAnalysis: RegressionAnalysis?
    /// Resource readings over the run, one series per reading; empty when the report has no timeline.
    public var resources: [ResourceSeries]
    /// The seed's KPI targets, measured.
    public var kpis: [KPI]
    /// Findings from the data, each naming the benchmark, the evidence and a suggestion.
    public var recommendations: [Recommendation]
    /// Latency distributions (empirical CDFs) for the latency chart.
    public var distributions: [Distribution]
    /// Each benchmark's primary metric sample by sample, in the order recorded (repetitions for
    /// `bench`, requests for `load`): what the trends chart draws when the history has fewer
    /// than two runs.
    public var sampleSeries: [SampleSeries]

    enum CodingKeys: String, CodingKey {
        case metadata, results, comparison, resources, kpis, recommendations, distributions
        case analysisVersion = "analysis_version"
        case currentSource = "current_source"
        case baselineSource = "baseline_source"
        case baselineMetadata = "baseline_metadata"
        case comparisonRows = "comparison_rows"
        case regressionAnalysis = "regression_analysis"
        case sampleSeries = "sample_series"
    }
}

/// One metric of one benchmark in the current run.
public struct MetricResult: Sendable, Hashable, Codable {
    public var benchmark: String
    public var metric: String
    public var unit: String
    /// `lower` or `higher`: which way is better.
    public var better: String
    public var deterministic: Bool
    /// Summary recomputed from the samples.
    public var summary: Summary
    /// 95% distribution-free confidence interval of the median; `nil` bounds when n < 6.
    public var medianInterval: Interval

    enum CodingKeys: String, CodingKey {
        case benchmark, metric, unit, better, deterministic, summary
        case medianInterval = "median_interval"
    }
}

/// A median with its confidence interval; a bound is `nil` when the samples are too few to give one.
public struct Interval: Sendable, Hashable, Codable {
    public var median: Double
    public var low: Double?
    public var high: Double?

    /// Creates an interval; `nil` bounds mean unbounded.
    public init(median: Double, low: Double?, high: Double?) {
        self.median = median
        self.low = low
        self.high = high
    }
}

/// Baseline against current for one benchmark's primary metric, as the comparison chart draws it.
public struct ComparisonRow: Sendable, Hashable, Codable {
    public var benchmark: String
    public var metric: String
    public var unit: String
    /// The baseline's median and 95% interval; `nil` when no baseline was given.
    public var baseline: Interval?
    public var current: Interval
    /// Relative change of the median (see `MetricComparison.change`); `nil` without a baseline.
    public var change: Double?
    /// The `compare` verdict; `nil` without a baseline.
    public var verdict: Verdict?

    /// Creates a row; `baseline`, `change` and `verdict` are `nil` without a baseline.
    public init(
        benchmark: String,
        metric: String,
        unit: String,
        baseline: Interval?,
        current: Interval,
        change: Double?,
        verdict: Verdict?
    ) {
        self.benchmark = benchmark
        self.metric = metric
        self.unit = unit
        self.baseline = baseline
        self.current = current
        self.change = change
        self.verdict = verdict
    }
}

/// Verdict counts of the comparison.
public struct RegressionAnalysis: Sendable, Hashable, Codable {
    public var regressions: Int
    public var improvements: Int
    public var unchanged: Int
    public var insufficientSamples: Int
    /// Benchmarks only in the current run, or only in the baseline.
    public var added: [String]
    public var removed: [String]
    /// Threshold (fraction) and significance level used.
    public var threshold: Double
    public var alpha: Double

    enum CodingKeys: String, CodingKey {
        case regressions, improvements, unchanged, added, removed, threshold, alpha
        case insufficientSamples = "insufficient_samples"
    }
}

/// One timeline reading over the run.
public struct ResourceSeries: Sendable, Hashable, Codable {
    /// What the series measures, for grouping into chart panels.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case cpu, memory, network, other
    }

    /// The timeline key (`cpu`, `rss_bytes`, `net_rx_bytes`, …).
    public var name: String
    public var kind: Kind
    /// `cores` (fractions of one core), `B` for sizes, `B/s` for byte rates, `count` otherwise.
    public var unit: String
    /// Seconds since the start of the run.
    public var times: [Double]
    public var values: [Double]
    public var mean: Double
    public var max: Double
}

/// A latency distribution as an empirical CDF: `values` ascending, `fractions[i]` of samples ≤ `values[i]`.
public struct Distribution: Sendable, Hashable, Codable {
    public var benchmark: String
    public var metric: String
    public var unit: String
    /// `current` or `baseline`.
    public var side: String
    public var values: [Double]
    public var fractions: [Double]
    public var count: Int
}

/// One benchmark's primary metric in the order its samples were recorded.
public struct SampleSeries: Sendable, Hashable, Codable {
    public var benchmark: String
    public var metric: String
    public var unit: String
    /// The samples in recorded order, thinned evenly to at most ``ReportBuilder/samplePoints``.
    public var samples: [Double]
    /// 1-based position of each kept sample among all of them.
    public var positions: [Int]
    /// How many samples the metric has.
    public var count: Int
    /// The median of all the samples (the report's summary).
    public var median: Double
}
