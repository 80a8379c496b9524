import PerfReport

/// One key performance indicator of the seed against its target.
public struct KPI: Sendable, Hashable, Codable {
    /// Whether the target is met.
    public enum Status: String, Sendable, Hashable, Codable {
        case pass, fail
        /// The report holds nothing to measure this KPI by.
        case noData = "no_data"
    }

    /// Short name: `p95 latency`, `error rate`, `throughput`, `CPU`, `memory`.
    public var name: String
    /// The target in words, e.g. `< 1 s`.
    public var target: String
    /// The measured value in `unit`; `nil` with ``Status/noData``.
    public var measured: Double?
    public var unit: String
    public var status: Status
    /// Where the value comes from (`worst of 3 benchmarks: Gateway/chat e2e`), or why there is none.
    public var evidence: String
}

/// The seed's targets: p95 < 1 s, error rate < 1%, throughput > 1000 req/s, CPU < 80%, memory < 90%.
public enum KPITargets {
    /// p95 request latency below this many seconds.
    public static let p95Seconds = 1.0
    /// Error rate below this fraction.
    public static let errorRate = 0.01
    /// Throughput above this many requests per second.
    public static let throughput = 1000.0
    /// Mean CPU below this fraction of the cores.
    public static let cpuFraction = 0.80
    /// Peak RSS below this fraction of the host's memory.
    public static let memoryFraction = 0.90

    /// The scorecard of `report`: each KPI measured at its worst over the benchmarks (throughput
    /// at its best, the sustained rate reached) and the resources over the timeline.
    public static func scorecard(_ report: PerformanceReport) -> [KPI] {
        [latency(report), errorRate(report), throughput(report), cpu(report), memory(report)]
    }

    static func latency(_ report: PerformanceReport) -> KPI {
        let candidates = report.benchmarks.compactMap { benchmark -> (String, Double)? in
            guard let metric = MetricRoles.requestLatency(of: benchmark), let scale = MetricRoles.secondsPerUnit(metric.unit) else {
                return nil
            }
            return ("\(benchmark.name) \(metric.name)", metric.summary.p95 * scale)
        }
        guard let worst = candidates.max(by: { $0.1 < $1.1 }) else {
            return KPI(name: "p95 latency", target: "< 1 s", measured: nil, unit: "s", status: .noData,
                       evidence: "no benchmark has a request latency metric (e2e or latency) in a time unit")
        }
        return KPI(name: "p95 latency", target: "< 1 s", measured: worst.1, unit: "s",
                   status: worst.1 < p95Seconds ? .pass : .fail,
                   evidence: "worst of \(candidates.count) benchmark(s): \(worst.0)")
    }

    static func errorRate(_ report: PerformanceReport) -> KPI {
        let candidates = report.benchmarks.compactMap { b in b.metric(named: "error_rate").map { (b.name, $0.summary.max) } }
        guard let worst = candidates.max(by: { $0.1 < $1.1 }) else {
            return KPI(name: "error rate", target: "< 1%", measured: nil, unit: "ratio", status: .noData,
                       evidence: "no benchmark has an error_rate metric (load tests write one)")
        }
        return KPI(name: "error rate", target: "< 1%", measured: worst.1, unit: "ratio",
                   status: worst.1 < errorRate ? .pass : .fail, evidence: "worst of \(candidates.count) benchmark(s): \(worst.0)")
    }

    static func throughput(_ report: PerformanceReport) -> KPI {
        let candidates = report.benchmarks.compactMap { b -> (String, Double)? in
            guard let metric = b.metric(named: "throughput"), metric.unit == "req/s" else { return nil }
            return (b.name, metric.summary.median)
        }
        guard let best = candidates.max(by: { $0.1 < $1.1 }) else {
            return KPI(name: "throughput", target: "> 1000 req/s", measured: nil, unit: "req/s", status: .noData,
                       evidence: "no benchmark has a throughput metric in req/s")
        }
        return KPI(name: "throughput", target: "> 1000 req/s", measured: best.1, unit: "req/s",
                   status: best.1 > throughput ? .pass : .fail, evidence: "highest of \(candidates.count) benchmark(s): \(best.0)")
    }

    static func cpu(_ report: PerformanceReport) -> KPI {
        let readings = (report.timeline ?? []).compactMap { $0.values["cpu"] }
        guard !readings.isEmpty else {
            return KPI(name: "CPU", target: "< 80% average", measured: nil, unit: "ratio", status: .noData,
                       evidence: "the report has no timeline with cpu readings")
        }
        let cores = Double(report.metadata.host?.cores ?? 1)
        let average = readings.reduce(0, +) / Double(readings.count) / Swift.max(cores, 1)
        let of = report.metadata.host?.cores.map { "\($0) cores" } ?? "1 core (host cores unknown)"
        return KPI(name: "CPU", target: "< 80% average", measured: average, unit: "ratio",
                   status: average < cpuFraction ? .pass : .fail, evidence: "mean of \(readings.count) timeline readings over \(of)")
    }

    static func memory(_ report: PerformanceReport) -> KPI {
        let readings = (report.timeline ?? []).compactMap { $0.values["rss_bytes"] }
        guard let peak = readings.max() else {
            return KPI(name: "memory", target: "< 90% of RAM", measured: nil, unit: "ratio", status: .noData,
                       evidence: "the report has no timeline with rss_bytes readings")
        }
        guard let total = report.metadata.host?.memoryBytes, total > 0 else {
            return KPI(name: "memory", target: "< 90% of RAM", measured: nil, unit: "ratio", status: .noData,
                       evidence: "peak RSS \(AnalysisReport.display(peak, unit: "B")), but the report does not record the host's memory_bytes")
        }
        let fraction = peak / Double(total)
        return KPI(name: "memory", target: "< 90% of RAM", measured: fraction, unit: "ratio",
                   status: fraction < memoryFraction ? .pass : .fail,
                   evidence: "peak rss_bytes of \(readings.count) timeline readings over \(AnalysisReport.display(Double(total), unit: "B")) of RAM")
    }
}
