import Foundation
import LoadGenerator
import NodeSimulator
import Optimizer
import PerfReport
import PerfStats

/// Plays an optimizer scenario: every repetition runs each variant of its
/// ``OptimizerComparison`` once (the order rotating per repetition, so a drift of the machine
/// hits every variant alike), and each variant becomes one benchmark with a sample per repetition.
struct OptimizerBench: Sendable {
    let scenario: Scenario
    let comparison: OptimizerComparison
    let options: BenchOptions
    let threads: Int
    let log: @Sendable (String) -> Void

    /// The benchmark name of a variant: `<scenario>/<variant>/nodes=N/threads=T`.
    static func benchmarkName(_ scenario: Scenario, _ variant: OptimizerComparison.Variant, nodes: Int, threads: Int) -> String {
        "\(scenario.name)/\(variant.name)/nodes=\(nodes)/threads=\(threads)"
    }

    /// One variant's measured run: `--duration` times the comparison's factor; its warm-up is half as long.
    var measured: Duration { options.duration * comparison.durationFactor }
    var warmup: Duration { measured / 2 }

    /// Every variant's benchmark; a variant whose run threw fails alone.
    func run() async -> (benchmarks: [Benchmark], failures: [BenchFailure]) {
        let nodes = (0..<scenario.fixedNodes).map { scenario.node($0, scenario.fixedNodes) }
        let variants = comparison.variants
        var runs: [[OptimizerRunResult]] = Array(repeating: [], count: variants.count)
        var failures: [BenchFailure] = []
        var failed: Set<Int> = []
        for repetition in 0..<options.count {
            for step in variants.indices {
                let index = (step + repetition) % variants.count
                guard !failed.contains(index) else { continue }
                let variant = variants[index]
                let name = Self.benchmarkName(scenario, variant, nodes: nodes.count, threads: threads)
                let run = OptimizerRun(
                    comparison: comparison,
                    variant: variant,
                    nodes: nodes,
                    measured: measured,
                    warmup: warmup,
                    requestTimeout: options.requestTimeout,
                    threads: threads
                )
                do {
                    let result = try await run.run()
                    runs[index].append(result)
                    log(Self.line(name: name, result, slo: comparison.slo, index: repetition, of: options.count))
                } catch {
                    log("\(name): FAILED: \(error)")
                    failures.append(BenchFailure(benchmark: name, message: "\(error)"))
                    failed.insert(index)
                }
            }
        }
        let measuredRuns = variants.indices.filter { !failed.contains($0) }
        let benchmarks = measuredRuns.map { index in
            Self.benchmark(
                name: Self.benchmarkName(scenario, variants[index], nodes: nodes.count, threads: threads),
                group: scenario.name,
                variant: variants[index],
                runs: runs[index],
                comparison: comparison,
                baseline: failed.contains(0) ? nil : runs[0],
                bestStatic: Self.bestStatic(variants: variants, runs: runs, failed: failed, slo: comparison.slo),
                nodes: nodes.map(\.limits.numParallel)
            )
        }
        return (benchmarks, failures)
    }

    /// The runs of the `off` variant with the highest median goodput: the hand-tuned static limit.
    static func bestStatic(
        variants: [OptimizerComparison.Variant],
        runs: [[OptimizerRunResult]],
        failed: Set<Int>,
        slo: SLO
    ) -> [OptimizerRunResult]? {
        let statics = variants.indices.filter { variants[$0].level == .off && !failed.contains($0) && !runs[$0].isEmpty }
        guard statics.count > 1 else { return nil }
        return statics.map { runs[$0] }.max { a, b in median(a.map { $0.goodput(slo) }) < median(b.map { $0.goodput(slo) }) }
    }

    static func median(_ values: [Double]) -> Double {
        values.isEmpty ? 0 : Stats.percentile(values.sorted(), 50)
    }

    /// One progress line.
    static func line(name: String, _ run: OptimizerRunResult, slo: SLO, index: Int, of count: Int) -> String {
        let ttft = run.successes.compactMap(\.ttft).sorted()
        var parts = [
            String(format: "goodput %.3f (%.1f/s)", run.goodput(slo), run.goodputPerSecond(slo)),
            String(format: "ttft p95 %.0f ms", (ttft.isEmpty ? 0 : Stats.percentile(ttft, 95)) * 1000),
            String(format: "%.1f req/s", run.throughput),
            String(format: "errors %.1f%%", run.errorRate * 100),
            String(format: "shed %.1f%%", run.shedShare * 100),
        ]
        if !run.limitsAtEnd.isEmpty {
            let limits = run.limitsAtEnd.keys.sorted().map { node in
                "\(node) \(run.limitsAtChange[node].map(String.init) ?? "-")->\(run.limitsAtEnd[node] ?? 0)"
            }
            parts.append("limits " + limits.joined(separator: ", "))
            parts.append("decisions " + run.decisionCounts.keys.sorted().map { "\($0) \(run.decisionCounts[$0] ?? 0)" }.joined(separator: ", "))
        }
        let peaks = run.peakNodeInFlight.keys.sorted().map { "\($0) \(run.peakNodeInFlight[$0] ?? 0)" }
        parts.append("peak in flight " + peaks.joined(separator: ", "))
        return "\(name) [\(index + 1)/\(count)]: " + parts.joined(separator: ", ")
    }
}

extension OptimizerRunResult {
    var successes: [RequestResult] { results.filter(\.succeeded) }

    /// Share of the measured requests that met `slo` (all of them count, shed ones too).
    func goodput(_ slo: SLO) -> Double {
        guard !results.isEmpty else { return 0 }
        return Double(results.filter { slo.isMet(by: $0) }.count) / Double(results.count)
    }

    /// Requests per second that met `slo`.
    func goodputPerSecond(_ slo: SLO) -> Double {
        measuredSeconds > 0 ? Double(results.filter { slo.isMet(by: $0) }.count) / measuredSeconds : 0
    }

    /// Share of the requests not shed that met `slo`: how well the admitted ones were served.
    func admittedGoodput(_ slo: SLO) -> Double {
        let admitted = results.filter { !Self.isShed($0) }
        return admitted.isEmpty ? 0 : Double(admitted.filter { slo.isMet(by: $0) }.count) / Double(admitted.count)
    }

    /// Successful requests per second.
    var throughput: Double { measuredSeconds > 0 ? Double(successes.count) / measuredSeconds : 0 }

    var errorRate: Double { results.isEmpty ? 0 : Double(results.count - successes.count) / Double(results.count) }

    /// Share of the requests refused fast: 503 within ``shedBound`` of their intended start.
    var shedShare: Double { results.isEmpty ? 0 : Double(results.filter(Self.isShed).count) / Double(results.count) }

    /// A refusal counts as fast (shed) when it came within this long: the gateway's 503 for a
    /// full queue is immediate; a queue timeout's comes after the queue timeout, at least the
    /// scenarios' 0.25 s (``Scenario/optimizerQueueTimeout``).
    static let shedBound = 0.2

    static func isShed(_ result: RequestResult) -> Bool {
        result.status == 503 && result.endToEnd <= shedBound
    }
}
