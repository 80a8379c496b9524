import Foundation
import PerfAnalysis
import PerfReport
import Testing

@testable import Charts

/// `performance_trends` with fewer than two runs in history: this run's samples in recorded order.
struct TrendSamplesTests {
    /// A `bench`-like report: two configurations, four repetitions each.
    static func benchAnalysis() throws -> AnalysisReport {
        let benchmarks = ["throughput/nodes=1/threads=2", "streaming/nodes=1/threads=2"].enumerated().map { i, name in
            Benchmark(
                name: name,
                metrics: [
                    Metric(name: "throughput", unit: "req/s", direction: .higherIsBetter, samples: [40, 41, 42, 43]),
                    Metric(name: "e2e_p50", unit: "s", direction: .lowerIsBetter, samples: [0.10, 0.12, 0.11, 0.13].map { $0 * Double(i + 1) }),
                    Metric(name: "e2e_p95", unit: "s", direction: .lowerIsBetter, samples: [0.20, 0.24, 0.22, 0.26].map { $0 * Double(i + 1) }),
                ]
            )
        }
        return try ReportBuilder.build(current: PerformanceReport(metadata: ChartFixture.metadata, benchmarks: benchmarks), currentSource: "b.json")
    }

    @Test func withoutHistoryTheTrendsChartDrawsEachRepetitionInOrder() throws {
        let set = ChartSet(report: try Self.benchAnalysis(), trends: [], trendsNote: "No history database at none.sqlite")
        let tree = try SVGTree.parse(try #require(set.svgs["performance_trends"]))
        let series = tree.with("sample-series")
        #expect(series.map { $0.attributes["data-benchmark"] } == ["throughput/nodes=1/threads=2", "streaming/nodes=1/threads=2"])
        #expect(series.map { $0.attributes["data-metric"] } == ["e2e_p50", "e2e_p50"])
        #expect(tree.with("point").count == 8 && tree.with("segment-median").count == 2 && tree.with("no-data").isEmpty)
        #expect(tree.texts.contains("Performance trends: this run's samples in order"))
        #expect(tree.texts.contains("repetition, in recorded order: 4 repetition(s)"))
        #expect(tree.elements.contains { $0.name == "title" && $0.text == "repetition 1: 0.1 s" })
        ChartTests.expectNoOverlap(tree)
    }

    @Test func withHistoryTheTrendsChartStillDrawsTheRuns() throws {
        let set = ChartSet(report: try Self.benchAnalysis(), trends: [ChartFixture.steppedTrend], trendsNote: "")
        let tree = try SVGTree.parse(try #require(set.svgs["performance_trends"]))
        #expect(tree.with("sample-series").isEmpty && tree.with("change-point").count == 1)
    }
}
