import Benchmark
import Foundation
import PerfReport
import PerfStats

/// The judging side's hot paths: the Mann-Whitney U test on large samples and importing a
/// large report (what `compare` spends its time on).
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .instructions, .peakMemoryResident, .throughput],
        maxDuration: .seconds(3), maxIterations: 10_000)

    for size in [1_000, 10_000] {
        Benchmark("Mann-Whitney U \(size) vs \(size) samples") { benchmark, samples in
            for _ in benchmark.scaledIterations {
                blackHole(try? Stats.mannWhitneyU(samples.0, samples.1))
            }
        } setup: {
            var random = SplitMix64(seed: 7)
            let x = (0..<size).map { _ in 100 * (1 + 0.05 * random.nextGaussian()) }
            let y = (0..<size).map { _ in 102 * (1 + 0.05 * random.nextGaussian()) }
            return (x, y)
        }
    }

    Benchmark("import report 1000 benchmarks x 100 samples") { benchmark, data in
        for _ in benchmark.scaledIterations {
            blackHole(try? PerformanceReport.parse(data, source: "large.json"))
        }
    } setup: {
        largeReport(benchmarks: 1_000, samples: 100)
    }
}

/// A report like a big CI run's: `benchmarks` benchmarks with a time and an allocation metric.
func largeReport(benchmarks: Int, samples: Int) -> Data {
    var random = SplitMix64(seed: 11)
    let report = PerformanceReport(
        metadata: Metadata(createdAt: "2026-12-01T00:00:00Z"),
        benchmarks: (0..<benchmarks).map { index in
            let center = Double(1000 * (1 + index % 17))
            return Benchmark(
                name: "Bench/\(index)",
                metrics: [
                    Metric(
                        name: "time", unit: "ns", direction: .lowerIsBetter,
                        samples: (0..<samples).map { _ in center * (1 + 0.03 * random.nextGaussian()) }),
                    Metric(
                        name: "allocations", unit: "count", direction: .lowerIsBetter, deterministic: true,
                        samples: Array(repeating: Double(10 + index % 5), count: samples)),
                ])
        })
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return (try? encoder.encode(report)) ?? Data()
}
