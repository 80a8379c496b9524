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

    /// One progress line.
    func line(name: String, index: Int, of count: Int) -> String {
        var parts = [
            String(format: "%.1f req/s", gateway.summary.requestThroughput),
            String(format: "p95 %.1f ms", percentile(successes.map(\.endToEnd), 95) * 1000),
            String(format: "errors %.2f%%", errorRate * 100),
            String(format: "cpu %.0f%%", cpuUtilization * 100),
        ]
        if let direct, let ttft = ratio(successes.compactMap(\.ttft), direct.results.filter(\.succeeded).compactMap(\.ttft)) {
            parts.append(String(format: "ttft x%.2f vs direct", ttft))
        }
        return "\(name) [\(index + 1)/\(count)]: " + parts.joined(separator: ", ")
    }
}

/// The numpy-style percentile of `values` (0 when empty).
func percentile(_ values: [Double], _ p: Double) -> Double {
    values.isEmpty ? 0 : Stats.percentile(values.sorted(), p)
}

/// Median of `a` over median of `b`, when both have values and `b`'s median is positive.
func ratio(_ a: [Double], _ b: [Double]) -> Double? {
    guard !a.isEmpty, !b.isEmpty else { return nil }
    let denominator = percentile(b, 50)
    return denominator > 0 ? percentile(a, 50) / denominator : nil
}

extension BenchRunner {
    /// One benchmark with one sample per repetition in each metric.
    ///
    /// Every configuration: `throughput` (req/s, higher is better), `latency_p50` and
    /// `latency_p95` (end to end, s), `error_rate`, `cpu_utilization` (share of all cores, whole
    /// process), `cpu_per_request` (ms of CPU per successful request), `peak_rss` (B). Streaming:
    /// `ttft_p50`, `ttft_p95`, `itl_p50` (s). Measured against the node directly: `ttft_ratio` and
    /// `itl_ratio` (gateway median / direct median). Routing: `first_node_share` (higher).
    static func benchmark(name: String, scenario: Scenario, repetitions: [Repetition]) -> Benchmark {
        var metrics: [Metric] = []
        func add(_ metric: String, _ unit: String, _ direction: Direction, _ value: (Repetition) -> Double?) {
            let samples = repetitions.compactMap(value)
            guard samples.count == repetitions.count, !samples.isEmpty else { return }
            metrics.append(Metric(name: metric, unit: unit, direction: direction, samples: samples))
        }
        add("throughput", "req/s", .higherIsBetter) { $0.gateway.summary.requestThroughput }
        add("latency_p50", "s", .lowerIsBetter) { percentile($0.successes.map(\.endToEnd), 50) }
        add("latency_p95", "s", .lowerIsBetter) { percentile($0.successes.map(\.endToEnd), 95) }
        if scenario.load.stream {
            add("ttft_p50", "s", .lowerIsBetter) { percentile($0.successes.compactMap(\.ttft), 50) }
            add("ttft_p95", "s", .lowerIsBetter) { percentile($0.successes.compactMap(\.ttft), 95) }
            add("itl_p50", "s", .lowerIsBetter) { percentile($0.successes.compactMap(\.meanGap), 50) }
        }
        if scenario.measureDirect {
            add("ttft_ratio", "ratio", .lowerIsBetter) { repetition in
                repetition.direct.flatMap { direct in
                    ratio(repetition.successes.compactMap(\.ttft), direct.results.filter(\.succeeded).compactMap(\.ttft))
                }
            }
            add("itl_ratio", "ratio", .lowerIsBetter) { repetition in
                repetition.direct.flatMap { direct in
                    ratio(repetition.successes.compactMap(\.meanGap), direct.results.filter(\.succeeded).compactMap(\.meanGap))
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
