import PerfAnalysis
import PerfReport

extension TrendChart {
    /// `performance_trends` when the history has fewer than two runs: each benchmark's primary
    /// metric sample by sample in the order recorded (a `bench` report's repetitions, a `load`
    /// report's requests), with its median dashed, so a first run still shows how it moved.
    /// `historyNote` says why there is no history to draw.
    public static func svg(samples: [SampleSeries], historyNote: String) -> String {
        let shown = Array(samples.prefix(panelLimit))
        var subtitle = "Fewer than 2 runs in history, so each benchmark's primary metric is drawn sample by sample"
        if !historyNote.isEmpty { subtitle += " (\(historyNote))" }
        if samples.count > shown.count { subtitle += "; \(shown.count) of \(samples.count) benchmarks shown" }
        return page(
            shown,
            title: "Performance trends: this run's samples in order",
            subtitle: subtitle,
            empty: historyNote,
            legend: [("sample", Palette.blue, "line"), ("median of the run", Palette.muted, "dash")]
        ) { s, x, y, width, height, svg in samplePanel(s, x: x, y: y, width: width, height: height, svg: &svg) }
    }

    static func samplePanel(_ s: SampleSeries, x: Double, y: Double, width: Double, height: Double, svg: inout SVG) {
        let (left, right, plotTop, plotBottom) = panelFrame(
            benchmark: s.benchmark,
            metric: s.metric,
            x: x,
            y: y,
            width: width,
            height: height,
            svg: &svg
        )
        let display = DisplayUnit.choose(s.unit, maxValue: s.samples.max() ?? 1)
        let scaled = s.samples.map { $0 / display.divisor }
        let yScale = Scale.fitting(scaled, start: plotBottom, end: plotTop, allowLog: false)
        // Half a position of room either side; only whole positions are labelled.
        let xScale = Scale(low: 0.5, high: Double(s.count) + 0.5, start: left, end: right, isLog: false)
        svg.yAxis(yScale, x: left, right: right, label: display.unit, format: { TickFormat.label($0, ticks: yScale.ticks(target: 5)) })
        let what = MetricName(s.metric).percentile == nil ? "sample" : "repetition"
        let thinned = s.count > s.samples.count ? ", \(s.samples.count) of \(s.count) drawn" : ""
        svg.xAxis(
            xScale,
            y: plotBottom,
            top: plotTop,
            label: "\(what), in recorded order: \(s.count) \(what)(s)\(thinned)",
            format: { $0 == $0.rounded() && abs($0) < 1e15 ? String(Int($0)) : "" }
        )
        let pts = zip(s.positions, scaled).map { (xScale(Double($0.0)), yScale($0.1)) }
        svg.polyline(pts, stroke: Palette.blue, width: 2, cls: "series sample-series", data: ["benchmark": s.benchmark, "metric": s.metric])
        if pts.count <= 60 {
            for (i, p) in pts.enumerated() {
                svg.marker(
                    "circle",
                    x: p.0,
                    y: p.1,
                    r: 2.5,
                    color: Palette.blue,
                    cls: "point",
                    title: "\(what) \(s.positions[i]): \(AnalysisReport.number(s.samples[i])) \(s.unit)"
                )
            }
        }
        let median = s.median / display.divisor
        svg.line(left, yScale(median), right, yScale(median), stroke: Palette.muted, width: 1.5, dash: "3 3", cls: "segment-median")
    }
}
