import Foundation
import PerfReport
import Testing

@testable import PerfAnalysis

/// The KPI scorecard on the reports `bench` and `load` write, and what each KPI says it judged.
struct KPITests {
    /// A `bench` configuration: one sample per repetition, per-repetition percentiles of e2e.
    static func bench(_ name: String, group: String, throughput: [Double], p95: [Double], errors: [Double] = [0, 0, 0, 0]) -> Benchmark {
        Benchmark(
            name: name,
            group: group,
            metrics: [
                Fixture.metric("throughput", "req/s", throughput, direction: .higherIsBetter),
                Fixture.metric("e2e_p50", "s", p95.map { $0 / 2 }), Fixture.metric("e2e_p95", "s", p95),
                Fixture.metric("e2e_p99", "s", p95.map { $0 * 1.5 }), Fixture.metric("error_rate", "ratio", errors),
            ]
        )
    }

    @Test func aBenchReportsP95IsTheMedianOfItsRepetitionsP95() {
        let report = Fixture.report([
            Self.bench("throughput/nodes=1/threads=2", group: "throughput", throughput: [40, 41, 42, 43], p95: [0.2, 0.3, 0.25, 0.35]),
            Self.bench("failover/nodes=3/threads=2", group: "failover", throughput: [30, 31, 32, 33], p95: [0.5, 0.7, 0.6, 0.9]),
        ])
        let kpi = KPITargets.latency(report)
        #expect(kpi.status == .pass && abs((kpi.measured ?? 0) - 0.65) < 1e-12)
        #expect(kpi.benchmark == "failover/nodes=3/threads=2" && kpi.metric == "e2e_p95")
        #expect(kpi.evidence == "worst of 2 benchmark(s): failover/nodes=3/threads=2 e2e_p95, median of 4 repetition(s)' p95")
    }

    @Test func aCommittedBaselineWithLatencyP95StillHasALatencyKPI() {
        let old = Benchmark(name: "throughput/nodes=1/threads=2", metrics: [Fixture.metric("latency_p95", "s", [1.2, 1.4, 1.3])])
        let kpi = KPITargets.latency(Fixture.report([old]))
        #expect(kpi.status == .fail && kpi.measured == 1.3 && kpi.metric == "latency_p95")
    }

    @Test func throughputIsJudgedOnTheCapacityScenarioWhenTheReportHasIt() {
        let model = Self.bench("throughput/nodes=1/threads=2", group: "throughput", throughput: [40, 41, 42, 43], p95: [0.2, 0.2, 0.2, 0.2])
        let capacity = [1, 3].map { nodes in
            Self.bench(
                "capacity/nodes=\(nodes)/threads=2",
                group: "capacity",
                throughput: [1500, 1600, 1700, 1800].map { $0 * Double(nodes) },
                p95: [0.01, 0.01, 0.01, 0.01]
            )
        }
        let judged = KPITargets.throughput(Fixture.report([model] + capacity))
        #expect(judged.status == .pass && judged.measured == 4950 && judged.benchmark == "capacity/nodes=3/threads=2")
        #expect(
            judged.evidence
                == "the gateway's capacity, highest of 2 capacity benchmark(s): capacity/nodes=3/threads=2 throughput, median of 4 sample(s)"
        )
        let fallback = KPITargets.throughput(Fixture.report([model]))
        #expect(fallback.status == .fail && fallback.measured == 41.5 && fallback.benchmark == "throughput/nodes=1/threads=2")
        #expect(
            fallback.evidence
                == "no capacity benchmark in this report, so the highest of 1 benchmark(s): throughput/nodes=1/threads=2 throughput, median of 4 sample(s)"
        )
    }

    @Test func everyKPIWithDataNamesWhatItJudged() {
        let timeline = (0..<3).map { TimelinePoint(t: Double($0), values: ["cpu": 0.4, "rss_bytes": 1e8, "threads": 12]) }
        let report = Fixture.report(
            [
                Self.bench(
                    "capacity/nodes=1/threads=2",
                    group: "capacity",
                    throughput: [1200, 1300, 1250, 1280],
                    p95: [0.01, 0.02, 0.01, 0.02],
                    errors: [0, 0.0005, 0, 0]
                )
            ],
            timeline: timeline
        )
        let kpis = KPITargets.scorecard(report)
        #expect(kpis.map(\.status) == [.pass, .pass, .pass, .pass, .pass, .pass])
        #expect(kpis.map(\.metric) == ["e2e_p95", "error_rate", "throughput", "cpu", "rss_bytes", "threads"])
        #expect(kpis.map(\.benchmark) == ["capacity/nodes=1/threads=2", "capacity/nodes=1/threads=2", "capacity/nodes=1/threads=2", nil, nil, nil])
        #expect(kpis[1].measured == 0.0005 && kpis[5].measured == 12)
    }

    @Test func aBenchReportGetsLatencyDistributionsAndSampleSeries() throws {
        let report = try ReportBuilder.build(
            current: Fixture.report([
                Self.bench("throughput/nodes=1/threads=2", group: "throughput", throughput: [40, 41, 42, 43], p95: [0.2, 0.3, 0.25, 0.35])
            ]),
            currentSource: "bench.json"
        )
        let distribution = try #require(report.distributions.first)
        #expect(report.distributions.count == 1 && distribution.metric == "e2e_p95" && distribution.values == [0.2, 0.25, 0.3, 0.35])
        #expect(distribution.fractions == [0.25, 0.5, 0.75, 1])
        let series = try #require(report.sampleSeries.first)
        #expect(series.metric == "e2e_p50" && series.samples == [0.1, 0.15, 0.125, 0.175] && series.positions == [1, 2, 3, 4])
        #expect(series.count == 4 && series.median == 0.1375)
        #expect(report.comparisonRows.first?.metric == "e2e_p50")
    }

    @Test func longSampleSeriesAreThinnedEvenlyKeepingTheEnds() {
        let samples = (1...1000).map(Double.init)
        let series = ReportBuilder.sampleSeries(Fixture.report([Benchmark(name: "load", metrics: [Fixture.metric("e2e", "s", samples)])]))
        #expect(series.count == 1 && series[0].samples.count == ReportBuilder.samplePoints && series[0].count == 1000)
        #expect(series[0].positions.first == 1 && series[0].positions.last == 1000 && series[0].samples[1] == 2)
        #expect(zip(series[0].positions, series[0].samples).allSatisfy { Double($0) == $1 })
    }
}
