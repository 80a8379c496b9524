import Foundation
import PerfCompare
import PerfReport
import Testing

@testable import PerfAnalysis

/// The report model: results with intervals, comparison rows, KPIs, resources, distributions.
struct ReportBuilderTests {
    static let latency = (1...20).map { 100 + Double($0) }

    @Test func emptyReportIsAnErrorNamingTheFile() {
        #expect(throws: AnalysisError.self) {
            try ReportBuilder.build(current: Fixture.report([]), currentSource: "empty.json")
        }
        do {
            _ = try ReportBuilder.build(current: Fixture.report([]), currentSource: "empty.json")
        } catch {
            #expect(error.description.hasPrefix("empty.json: the report has no benchmarks"))
        }
    }

    @Test func oneSampleGivesAnUnboundedInterval() throws {
        let report = try ReportBuilder.build(
            current: Fixture.report([Benchmark(name: "once", metrics: [Fixture.metric("wall_clock", "ms", [5])])]),
            currentSource: "r.json"
        )
        let result = try #require(report.results.first)
        #expect(result.medianInterval == Interval(median: 5, low: nil, high: nil))
        #expect(report.comparisonRows.count == 1 && report.comparisonRows[0].baseline == nil)
    }

    @Test func comparisonRowsCarryVerdictsAndBaselineIntervals() throws {
        let base = Fixture.report([Benchmark(name: "Gateway/chat", metrics: [Fixture.metric("e2e", "ms", Self.latency)])])
        let now = Fixture.report([Benchmark(name: "Gateway/chat", metrics: [Fixture.metric("e2e", "ms", Self.latency.map { $0 * 1.3 })])])
        let report = try ReportBuilder.build(current: now, currentSource: "c.json", baseline: base, baselineSource: "b.json")
        let row = try #require(report.comparisonRows.first)
        #expect(row.verdict == .regression && row.metric == "e2e")
        #expect(row.baseline?.median == 110.5 && row.baseline?.low != nil)
        #expect(report.regressionAnalysis?.regressions == 1)
        #expect(report.recommendations.first?.rule == "regression")
        #expect(report.distributions.map(\.side) == ["current", "baseline"])
    }

    @Test func kpisAreMeasuredAgainstTheSeedTargets() throws {
        let benchmarks = [
            Benchmark(
                name: "load",
                metrics: [
                    Fixture.metric("e2e", "s", (1...20).map { Double($0) / 10 }),
                    Fixture.metric("throughput", "req/s", [1200], direction: .higherIsBetter),
                    Fixture.metric("error_rate", "ratio", [0.004]),
                ]
            )
        ]
        let timeline = (0..<4).map { TimelinePoint(t: Double($0), values: ["cpu": 1.0, "rss_bytes": Double(1 << 30), "threads": 9]) }
        let kpis = KPITargets.scorecard(Fixture.report(benchmarks, timeline: timeline))
        #expect(kpis.map(\.name) == ["p95 latency", "error rate", "throughput", "CPU", "memory", "threads"])
        #expect(kpis.map(\.status) == [.fail, .pass, .pass, .pass, .pass, .pass])
        #expect(abs((kpis[0].measured ?? 0) - 1.905) < 1e-9)
        #expect(kpis[0].evidence == "worst of 1 benchmark(s): load e2e, p95 of 20 request(s)")
        #expect(kpis[3].measured == 0.5 && kpis[4].measured == 0.125 && kpis[5].measured == 9)
    }

    @Test func kpisWithoutDataSaySo() {
        let kpis = KPITargets.scorecard(Fixture.report([Benchmark(name: "x", metrics: [Fixture.metric("allocations", "count", [3])])]))
        #expect(kpis.allSatisfy { $0.status == .noData && $0.measured == nil })
        #expect(kpis[3].evidence == "the report has no timeline with cpu readings")
    }

    @Test func timelineKeysAreGroupedByKind() throws {
        let timeline = [
            TimelinePoint(t: 0, values: ["cpu": 0.5, "rss_bytes": 1e8, "net_rx_bytes": 10, "open_fds": 12]),
            TimelinePoint(t: 1, values: ["cpu": 0.7, "rss_bytes": 2e8, "net_rx_bytes": 30, "open_fds": 14]),
        ]
        let report = try ReportBuilder.build(
            current: Fixture.report([Benchmark(name: "b", metrics: [Fixture.metric("time", "ns", [1, 2])])], timeline: timeline),
            currentSource: "r.json"
        )
        #expect(report.resources.map(\.name) == ["cpu", "net_rx_bytes", "open_fds", "rss_bytes"])
        #expect(report.resources.map(\.kind) == [.cpu, .network, .other, .memory])
        #expect(abs((report.resources.first?.mean ?? 0) - 0.6) < 1e-12 && report.resources.last?.max == 2e8)
    }

    @Test func cdfIsThinnedButKeepsTheEnds() {
        let samples = (1...1000).map(Double.init)
        let d = ReportBuilder.cdf("b", Fixture.metric("e2e", "ms", samples), side: "current")
        #expect(d.values.count == ReportBuilder.cdfPoints && d.values.first == 1 && d.values.last == 1000)
        #expect(d.fractions.last == 1 && d.count == 1000)
    }

    @Test func jsonUsesSnakeCaseKeysAndRoundTrips() throws {
        let report = try ReportBuilder.build(
            current: Fixture.report([Benchmark(name: "b", metrics: [Fixture.metric("time", "ns", [1, 2, 3])])]),
            currentSource: "r.json"
        )
        let data = try report.json()
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"comparison_rows\"") && text.contains("\"median_interval\"") && !text.contains("comparisonRows"))
        #expect(try JSONDecoder().decode(AnalysisReport.self, from: data) == report)
    }

    @Test func markdownHasEverySection() throws {
        let report = try ReportBuilder.build(
            current: Fixture.report([Benchmark(name: "Gateway/chat", metrics: [Fixture.metric("e2e", "ms", Self.latency)])]),
            currentSource: "r.json"
        )
        let md = report.markdown()
        for heading in ["## KPIs", "## Recommendations", "## Benchmark results", "## Resource usage"] {
            #expect(md.contains(heading))
        }
        #expect(md.contains("| Gateway/chat | e2e | 20 | 110.5 |"))
        #expect(md.contains("The report has no resource timeline."))
    }
}
