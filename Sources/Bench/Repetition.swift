import Foundation
import LoadGenerator
import PerfReport
import PerfStats

/// What one repetition of a configuration measured.
struct Repetition: Sendable {
    var gateway: LoadSummaryWithResults
    var direct: LoadSummaryWithResults?
    var wallSeconds: Double
    /// CPU seconds the whole process used during the gateway run.
    var cpuSeconds: Double
    /// Highest resident set size read during the gateway run, bytes.
    var peakRSS: Double
    /// Share of the requests the gateway sent to node 0.
    var firstNodeShare: Double
    var cores: Double = 1

    var successes: [RequestResult] { gateway.results.filter(\.succeeded) }

    /// The fraction of the machine's cores the process used.
    var cpuUtilization: Double { wallSeconds > 0 ? cpuSeconds / (wallSeconds * cores) : 0 }

    var errorRate: Double {
        gateway.summary.requests > 0 ? Double(gateway.summary.failed) / Double(gateway.summary.requests) : 0
    }

    /// The successful requests' end-to-end latencies, ascending (seconds).
    var e2e: [Double] { successes.map(\.endToEnd).sorted() }
    /// The successful requests' times to first token, ascending (seconds; streaming only).
    var ttft: [Double] { successes.compactMap(\.ttft).sorted() }
    /// The successful requests' mean inter-token gaps, ascending (seconds; streaming only).
    var itl: [Double] { successes.compactMap(\.meanGap).sorted() }

    /// One progress line.
    func line(name: String, index: Int, of count: Int) -> String {
        let sorted = e2e
        var parts = [
            String(format: "%.1f req/s", gateway.summary.requestThroughput),
            String(format: "p95 %.1f ms", (sorted.isEmpty ? 0 : Stats.percentile(sorted, 95)) * 1000),
            String(format: "errors %.2f%%", errorRate * 100),
            String(format: "cpu %.0f%%", cpuUtilization * 100),
        ]
        if let direct, let ttft = medianRatio(ttft, direct.results.filter(\.succeeded).compactMap(\.ttft).sorted()) {
            parts.append(String(format: "ttft x%.2f vs direct", ttft))
        }
        return "\(name) [\(index + 1)/\(count)]: " + parts.joined(separator: ", ")
    }
}

/// Median of ascending `a` over median of ascending `b`, when both have values and `b`'s median is positive.
func medianRatio(_ a: [Double], _ b: [Double]) -> Double? {
    guard !a.isEmpty, !b.isEmpty else { return nil }
    let denominator = Stats.percentile(b, 50)
    return denominator > 0 ? Stats.percentile(a, 50) / denominator : nil
}

extension BenchRunner {
    /// The percentiles each repetition records of its requests' latencies: `<base>_p<NN>`.
    static let latencyPercentiles: [Int] = [50, 95, 99]

    /// One benchmark with one sample per repetition in each metric.
    ///
    /// Names follow the one naming rule (``MetricName``): `<base>_p<NN>` is the NN-th percentile
    /// of one repetition's requests. Every configuration: `throughput` (req/s, higher is better),
    /// `e2e_p50`, `e2e_p95`, `e2e_p99` (end to end, s), `error_rate`, `cpu_utilization` (share of
    /// all cores, whole process), `cpu_per_request` (ms of CPU per successful request),
    /// `peak_rss` (B). Streaming: `ttft_p50`, `ttft_p95`, `ttft_p99`, `itl_p50` (s). Measured
    /// against the node directly: `ttft_ratio` and `itl_ratio` (gateway median / direct median).
    /// Routing: `first_node_share` (higher).
    static func benchmark(name: String, scenario: Scenario, repetitions: [Repetition]) -> Benchmark {
        var metrics: [Metric] = []
        func add(_ metric: String, _ unit: String, _ direction: Direction, _ value: (Repetition) -> Double?) {
            let samples = repetitions.compactMap(value)
            guard samples.count == repetitions.count, !samples.isEmpty else { return }
            metrics.append(Metric(name: metric, unit: unit, direction: direction, samples: samples))
        }
        /// The NN-th percentile of each repetition's `values` (ascending); none when a repetition has no values.
        func addPercentile(_ base: String, _ p: Int, _ values: (Repetition) -> [Double]) {
            add("\(base)_p\(p)", "s", .lowerIsBetter) { repetition in
                let sorted = values(repetition)
                return sorted.isEmpty ? nil : Stats.percentile(sorted, Double(p))
            }
        }
        add("throughput", "req/s", .higherIsBetter) { $0.gateway.summary.requestThroughput }
        for p in latencyPercentiles { addPercentile("e2e", p, \.e2e) }
        if scenario.load.stream {
            for p in latencyPercentiles { addPercentile("ttft", p, \.ttft) }
            addPercentile("itl", 50, \.itl)
        }
        if scenario.measureDirect {
            add("ttft_ratio", "ratio", .lowerIsBetter) { repetition in
                repetition.direct.flatMap { direct in
                    medianRatio(repetition.ttft, direct.results.filter(\.succeeded).compactMap(\.ttft).sorted())
                }
            }
            add("itl_ratio", "ratio", .lowerIsBetter) { repetition in
                repetition.direct.flatMap { direct in
                    medianRatio(repetition.itl, direct.results.filter(\.succeeded).compactMap(\.meanGap).sorted())
                }
            }
        }
        if scenario.reportFirstNodeShare {
            add("first_node_share", "ratio", .higherIsBetter) { $0.firstNodeShare }
        }
        add("error_rate", "ratio", .lowerIsBetter) { $0.errorRate }
        add("cpu_utilization", "ratio", .lowerIsBetter) { $0.cpuUtilization }
        add("cpu_per_request", "ms", .lowerIsBetter) { repetition in
            repetition.successes.isEmpty ? nil : repetition.cpuSeconds * 1000 / Double(repetition.successes.count)
        }
        add("peak_rss", "B", .lowerIsBetter) { $0.peakRSS }
        let requests = repetitions.reduce(0) { $0 + $1.gateway.summary.requests }
        return Benchmark(name: name, group: scenario.name, tags: ["requests=\(requests)"], metrics: metrics)
    }

    /// `scaling_efficiency` of an `n`-node benchmark: its throughput over `n` times the one-node
    /// throughput, repetition by repetition (1.0 is linear scaling; higher is better).
    static func scalingEfficiency(_ benchmark: Benchmark, over single: Benchmark, nodes: Int) -> [Metric] {
        guard let many = benchmark.metric(named: "throughput")?.samples, let one = single.metric(named: "throughput")?.samples,
            many.count == one.count
        else { return [] }
        let samples = zip(many, one).map { $1 > 0 ? $0 / ($1 * Double(nodes)) : 0 }
        return [Metric(name: "scaling_efficiency", unit: "ratio", direction: .higherIsBetter, samples: samples)]
    }
}
