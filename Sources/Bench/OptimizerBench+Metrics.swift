import LoadGenerator
import OllamaAPI
import Optimizer
import PerfReport
import PerfStats

extension OptimizerBench {
    /// One variant's benchmark, a sample per repetition in each metric.
    ///
    /// Every variant: `goodput` (share of the measured requests whose TTFT met the SLO; shed and
    /// failed ones count as missed), `goodput_per_second`, `admitted_goodput` (the same share of
    /// the requests not shed), `throughput` (successes/s), `ttft_p50`, `ttft_p95` (s),
    /// `error_rate`, `shed_share` (503 within 0.2 s), and per node `peak_in_flight_node_<i>` (the
    /// most requests the node held at once, slots and its own queue) with `peak_over_slots`
    /// (the largest peak minus that node's slots, over the nodes). Every variant but the first:
    /// `goodput_ratio` and `ttft_p95_ratio` against the first variant of the same repetition.
    /// Adaptive variants of a comparison with several static ones: `goodput_vs_best_static`
    /// (against the static variant with the best median goodput). Adaptive variants: per node
    /// `limit_at_change_node_<i>`, `lowest_limit_after_change_node_<i>` and `limit_node_<i>`
    /// (at the end). Tags: the rate, the SLO and the nodes' hidden slots.
    static func benchmark(
        name: String,
        group: String,
        variant: OptimizerComparison.Variant,
        runs: [OptimizerRunResult],
        comparison: OptimizerComparison,
        baseline: [OptimizerRunResult]?,
        bestStatic: [OptimizerRunResult]?,
        nodes slots: [Int]
    ) -> Benchmark {
        let slo = comparison.slo
        var metrics: [Metric] = []
        func add(_ metric: String, _ unit: String, _ direction: Direction, _ samples: [Double?]) {
            let values = samples.compactMap { $0 }
            guard values.count == runs.count, !values.isEmpty else { return }
            metrics.append(Metric(name: metric, unit: unit, direction: direction, samples: values))
        }
        func percentile(_ run: OptimizerRunResult, _ p: Double) -> Double? {
            let ttft = run.successes.compactMap(\.ttft).sorted()
            return ttft.isEmpty ? nil : Stats.percentile(ttft, p)
        }
        /// `value` of each run over `value` of the same repetition's run in `others`.
        func ratio(_ others: [OptimizerRunResult]?, _ value: (OptimizerRunResult) -> Double?) -> [Double?] {
            guard let others, others.count == runs.count else { return [] }
            return zip(runs, others).map { run, other in
                guard let a = value(run), let b = value(other), b > 0 else { return nil }
                return a / b
            }
        }
        add("goodput", "ratio", .higherIsBetter, runs.map { $0.goodput(slo) })
        add("goodput_per_second", "req/s", .higherIsBetter, runs.map { $0.goodputPerSecond(slo) })
        add("admitted_goodput", "ratio", .higherIsBetter, runs.map { $0.admittedGoodput(slo) })
        add("throughput", "req/s", .higherIsBetter, runs.map(\.throughput))
        add("ttft_p50", "s", .lowerIsBetter, runs.map { percentile($0, 50) })
        add("ttft_p95", "s", .lowerIsBetter, runs.map { percentile($0, 95) })
        add("error_rate", "ratio", .lowerIsBetter, runs.map(\.errorRate))
        add("shed_share", "ratio", .lowerIsBetter, runs.map(\.shedShare))
        if variant != comparison.baseline {
            add("goodput_ratio", "ratio", .higherIsBetter, ratio(baseline) { $0.goodput(slo) })
            add("ttft_p95_ratio", "ratio", .lowerIsBetter, ratio(baseline) { percentile($0, 95) })
        }
        if variant.level != .off {
            add("goodput_vs_best_static", "ratio", .higherIsBetter, ratio(bestStatic) { $0.goodput(slo) })
        }
        for index in slots.indices {
            let node = "node-\(index)"
            add("peak_in_flight_node_\(index)", "requests", .lowerIsBetter, runs.map { $0.peakNodeInFlight[node].map(Double.init) })
            guard variant.level != .off else { continue }
            add("limit_at_change_node_\(index)", "requests", .higherIsBetter, runs.map { $0.limitsAtChange[node].map(Double.init) })
            add(
                "lowest_limit_after_change_node_\(index)",
                "requests",
                .higherIsBetter,
                runs.map { $0.lowestLimitsAfterChange[node].map(Double.init) }
            )
            add("limit_node_\(index)", "requests", .higherIsBetter, runs.map { $0.limitsAtEnd[node].map(Double.init) })
        }
        add(
            "peak_over_slots",
            "requests",
            .lowerIsBetter,
            runs.map { run in
                slots.indices.compactMap { index in run.peakNodeInFlight["node-\(index)"].map { Double($0 - slots[index]) } }.max()
            }
        )
        let requests = runs.reduce(0) { $0 + $1.results.count }
        let tags = [
            "requests=\(requests)",
            "max_in_flight=\(variant.maxInFlight)",
            "slo_ttft_seconds=\(slo.ttft.map { "\($0.inSeconds)" } ?? "-")",
            "slots=" + slots.map(String.init).joined(separator: ","),
        ]
        return Benchmark(name: name, group: group, tags: tags, metrics: metrics)
    }
}
