/// Which metrics play which part in a report: the one a benchmark is shown by, its latencies, the
/// p95 the seed's target is about. Every lookup reads names by ``MetricName``'s rule, so `e2e`
/// (per request), `e2e_p95` (per repetition) and the legacy `latency_p95` all count.
public enum MetricRoles {
    /// Bases tried, in order, for a benchmark's primary metric.
    static let primaryBases = ["e2e", "wall_clock", "time", "ttft", "duration"]
    /// For a base written per repetition, the percentiles tried in order: the median is what a
    /// comparison of per-request samples compares too.
    static let primaryPercentiles = [50, 95, 99]
    /// Latency bases tried, in order (end to end first).
    static let latencyBases = ["e2e", "ttft", "wall_clock", "time"]

    /// The metric a benchmark is shown by: the first of `e2e`, `wall_clock`, `time`, `ttft`,
    /// `duration` it has (per request first, then its `_p50`, `_p95`, `_p99`), else its first
    /// measured (non-deterministic) metric, else its first metric.
    public static func primary(of benchmark: Benchmark) -> Metric? {
        if let name = preferred(among: benchmark.metrics.map(\.name)) { return benchmark.metric(named: name) }
        return benchmark.metrics.first { !$0.deterministic } ?? benchmark.metrics.first
    }

    /// The metric a benchmark is shown by when only names are known (as in the history store):
    /// the same preference as ``primary(of:)``, else the first name in order.
    public static func primary(amongNames names: [String]) -> String? {
        preferred(among: names) ?? names.first
    }

    static func preferred(among names: [String]) -> String? {
        let parsed = names.map(MetricName.init)
        for base in primaryBases {
            for percentile in [nil] + primaryPercentiles {
                if let index = parsed.firstIndex(where: { $0.base == base && $0.percentile == percentile }) { return names[index] }
            }
        }
        return nil
    }

    /// The benchmark's per-request end-to-end latency (`e2e`, or legacy `latency`) in a time unit.
    /// Micro-benchmark timings (`wall_clock`, `time`) are not requests.
    public static func requestLatency(of benchmark: Benchmark) -> Metric? {
        metric(of: benchmark, base: "e2e", percentile: nil)
    }

    /// The benchmark's per-request latency in a time unit: `e2e`, else `ttft`, `wall_clock`, `time`.
    public static func latency(of benchmark: Benchmark) -> Metric? {
        latencyBases.lazy.compactMap { metric(of: benchmark, base: $0, percentile: nil) }.first
    }

    /// The benchmark's per-repetition `percentile` of a latency in a time unit: `e2e_pNN` (or
    /// legacy `latency_pNN`), else `ttft_pNN`, `wall_clock_pNN`, `time_pNN`.
    public static func repetitionLatency(of benchmark: Benchmark, percentile: Int) -> Metric? {
        latencyBases.lazy.compactMap { metric(of: benchmark, base: $0, percentile: percentile) }.first
    }

    /// The benchmark's p95 end-to-end latency in seconds, the value the seed's "p95 < 1 s" judges:
    /// the p95 of the per-request `e2e` samples, else the median over repetitions of each
    /// repetition's `e2e_p95` (the rule `bench gate` applies to its budgets).
    public static func p95RequestLatency(of benchmark: Benchmark) -> LatencyReading? {
        if let metric = requestLatency(of: benchmark), let scale = secondsPerUnit(metric.unit) {
            return LatencyReading(
                metric: metric,
                seconds: metric.summary.p95 * scale,
                rule: "p95 of \(metric.summary.count) request(s)"
            )
        }
        if let metric = metric(of: benchmark, base: "e2e", percentile: 95), let scale = secondsPerUnit(metric.unit) {
            return LatencyReading(
                metric: metric,
                seconds: metric.summary.median * scale,
                rule: "median of \(metric.summary.count) repetition(s)' p95"
            )
        }
        return nil
    }

    /// The first metric of `benchmark` whose name reads as `base` with `percentile`, in a time unit.
    static func metric(of benchmark: Benchmark, base: String, percentile: Int?) -> Metric? {
        benchmark.metrics.first { metric in
            let name = MetricName(metric.name)
            return name.base == base && name.percentile == percentile && secondsPerUnit(metric.unit) != nil
        }
    }

    /// Seconds in one `unit`, for time units; `nil` otherwise.
    public static func secondsPerUnit(_ unit: String) -> Double? {
        switch unit {
        case "ns": 1e-9
        case "us", "µs": 1e-6
        case "ms": 1e-3
        case "s": 1
        case "min": 60
        case "h": 3600
        default: nil
        }
    }

    /// Whether the metric counts allocations (per operation or request).
    public static func isAllocation(_ name: String) -> Bool {
        MetricName(name).role == .allocation
    }
}

/// A latency read from a report, in seconds, with the rule that produced it.
public struct LatencyReading: Sendable, Hashable {
    /// The metric read.
    public var metric: Metric
    /// The value in seconds.
    public var seconds: Double
    /// How the value was taken from the samples, e.g. `p95 of 120 request(s)`.
    public var rule: String
}
