import Foundation
import PerfReport
import PerfStats

// Kept apart from ReportBenchmarks.swift: PerfReport's `Benchmark` would clash with package-benchmark's.

/// Parses a report as `compare` does (format detection, validation); `nil` on error.
func importReport(_ data: Data) -> PerformanceReport? {
    try? PerformanceReport.parse(data, source: "large.json")
}

/// A report like a big CI run, encoded as the report writer encodes it's: `benchmarks` benchmarks with a time and an allocation metric.
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
                        name: "time",
                        unit: "ns",
                        direction: .lowerIsBetter,
                        samples: (0..<samples).map { _ in center * (1 + 0.03 * random.nextGaussian()) }
                    ),
                    Metric(
                        name: "allocations",
                        unit: "count",
                        direction: .lowerIsBetter,
                        deterministic: true,
                        samples: Array(repeating: Double(10 + index % 5), count: samples)
                    ),
                ]
            )
        }
    )
    let encoder = JSONEncoder()
    // As PerformanceReport.write(to:) writes it: `/` unescaped, which the fast decoder needs.
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return (try? encoder.encode(report)) ?? Data()
}
