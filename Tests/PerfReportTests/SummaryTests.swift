import Foundation
import PerfReport
import Testing

@Suite("Summary statistics")
struct SummaryTests {
    @Test func percentilesInterpolateLinearlyLikeNumpy() {
        // numpy.percentile([1, 2, 3, 4], [50, 90, 95, 99]) == [2.5, 3.7, 3.85, 3.97]
        let summary = Summary(samples: [4, 1, 3, 2])
        #expect(summary.p50 == 2.5)
        #expect(summary.median == 2.5)
        #expect(abs(summary.p90 - 3.7) < 1e-12)
        #expect(abs(summary.p95 - 3.85) < 1e-12)
        #expect(abs(summary.p99 - 3.97) < 1e-12)
        #expect(summary.min == 1)
        #expect(summary.max == 4)
        #expect(summary.count == 4)
        #expect(summary.mean == 2.5)
    }

    @Test func standardDeviationDividesByNMinusOne() {
        // population σ of this set is exactly 2; the sample σ is sqrt(32 / 7).
        let summary = Summary(samples: [2, 4, 4, 4, 5, 5, 7, 9])
        #expect(summary.mean == 5)
        #expect(abs(summary.stddev - (32.0 / 7).squareRoot()) < 1e-12)
    }

    @Test func oneSampleIsEveryStatistic() {
        let summary = Summary(samples: [42])
        #expect(summary == Summary(samples: [42, 42]).with(count: 1))
        #expect(summary.stddev == 0)
        #expect(summary.p99 == 42)
    }

    @Test func noSamplesGiveZeros() {
        let summary = Summary(samples: [])
        #expect(summary.count == 0)
        #expect([summary.mean, summary.median, summary.min, summary.max, summary.stddev, summary.p99] == [0, 0, 0, 0, 0, 0])
    }

    @Test func matchesHyperfinesOwnMedianAndStddev() throws {
        // hyperfine computed these from the same five runs in the captured fixture.
        let report = try PerformanceReport.parse(try TestSupport.fixture("hyperfine.json"), source: "hyperfine.json", createdAt: TestSupport.date)
        let summary = try #require(report.benchmark(named: "sleep 0.01")?.metric(named: "wall_clock")).summary
        #expect(summary.median == 0.01736147766)
        #expect(abs(summary.stddev - 0.005917322097925701) < 1e-15)
        #expect(abs(summary.mean - 0.01995829106) < 1e-15)
    }

    @Test func changingSamplesRecomputesTheSummary() {
        var metric = Metric(name: "latency", unit: "ms", direction: .lowerIsBetter, samples: [1])
        metric.samples.append(3)
        #expect(metric.summary.count == 2)
        #expect(metric.summary.mean == 2)
    }
}

extension Summary {
    fileprivate func with(count: Int) -> Summary {
        var copy = self
        copy.count = count
        return copy
    }
}
