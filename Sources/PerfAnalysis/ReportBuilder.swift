import PerfCompare
import PerfReport
import PerfStats

/// Why a report cannot be built.
public struct AnalysisError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The message, naming the file and what to do.
    public let description: String

    /// Creates an error with its full message.
    public init(_ description: String) { self.description = description }
}

/// Builds an ``AnalysisReport`` from a current run and, optionally, a baseline: the pure core of
/// `ollama-distributed report` and `charts`.
public enum ReportBuilder {
    /// How many benchmarks get a ``SampleSeries`` (the trends chart's panels without history).
    public static let sampleSeriesLimit = 12
    /// The most samples kept per ``SampleSeries`` (evenly spaced, first and last always kept).
    public static let samplePoints = 600
    /// How many latency distributions the CDF chart gets: those with the highest p99 (in seconds).
    public static let distributionLimit = 8
    /// The most points kept per CDF (evenly spaced ranks, min and max always kept).
    public static let cdfPoints = 256

    /// - Throws: ``AnalysisError`` when the current report has no benchmarks, or when the
    ///   comparison fails (units that differ between the sides, bad options).
    public static func build(
        current: PerformanceReport,
        currentSource: String,
        baseline: PerformanceReport? = nil,
        baselineSource: String? = nil,
        options: ComparisonOptions = .init()
    ) throws(AnalysisError) -> AnalysisReport {
        guard !current.benchmarks.isEmpty else {
            throw AnalysisError(
                "\(currentSource): the report has no benchmarks, so there is nothing to report (run `ollama-distributed load` or `bench` to produce one)"
            )
        }
        var comparison: Comparison?
        if let baseline {
            do {
                comparison = try Comparer.compare(
                    baseline: baseline,
                    current: current,
                    options: options,
                    baselineSource: baselineSource ?? "baseline",
                    currentSource: currentSource
                )
            } catch {
                throw AnalysisError(error.description)
            }
        }
        return AnalysisReport(
            currentSource: currentSource,
            baselineSource: baseline == nil ? nil : baselineSource,
            metadata: current.metadata,
            baselineMetadata: baseline?.metadata,
            results: results(current),
            comparison: comparison,
            comparisonRows: rows(current: current, baseline: baseline, comparison: comparison, options: options),
            regressionAnalysis: comparison.map(analysis),
            resources: resources(current),
            kpis: KPITargets.scorecard(current),
            recommendations: Recommendations.all(current: current, comparison: comparison),
            distributions: distributions(current: current, baseline: baseline, options: options),
            sampleSeries: sampleSeries(current)
        )
    }

    static func interval(_ metric: Metric) -> Interval {
        guard let ci = try? Stats.medianConfidenceInterval(metric.samples, confidence: 0.95) else {
            return Interval(median: metric.summary.median, low: nil, high: nil)
        }
        return Interval(median: metric.summary.median, low: ci.low, high: ci.high)
    }

    static func results(_ report: PerformanceReport) -> [MetricResult] {
        report.benchmarks.flatMap { benchmark in
            benchmark.metrics.map { metric in
                MetricResult(
                    benchmark: benchmark.name,
                    metric: metric.name,
                    unit: metric.unit,
                    better: metric.direction == .lowerIsBetter ? "lower" : "higher",
                    deterministic: metric.deterministic,
                    summary: metric.summary,
                    medianInterval: interval(metric)
                )
            }
        }
    }

    static func rows(
        current: PerformanceReport,
        baseline: PerformanceReport?,
        comparison: Comparison?,
        options: ComparisonOptions
    )
        -> [ComparisonRow]
    {
        var baselineByName: [String: Benchmark] = [:]
        for benchmark in baseline?.benchmarks ?? [] { baselineByName[options.normalize(benchmark.name)] = benchmark }
        var verdicts: [String: MetricComparison] = [:]
        for c in comparison?.comparisons ?? [] { verdicts[c.benchmark + "\u{0}" + c.metric] = c }
        return current.benchmarks.compactMap { benchmark in
            guard let metric = MetricRoles.primary(of: benchmark) else { return nil }
            let name = options.normalize(benchmark.name)
            let old = baselineByName[name]?.metric(named: metric.name)
            let verdict = verdicts[name + "\u{0}" + metric.name]
            return ComparisonRow(
                benchmark: benchmark.name,
                metric: metric.name,
                unit: metric.unit,
                baseline: old.map(interval),
                current: interval(metric),
                change: verdict?.change,
                verdict: verdict?.verdict
            )
        }
    }

    static func analysis(_ comparison: Comparison) -> RegressionAnalysis {
        func count(_ verdict: Verdict) -> Int { comparison.comparisons.filter { $0.verdict == verdict }.count }
        return RegressionAnalysis(
            regressions: count(.regression),
            improvements: count(.improvement),
            unchanged: count(.unchanged),
            insufficientSamples: count(.insufficientSamples),
            added: comparison.added,
            removed: comparison.removed,
            threshold: comparison.options.threshold,
            alpha: comparison.options.alpha
        )
    }

    /// One series per timeline key, in key order, grouped into kinds by name.
    static func resources(_ report: PerformanceReport) -> [ResourceSeries] {
        let timeline = (report.timeline ?? []).sorted { $0.t < $1.t }
        let keys = Set(timeline.flatMap(\.values.keys)).sorted()
        return keys.compactMap { key in
            let points = timeline.compactMap { p in p.values[key].map { (p.t, $0) } }
            guard let maximum = points.map(\.1).max() else { return nil }
            let (kind, unit) = classify(key)
            return ResourceSeries(
                name: key,
                kind: kind,
                unit: unit,
                times: points.map(\.0),
                values: points.map(\.1),
                mean: points.map(\.1).reduce(0, +) / Double(points.count),
                max: maximum
            )
        }
    }

    /// The kind and unit of a timeline key, from its name (docs/reports.md lists the rules).
    static func classify(_ key: String) -> (ResourceSeries.Kind, String) {
        let byteRate = key.hasSuffix("_bytes_per_second") || key.hasSuffix("_bps")
        if key == "cpu" || key.hasPrefix("cpu_") { return (.cpu, "cores") }
        if key.hasPrefix("net") || key.contains("_rx") || key.contains("_tx") || key.hasPrefix("rx_") || key.hasPrefix("tx_") {
            return (.network, byteRate ? "B/s" : (key.hasSuffix("_bytes") ? "B" : "count"))
        }
        if key.hasSuffix("_bytes") || key.hasPrefix("rss") || key.hasPrefix("heap") || key.hasPrefix("memory") {
            return (.memory, "B")
        }
        return (.other, byteRate ? "B/s" : "count")
    }

    static func distributions(
        current: PerformanceReport,
        baseline: PerformanceReport?,
        options: ComparisonOptions
    )
        -> [Distribution]
    {
        let chosen = current.benchmarks.compactMap { b -> (Benchmark, Metric, Double)? in
            guard let m = distributionMetric(of: b), m.samples.count >= 2, let scale = MetricRoles.secondsPerUnit(m.unit) else {
                return nil
            }
            return (b, m, m.summary.p99 * scale)
        }.sorted { $0.2 > $1.2 }.prefix(distributionLimit)
        var baselineByName: [String: Benchmark] = [:]
        for benchmark in baseline?.benchmarks ?? [] { baselineByName[options.normalize(benchmark.name)] = benchmark }
        return chosen.flatMap { benchmark, metric, _ -> [Distribution] in
            var out = [cdf(benchmark.name, metric, side: "current")]
            if let old = baselineByName[options.normalize(benchmark.name)]?.metric(named: metric.name), old.unit == metric.unit,
                old.samples.count >= 2
            {
                out.append(cdf(benchmark.name, old, side: "baseline"))
            }
            return out
        }
    }

    /// The primary metric of each benchmark with 2 or more samples, in recorded order.
    static func sampleSeries(_ report: PerformanceReport) -> [SampleSeries] {
        report.benchmarks.compactMap { benchmark -> SampleSeries? in
            guard let metric = MetricRoles.primary(of: benchmark), metric.samples.count >= 2 else { return nil }
            let n = metric.samples.count
            let kept = n <= samplePoints ? Array(0..<n) : (0..<samplePoints).map { $0 * (n - 1) / (samplePoints - 1) }
            return SampleSeries(
                benchmark: benchmark.name,
                metric: metric.name,
                unit: metric.unit,
                samples: kept.map { metric.samples[$0] },
                positions: kept.map { $0 + 1 },
                count: n,
                median: metric.summary.median
            )
        }.prefix(sampleSeriesLimit).map { $0 }
    }

    /// The latency a benchmark's CDF is drawn from: its per-request latency (`e2e`, `ttft`, …),
    /// else its per-repetition p95 (`e2e_p95`: one sample per repetition, as `bench` writes).
    static func distributionMetric(of benchmark: Benchmark) -> Metric? {
        MetricRoles.latency(of: benchmark) ?? MetricRoles.repetitionLatency(of: benchmark, percentile: 95)
    }

    /// The empirical CDF, thinned to ``cdfPoints`` ranks.
    static func cdf(_ benchmark: String, _ metric: Metric, side: String) -> Distribution {
        let sorted = metric.samples.sorted()
        let n = sorted.count
        let ranks = n <= cdfPoints ? Array(0..<n) : (0..<cdfPoints).map { $0 * (n - 1) / (cdfPoints - 1) }
        return Distribution(
            benchmark: benchmark,
            metric: metric.name,
            unit: metric.unit,
            side: side,
            values: ranks.map { sorted[$0] },
            fractions: ranks.map { Double($0 + 1) / Double(n) },
            count: n
        )
    }
}
