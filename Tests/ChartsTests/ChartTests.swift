import Foundation
import PerfAnalysis
import PerfCompare
import Testing

@testable import Charts

/// The SVG charts: well-formed XML with the expected series, labels and marks, at 1 and 200 benchmarks.
struct ChartTests {
    /// Tick labels on one line must not overlap (widths from the chart font's fixed advance).
    static func expectNoOverlap(_ tree: SVGTree, sourceLocation: SourceLocation = #_sourceLocation) {
        let ticks = tree.with("tick").filter { $0.attributes["text-anchor"] == "middle" }
        let rows = Dictionary(grouping: ticks) { $0.number("y") }
        for (_, row) in rows {
            let spans = row.map { e -> (Double, Double) in
                let w = TextMetrics.width(e.text, size: e.number("font-size"))
                return (e.number("x") - w / 2, e.number("x") + w / 2)
            }.sorted { $0.0 < $1.0 }
            for (a, b) in zip(spans, spans.dropFirst()) {
                #expect(a.1 <= b.0, "tick labels overlap: \(a) and \(b)", sourceLocation: sourceLocation)
            }
        }
    }

    @Test func comparisonMarksRegressionsAndImprovements() throws {
        let report = try ChartFixture.analysis(count: 3)
        let tree = try SVGTree.parse(ComparisonChart.svg(report.comparisonRows, hasBaseline: true))
        #expect(tree.root?.name == "svg")
        #expect(tree.with("mark", "current").count == 3 && tree.with("mark", "baseline").count == 3)
        #expect(tree.with("band", "regression").count == 1 && tree.with("band", "improvement").count == 1)
        let regression = try #require(tree.with("verdict", "regression").first)
        #expect(regression.text.contains("REGRESSION") && regression.text.contains("+40.0%"))
        #expect(tree.with("verdict", "improvement").first?.text.contains("improved") == true)
        #expect(tree.with("mark", "current").first?.attributes["data-benchmark"] == "Suite/bench_0")
        #expect(tree.texts.contains("current ÷ baseline median (1× = no change)"))
        #expect(tree.with("interval").count == 6)
        Self.expectNoOverlap(tree)
    }

    @Test func comparisonWithOneAndTwoHundredBenchmarks() throws {
        for count in [1, 200] {
            let report = try ChartFixture.analysis(count: count)
            let svg = ComparisonChart.svg(report.comparisonRows, hasBaseline: true)
            let tree = try SVGTree.parse(svg)
            #expect(tree.with("row-label").count == count)
            let ys = tree.with("row-label").map { $0.number("y") }
            #expect(zip(ys, ys.dropFirst()).allSatisfy { $1 - $0 >= 11 }, "row labels closer than one line")
            #expect(tree.root?.number("height") ?? 0 >= Double(count) * ComparisonChart.rowHeight)
            Self.expectNoOverlap(tree)
        }
    }

    @Test func comparisonWithoutBaselineSaysSo() throws {
        let report = try ChartFixture.analysis(count: 2, withBaseline: false)
        let tree = try SVGTree.parse(ComparisonChart.svg(report.comparisonRows, hasBaseline: false))
        #expect(tree.texts.contains("Benchmark results: current run (no baseline given)"))
        #expect(tree.with("mark", "baseline").isEmpty && tree.with("mark", "current").count == 2)
    }

    @Test func longNamesAreCutWithTheFullNameAsTooltip() throws {
        let long = String(repeating: "very-long-benchmark-name/", count: 8)
        let row = ComparisonRow(
            benchmark: long,
            metric: "e2e",
            unit: "ms",
            baseline: nil,
            current: Interval(median: 1, low: 0.9, high: 1.1),
            change: nil,
            verdict: nil
        )
        let tree = try SVGTree.parse(ComparisonChart.svg([row], hasBaseline: false))
        let label = try #require(tree.with("row-label").first)
        #expect(label.text.hasSuffix("…"))
        #expect(tree.elements.contains { $0.name == "title" && $0.text == long + " · e2e" })  // the tooltip holds the full name
    }

    @Test func logScaleWhenValuesSpanDecades() {
        let log = Scale.fitting([0.5, 3, 2000], start: 0, end: 100)
        #expect(log.isLog && log.low == 0.1 && log.high == 10_000)
        #expect(log.ticks() == [0.1, 1, 10, 100, 1000, 10_000])
        let linear = Scale.fitting([10, 12, 15], start: 0, end: 100)
        #expect(!linear.isLog && linear.ticks().allSatisfy { $0.truncatingRemainder(dividingBy: 1) == 0 })
        #expect(Scale.niceStep(0.23) == 0.5 && Scale.niceStep(7) == 10 && Scale.niceStep(1.5) == 2)
    }

    @Test func displayUnitsKeepTicksShort() {
        #expect(DisplayUnit.choose("ns", maxValue: 2_500_000).unit == "ms")
        #expect(DisplayUnit.choose("B", maxValue: 3e9).unit == "GiB")
        #expect(TickFormat.label(25_000, ticks: [0, 25_000, 50_000]) == "25k")
        #expect(TickFormat.label(0.25, ticks: [0, 0.25, 0.5]) == "0.25")
    }

    @Test func trendsMarkChangePointsWithTheirCommit() throws {
        let tree = try SVGTree.parse(TrendChart.svg([ChartFixture.steppedTrend], emptyReason: "none"))
        #expect(tree.with("series").first?.attributes["data-benchmark"] == "Gateway/chat")
        #expect(tree.with("change-point").count == 1)
        #expect(tree.with("change-label").first?.text.hasPrefix("abc000a +29.7%") == true)
        #expect(tree.with("segment-median").count == 2)
        #expect(tree.with("point").count == 20)
        Self.expectNoOverlap(tree)
    }

    @Test func trendsWithoutHistorySayWhy() throws {
        let tree = try SVGTree.parse(TrendChart.svg([], emptyReason: "No history database at x.sqlite"))
        #expect(tree.with("no-data").map(\.text) == ["No history database at x.sqlite"])
        #expect(tree.with("series").isEmpty)
    }

    @Test func resourcesDrawTheTimelineAndNameWhatIsMissing() throws {
        let report = try ChartFixture.analysis(count: 1)
        let tree = try SVGTree.parse(ResourceChart.svg(report.resources, cores: 2))
        #expect(tree.with("series").compactMap { $0.attributes["data-resource"] } == ["cpu", "rss_bytes"])
        #expect(tree.with("no-data").map(\.text) == ["no network readings in this report's timeline"])
        #expect(tree.texts.contains("% of a core") && tree.texts.contains("MiB"))
        Self.expectNoOverlap(tree)
        let empty = try SVGTree.parse(ResourceChart.svg([], cores: nil))
        #expect(empty.with("series").isEmpty && empty.with("no-data").count == 3)
        #expect(empty.texts.contains("This report has no resource timeline: nothing was sampled during the run"))
    }

    @Test func summaryShowsEveryKPIWithItsStatus() throws {
        let report = try ChartFixture.analysis(count: 2)
        let tree = try SVGTree.parse(SummaryChart.svg(report))
        #expect(tree.with("kpi-name").map(\.text) == ["p95 latency", "error rate", "throughput", "CPU", "memory", "threads"])
        #expect(tree.with("kpi-status").map(\.text) == ["✓ PASS", "– NO DATA", "– NO DATA", "✓ PASS", "✓ PASS", "– NO DATA"])
        #expect(tree.with("kpi", "no_data").count == 3)
        #expect(tree.with("verdict-count").first?.text == "1 regression(s)")
    }

    @Test func distributionDrawsCurrentAndBaselineCurves() throws {
        let report = try ChartFixture.analysis(count: 3)
        let tree = try SVGTree.parse(DistributionChart.svg(report.distributions))
        #expect(tree.with("series", "current").count == 3 && tree.with("series", "baseline").count == 3)
        #expect(tree.with("legend").count == 6)
        Self.expectNoOverlap(tree)
        let none = try SVGTree.parse(DistributionChart.svg([]))
        #expect(none.with("no-data").count == 1)
    }

    @Test func textIsEscaped() throws {
        let row = ComparisonRow(
            benchmark: "a<b>&\"c\"",
            metric: "e2e",
            unit: "ms",
            baseline: nil,
            current: Interval(median: 1, low: nil, high: nil),
            change: nil,
            verdict: nil
        )
        let tree = try SVGTree.parse(ComparisonChart.svg([row], hasBaseline: false))
        #expect(tree.with("row-label").first?.text.contains("a<b>&\"c\" · e2e") == true)
    }
}
