import PerfReport

/// Which metrics play which part: the one a benchmark is charted by, latencies, error rates.
public enum MetricRoles {
    /// Metric names tried, in order, as a benchmark's primary metric.
    static let primaryPreference = ["e2e", "latency", "wall_clock", "time", "ttft", "duration"]

    /// Names that hold a request latency (end to end first).
    static let latencyNames = ["e2e", "latency", "ttft", "wall_clock", "time"]

    /// The metric a benchmark is shown by: the first of ``primaryPreference`` it has, else its
    /// first measured (non-deterministic) metric, else its first metric.
    public static func primary(of benchmark: Benchmark) -> Metric? {
        for name in primaryPreference {
            if let metric = benchmark.metric(named: name) { return metric }
        }
        return benchmark.metrics.first { !$0.deterministic } ?? benchmark.metrics.first
    }

    /// The metric a benchmark is shown by when only names are known (as in the history store):
    /// the first of ``primaryPreference`` present, else the first name in order.
    public static func primary(amongNames names: [String]) -> String? {
        primaryPreference.first { names.contains($0) } ?? names.first
    }

    /// The benchmark's request latency (`e2e` or `latency`) in a time unit: what the seed's
    /// "p95 < 1 s" target is about. Micro-benchmark timings (`wall_clock`, `time`) are not requests.
    public static func requestLatency(of benchmark: Benchmark) -> Metric? {
        for name in ["e2e", "latency"] {
            if let metric = benchmark.metric(named: name), secondsPerUnit(metric.unit) != nil { return metric }
        }
        return nil
    }

    /// The benchmark's latency metric in a time unit, if it has one.
    public static func latency(of benchmark: Benchmark) -> Metric? {
        for name in latencyNames {
            if let metric = benchmark.metric(named: name), secondsPerUnit(metric.unit) != nil { return metric }
        }
        return nil
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
    static func isAllocation(_ name: String) -> Bool {
        name == "allocations" || name == "allocated_bytes" || name.hasPrefix("allocations_") || name == "mallocs"
    }
}
