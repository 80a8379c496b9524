import PerfReport

/// One key performance indicator of the seed against its target.
public struct KPI: Sendable, Hashable, Codable {
    /// Whether the target is met.
    public enum Status: String, Sendable, Hashable, Codable {
        case pass, fail
        /// The report holds nothing to measure this KPI by.
        case noData = "no_data"
    }

    /// Short name: `p95 latency`, `error rate`, `throughput`, `CPU`, `memory`, `threads`.
    public var name: String
    /// The target in words, e.g. `< 1 s`.
    public var target: String
    /// The measured value in `unit`; `nil` with ``Status/noData``.
    public var measured: Double?
    public var unit: String
    public var status: Status
    /// Where the value comes from, naming the benchmark and metric
    /// (`worst of 3 benchmark(s): Gateway/chat e2e, p95 of 120 request(s)`), or why there is none.
    public var evidence: String
    /// The benchmark judged; `nil` for timeline KPIs and without data.
    public var benchmark: String?
    /// The metric (or timeline key) judged; `nil` without data.
    public var metric: String?

    /// Creates a KPI; `benchmark` and `metric` name what was judged.
    public init(
        name: String,
        target: String,
        measured: Double?,
        unit: String,
        status: Status,
        evidence: String,
        benchmark: String? = nil,
        metric: String? = nil
    ) {
        self.name = name
        self.target = target
        self.measured = measured
        self.unit = unit
        self.status = status
        self.evidence = evidence
        self.benchmark = benchmark
        self.metric = metric
    }

    /// A KPI the report holds nothing to measure by; `evidence` says why.
    static func noData(_ name: String, target: String, unit: String, evidence: String) -> KPI {
        KPI(name: name, target: target, measured: nil, unit: unit, status: .noData, evidence: evidence)
    }
}

/// The targets of the seed's KPI list: p95 < 1 s, throughput > 1000 req/s, error rate < 1%,
/// CPU < 80% average, memory < 90% of RAM, goroutines < 1000 (here: threads).
///
/// The seed's "Success Metrics" are stricter (errors < 0.1%, CPU < 70%, memory < 80%); they are the
/// default budgets `bench gate` enforces (performance-results/budgets.yml). The scorecard shows
/// the KPI list, as the seed's report does; docs/reports.md sets the two lists side by side.
public enum KPITargets {
    /// Which list of the seed the scorecard measures against, for headings.
    public static let source = "the seed's KPI list (bench gate enforces the stricter success metrics: docs/reports.md)"
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
    /// Peak threads below this count (the seed's "goroutines < 1000 active").
    public static let threads = 1000.0
    /// The benchmark group whose `throughput` is the gateway's own capacity (`bench --scenario capacity`).
    public static let capacityGroup = "capacity"

    /// The scorecard of `report`: each KPI measured at its worst over the benchmarks (throughput
    /// at its best, the sustained rate reached, from the capacity scenario when the report has it)
    /// and the resources over the timeline.
    public static func scorecard(_ report: PerformanceReport) -> [KPI] {
        [latency(report), errorRate(report), throughput(report), cpu(report), memory(report), threadCount(report)]
    }

    static func latency(_ report: PerformanceReport) -> KPI {
        let candidates = report.benchmarks.compactMap { b in MetricRoles.p95RequestLatency(of: b).map { (b.name, $0) } }
        guard let (name, worst) = candidates.max(by: { $0.1.seconds < $1.1.seconds }) else {
            return KPI.noData(
                "p95 latency",
                target: "< 1 s",
                unit: "s",
                evidence: "no benchmark has an end-to-end latency (e2e per request, or e2e_p95 per repetition) in a time unit"
            )
        }
        return KPI(
            name: "p95 latency",
            target: "< 1 s",
            measured: worst.seconds,
            unit: "s",
            status: worst.seconds < p95Seconds ? .pass : .fail,
            evidence: "worst of \(candidates.count) benchmark(s): \(name) \(worst.metric.name), \(worst.rule)",
            benchmark: name,
            metric: worst.metric.name
        )
    }

    static func errorRate(_ report: PerformanceReport) -> KPI {
        let candidates = report.benchmarks.compactMap { b in b.metric(named: "error_rate").map { (b.name, $0.summary.max) } }
        guard let worst = candidates.max(by: { $0.1 < $1.1 }) else {
            return KPI.noData(
                "error rate",
                target: "< 1%",
                unit: "ratio",
                evidence: "no benchmark has an error_rate metric (load and bench write one)"
            )
        }
        return KPI(
            name: "error rate",
            target: "< 1%",
            measured: worst.1,
            unit: "ratio",
            status: worst.1 < errorRate ? .pass : .fail,
            evidence: "worst of \(candidates.count) benchmark(s): \(worst.0) error_rate (highest sample)",
            benchmark: worst.0,
            metric: "error_rate"
        )
    }

    /// The capacity scenario's throughput when the report has it: the `throughput` scenario paces
    /// a simulated model, so its rate is the model's speed, not the gateway's.
    static func throughput(_ report: PerformanceReport) -> KPI {
        func reqPerSecond(_ benchmarks: [Benchmark]) -> [(String, Double, Int)] {
            benchmarks.compactMap { b in
                guard let metric = b.metric(named: "throughput"), metric.unit == "req/s" else { return nil }
                return (b.name, metric.summary.median, metric.summary.count)
            }
        }
        let capacity = reqPerSecond(report.benchmarks.filter(isCapacity))
        let candidates = capacity.isEmpty ? reqPerSecond(report.benchmarks) : capacity
        guard let best = candidates.max(by: { $0.1 < $1.1 }) else {
            return KPI.noData(
                "throughput",
                target: "> 1000 req/s",
                unit: "req/s",
                evidence: "no benchmark has a throughput metric in req/s (run `bench --scenario capacity` or `load`)"
            )
        }
        let which =
            capacity.isEmpty
            ? "no capacity benchmark in this report, so the highest of \(candidates.count) benchmark(s)"
            : "the gateway's capacity, highest of \(candidates.count) capacity benchmark(s)"
        return KPI(
            name: "throughput",
            target: "> 1000 req/s",
            measured: best.1,
            unit: "req/s",
            status: best.1 > throughput ? .pass : .fail,
            evidence: "\(which): \(best.0) throughput, median of \(best.2) sample(s)",
            benchmark: best.0,
            metric: "throughput"
        )
    }

    /// Whether `benchmark` belongs to the capacity scenario (`capacity` group, or a `capacity/…` name).
    public static func isCapacity(_ benchmark: Benchmark) -> Bool {
        benchmark.group == capacityGroup || benchmark.name.hasPrefix(capacityGroup + "/")
    }

    static func cpu(_ report: PerformanceReport) -> KPI {
        let readings = (report.timeline ?? []).compactMap { $0.values["cpu"] }
        guard !readings.isEmpty else {
            return KPI.noData(
                "CPU",
                target: "< 80% average",
                unit: "ratio",
                evidence: noTimeline("cpu", report)
            )
        }
        if let remote = remoteTimeline(report, lacking: "cores") {
            return KPI.noData("CPU", target: "< 80% average", unit: "ratio", evidence: remote)
        }
        let cores = Double(report.metadata.host?.cores ?? 1)
        let average = readings.reduce(0, +) / Double(readings.count) / Swift.max(cores, 1)
        let of = report.metadata.host?.cores.map { "\($0) cores" } ?? "1 core (host cores unknown)"
        return KPI(
            name: "CPU",
            target: "< 80% average",
            measured: average,
            unit: "ratio",
            status: average < cpuFraction ? .pass : .fail,
            evidence: "mean of \(readings.count) timeline cpu readings over \(of)",
            metric: "cpu"
        )
    }

    static func memory(_ report: PerformanceReport) -> KPI {
        let readings = (report.timeline ?? []).compactMap { $0.values["rss_bytes"] }
        guard let peak = readings.max() else {
            return KPI.noData(
                "memory",
                target: "< 90% of RAM",
                unit: "ratio",
                evidence: noTimeline("rss_bytes", report)
            )
        }
        if let remote = remoteTimeline(report, lacking: "RAM") {
            return KPI.noData("memory", target: "< 90% of RAM", unit: "ratio", evidence: remote)
        }
        guard let total = report.metadata.host?.memoryBytes, total > 0 else {
            return KPI.noData(
                "memory",
                target: "< 90% of RAM",
                unit: "ratio",
                evidence: "peak RSS \(AnalysisReport.display(peak, unit: "B")), but the report does not record the host's memory_bytes"
            )
        }
        let fraction = peak / Double(total)
        return KPI(
            name: "memory",
            target: "< 90% of RAM",
            measured: fraction,
            unit: "ratio",
            status: fraction < memoryFraction ? .pass : .fail,
            evidence: "peak rss_bytes of \(readings.count) timeline readings over \(AnalysisReport.display(Double(total), unit: "B")) of RAM",
            metric: "rss_bytes"
        )
    }

    /// The seed's "goroutines < 1000 active": Swift has no goroutines, and its tasks run on a
    /// fixed pool, so the count that can run away is the process's threads.
    static func threadCount(_ report: PerformanceReport) -> KPI {
        let readings = (report.timeline ?? []).compactMap { $0.values["threads"] }
        guard let peak = readings.max() else {
            return KPI.noData(
                "threads",
                target: "< 1000 (seed: goroutines)",
                unit: "count",
                evidence: noTimeline("threads", report)
            )
        }
        return KPI(
            name: "threads",
            target: "< 1000 (seed: goroutines)",
            measured: peak,
            unit: "count",
            status: peak < threads ? .pass : .fail,
            evidence: "peak threads of \(readings.count) timeline readings (the seed counts goroutines; Swift's tasks run on a fixed thread pool)",
            metric: "threads"
        )
    }

    /// Why a timeline KPI has no data: no readings of `key`, and the report's own reason when it
    /// gives one (`load` labels a run whose target serves no process metrics).
    static func noTimeline(_ key: String, _ report: PerformanceReport) -> String {
        let why = report.metadata.timelineSource.flatMap { $0.hasPrefix("none: ") ? String($0.dropFirst(6)) : nil }
        return "the report has no timeline with \(key) readings" + (why.map { ": \($0)" } ?? "")
    }

    /// Why a fraction of the host cannot be judged when the timeline measures a process on another
    /// machine (`load` against a remote target); `nil` when the timeline is the host's.
    static func remoteTimeline(_ report: PerformanceReport, lacking what: String) -> String? {
        guard !report.metadata.timelineIsOnHost else { return nil }
        let source = report.metadata.timelineSource ?? "the timeline"
        return "\(source) is on another machine than the report's host, whose \(what) it does not share: no fraction is judged"
    }
}
