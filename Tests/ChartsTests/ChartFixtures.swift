import Foundation
import PerfAnalysis
import PerfCompare
import PerfReport

/// Reports and analyses for the chart tests, built in code.
enum ChartFixture {
    static let metadata = Metadata(
        createdAt: "2026-11-29T08:47:00Z",
        git: GitInfo(commit: "0123456789abcdef0123456789abcdef01234567", branch: "main"),
        host: HostInfo(hostname: "ci-1", os: "Debian", cpuModel: "Xeon", cores: 2, memoryBytes: 8 << 30)
    )

    /// `count` benchmarks; in the current run benchmark 0 is 40% slower and benchmark 1 40% faster.
    static func pair(count: Int, samples: Int = 12) -> (PerformanceReport, PerformanceReport) {
        func bench(_ i: Int, factor: Double) -> Benchmark {
            let base = 10 * Double(i + 1)
            let values = (0..<samples).map { base * factor * (1 + Double($0 % 4) * 0.01) }
            return Benchmark(
                name: "Suite/bench_\(i)",
                metrics: [
                    Metric(name: "e2e", unit: "ms", direction: .lowerIsBetter, samples: values)
                ]
            )
        }
        let baseline = PerformanceReport(metadata: metadata, benchmarks: (0..<count).map { bench($0, factor: 1) })
        let current = PerformanceReport(
            metadata: metadata,
            benchmarks: (0..<count).map { bench($0, factor: $0 == 0 ? 1.4 : ($0 == 1 ? 0.6 : 1)) },
            timeline: (0..<30).map {
                TimelinePoint(t: Double($0) * 0.5, values: ["cpu": 0.5 + Double($0 % 5) * 0.1, "rss_bytes": 7e7 + Double($0) * 1e6])
            }
        )
        return (baseline, current)
    }

    static func analysis(count: Int, withBaseline: Bool = true) throws -> AnalysisReport {
        let (baseline, current) = pair(count: count)
        return try ReportBuilder.build(
            current: current,
            currentSource: "current.json",
            baseline: withBaseline ? baseline : nil,
            baselineSource: withBaseline ? "baseline.json" : nil
        )
    }

    /// A trend of 20 runs that steps from 100 to 130 at run 10.
    static var steppedTrend: TrendSeries {
        let medians = (0..<20).map { ($0 < 10 ? 100.0 : 130.0) + Double($0 % 3) }
        let points = medians.enumerated().map {
            TrendPoint(
                commit: String(format: "%07x", 0xabc0000 + $0.offset) + "0123456789",
                branch: "main",
                time: "2026-11-\(10 + $0.offset)T00:00:00Z",
                median: $0.element
            )
        }
        return TrendSeries(
            benchmark: "Gateway/chat",
            metric: "e2e",
            unit: "ms",
            points: points,
            changes: [TrendChange(index: 10, commit: points[10].commit, medianBefore: 101, medianAfter: 131, pValue: 1e-9)]
        )
    }
}
