import PerfReport

/// Turns load results into a ``PerformanceReport`` that `compare` can judge, and merges reports
/// from runs made at the same time on several machines.
public enum LoadReport {
    /// Metrics whose one sample is a rate of the whole run; merging sums them.
    static let summedMetrics: Set<String> = ["throughput", "output_tokens_per_second"]
    /// Metrics whose one sample is a fraction of the run's requests; merging weights them by requests.
    static let requestFractionMetrics: Set<String> = ["error_rate", "goodput"]
    /// Prefix of the benchmark tag recording how many requests the run sent, e.g. `requests=120`.
    static let requestsTagPrefix = "requests="

    /// A report with one benchmark called `name` holding the run's metrics.
    ///
    /// Per-request metrics keep one raw sample per successful request, so two runs compare as
    /// distributions: `ttft`, `itl`, `tpot` and `e2e` (s, lower is better). `itl` is each
    /// request's **mean** gap, one sample per request: pooling every gap would weight long
    /// answers by their length and make samples from one request look independent.
    /// Whole-run metrics have one sample: `throughput` (req/s), `output_tokens_per_second`
    /// (tok/s), both higher is better; `error_rate` (ratio, lower); and `goodput` (ratio, higher)
    /// when the summary has an SLO. A metric with no samples is left out. The benchmark is
    /// tagged `requests=N` so ``merge(_:)`` can weight the ratios.
    public static func performanceReport(
        results: [RequestResult],
        summary: LoadSummary,
        benchmark name: String,
        metadata: Metadata
    ) -> PerformanceReport {
        let successes = results.filter(\.succeeded)
        var metrics: [Metric] = []
        func add(_ metricName: String, _ unit: String, _ direction: Direction, _ samples: [Double]) {
            guard !samples.isEmpty else { return }
            metrics.append(Metric(name: metricName, unit: unit, direction: direction, samples: samples))
        }
        add("ttft", "s", .lowerIsBetter, successes.compactMap(\.ttft))
        add("itl", "s", .lowerIsBetter, successes.compactMap(\.meanGap))
        add("tpot", "s", .lowerIsBetter, successes.compactMap(\.timePerOutputToken))
        add("e2e", "s", .lowerIsBetter, successes.map(\.endToEnd))
        add("throughput", "req/s", .higherIsBetter, [summary.requestThroughput])
        add("output_tokens_per_second", "tok/s", .higherIsBetter, [summary.outputTokensPerSecond])
        if summary.requests > 0 {
            add("error_rate", "ratio", .lowerIsBetter, [Double(summary.failed) / Double(summary.requests)])
        }
        if let goodput = summary.goodput {
            add("goodput", "ratio", .higherIsBetter, [goodput])
        }
        let benchmark = Benchmark(name: name, tags: ["\(requestsTagPrefix)\(summary.requests)"], metrics: metrics)
        return PerformanceReport(metadata: metadata, benchmarks: [benchmark])
    }

    /// Combines reports of runs made at the same time against the same target (`load merge`).
    ///
    /// Benchmarks and metrics with the same names are combined, in order of first appearance:
    /// - per-request metrics (and any metric not named below) concatenate their samples, which
    ///   is exact: the merged distribution is that of all requests;
    /// - `throughput` and `output_tokens_per_second` become the **sum** of each report's mean,
    ///   the combined rate of load sent at once (summing is wrong for runs made one after another);
    /// - `error_rate` and `goodput` become the mean of each report's value weighted by its
    ///   request count from the `requests=N` tag, which is exactly the fraction over all requests.
    ///
    /// The metadata is the first report's, with the label `merged_reports` = count. The
    /// timeline is the first report's that has one: every machine sampled the same target, so
    /// one record of it is enough, and their clocks are not aligned to interleave them. When it
    /// comes from a later report, the first report's host is not the machine that sampled it,
    /// so the merged report labels it as not on the host (``Metadata/timelineOnHostLabel``).
    /// - Throws: ``LoadError`` for no reports, a metric whose unit or direction differs between
    ///   reports, or a ratio metric in a benchmark without a `requests=N` tag.
    public static func merge(_ reports: [PerformanceReport]) throws(LoadError) -> PerformanceReport {
        guard let first = reports.first else { throw .merge("no reports given") }
        var order: [String] = []
        var parts: [String: [(report: Int, benchmark: Benchmark)]] = [:]
        for (index, report) in reports.enumerated() {
            for benchmark in report.benchmarks {
                if parts[benchmark.name] == nil { order.append(benchmark.name) }
                parts[benchmark.name, default: []].append((index + 1, benchmark))
            }
        }
        var benchmarks: [Benchmark] = []
        for name in order {
            benchmarks.append(try mergeBenchmark(name, parts[name] ?? []))
        }
        var metadata = first.metadata
        var labels = (metadata.labels ?? [:]).merging(["merged_reports": "\(reports.count)"]) { $1 }
        let sampled = reports.firstIndex { !($0.timeline ?? []).isEmpty }
        if let sampled, sampled > 0 {
            labels[Metadata.timelineSourceLabel] = reports[sampled].metadata.timelineSource ?? "report \(sampled + 1)"
            labels[Metadata.timelineOnHostLabel] = "false"
        }
        metadata.labels = labels
        return PerformanceReport(metadata: metadata, benchmarks: benchmarks, timeline: sampled.map { reports[$0].timeline ?? [] })
    }

    private static func mergeBenchmark(
        _ name: String,
        _ parts: [(report: Int, benchmark: Benchmark)]
    ) throws(LoadError) -> Benchmark {
        var order: [String] = []
        var found: [String: [(report: Int, metric: Metric, requests: Int?)]] = [:]
        for (report, benchmark) in parts {
            let requests = requestCount(benchmark)
            for metric in benchmark.metrics {
                if found[metric.name] == nil { order.append(metric.name) }
                found[metric.name, default: []].append((report, metric, requests))
            }
        }
        var metrics: [Metric] = []
        for metricName in order {
            let pieces = found[metricName] ?? []
            guard let model = pieces.first?.metric else { continue }
            for piece in pieces where piece.metric.unit != model.unit || piece.metric.direction != model.direction {
                throw .merge(
                    "benchmark \(LoadError.quoted(name)) metric \(LoadError.quoted(metricName)) is "
                        + "\(describe(model)) in report \(pieces[0].report) but \(describe(piece.metric)) "
                        + "in report \(piece.report)"
                )
            }
            var merged = model
            if summedMetrics.contains(metricName) {
                merged.samples = [pieces.reduce(0) { $0 + mean($1.metric.samples) }]
            } else if requestFractionMetrics.contains(metricName) {
                var weighted = 0.0
                var total = 0
                for piece in pieces {
                    guard let requests = piece.requests else {
                        throw .merge(
                            "benchmark \(LoadError.quoted(name)) in report \(piece.report) has no "
                                + "\(requestsTagPrefix)N tag, so its \(metricName) cannot be weighted "
                                + "(was it written by `load run`?)"
                        )
                    }
                    weighted += mean(piece.metric.samples) * Double(requests)
                    total += requests
                }
                merged.samples = [total > 0 ? weighted / Double(total) : mean(pieces.map { mean($0.metric.samples) })]
            } else {
                merged.samples = pieces.flatMap(\.metric.samples)
            }
            metrics.append(merged)
        }
        let requests = parts.compactMap { requestCount($0.benchmark) }
        let tags = requests.count == parts.count ? ["\(requestsTagPrefix)\(requests.reduce(0, +))"] : []
        return Benchmark(name: name, group: parts.first?.benchmark.group, tags: tags, metrics: metrics)
    }

    /// The `requests=N` tag's N, if the benchmark has one.
    static func requestCount(_ benchmark: Benchmark) -> Int? {
        benchmark.tags.lazy.compactMap { tag -> Int? in
            guard tag.hasPrefix(requestsTagPrefix) else { return nil }
            return Int(tag.dropFirst(requestsTagPrefix.count))
        }.first
    }

    private static func describe(_ metric: Metric) -> String {
        "in \(metric.unit) (\(metric.direction.rawValue) is better)"
    }

    private static func mean(_ samples: [Double]) -> Double {
        samples.isEmpty ? 0 : samples.reduce(0, +) / Double(samples.count)
    }
}
