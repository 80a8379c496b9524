import Benchmark
import Foundation
import PerfStats

/// The judging side's hot paths: the Mann-Whitney U test on large samples and importing a
/// large report (what `compare` spends its time on).
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .instructions, .peakMemoryResident, .throughput],
        maxDuration: .seconds(3),
        maxIterations: 10_000
    )

    for size in [1_000, 10_000] {
        Benchmark("Mann-Whitney U \(size) vs \(size) samples") { (benchmark: Benchmark, samples: ([Double], [Double])) in
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
            blackHole(importReport(data))
        }
    } setup: {
        largeReport(benchmarks: 1_000, samples: 100)
    }
}
