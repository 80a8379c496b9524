import PerfAnalysis
import PerfReport

/// `performance_trends`: each metric's median over the runs in history, one small panel each,
/// with change points marked (a dashed vermillion line at the first run after the shift, the
/// commit named, and the medians before and after drawn as steps).
public enum TrendChart {
    /// The most panels drawn; series with change points come first.
    public static let panelLimit = 12

    /// The SVG document; with no series, a chart that shows `emptyReason`.
    public static func svg(_ series: [TrendSeries], emptyReason: String) -> String {
        let shown = Array(
            series.enumerated().sorted { ($0.element.changes.isEmpty ? 1 : 0, $0.offset) < ($1.element.changes.isEmpty ? 1 : 0, $1.offset) }
                .map(\.element).prefix(panelLimit)
        )
        var subtitle = "Median of each run in run order; change points by E-divisive (permutation test and t-test, p ≤ 0.001)"
        if series.count > shown.count { subtitle += "; \(shown.count) of \(series.count) series shown, those with change points first" }
        return page(
            shown,
            title: "Performance trends over history",
            subtitle: subtitle,
            empty: emptyReason,
            legend: [
                ("median per run", Palette.blue, "line"), ("change point", Palette.vermillion, "dash"),
                ("median before/after", Palette.muted, "dash"),
            ]
        ) { s, x, y, width, height, svg in panel(s, x: x, y: y, width: width, height: height, svg: &svg) }
    }

    static func panel(_ s: TrendSeries, x: Double, y: Double, width: Double, height: Double, svg: inout SVG) {
        let (left, right, plotTop, plotBottom) = panelFrame(
            benchmark: s.benchmark,
            metric: s.metric,
            x: x,
            y: y,
            width: width,
            height: height,
            svg: &svg
        )
        let values = s.points.map(\.median)
        let display = DisplayUnit.choose(s.unit, maxValue: values.max() ?? 1)
        let scaled = values.map { $0 / display.divisor }
        let yScale = Scale.fitting(scaled, start: plotBottom, end: plotTop)
        let count = s.points.count
        let xScale = Scale(low: 0, high: Double(max(count - 1, 1)), start: left + 24, end: right - 24, isLog: false)
        svg.yAxis(yScale, x: left, right: right, label: display.unit, format: { TickFormat.label($0, ticks: yScale.ticks(target: 5)) })
        // Commit ticks: as many as fit without touching, always the first and last.
        let labelWidth = TextMetrics.width("0000000", size: 10) + 8
        let capacity = max(Int((right - left) / labelWidth), 2)
        let stride = max(Int((Double(count) / Double(capacity)).rounded(.up)), 1)
        var marked = Set(Swift.stride(from: 0, to: count, by: stride))
        if count > 1, (count - 1) % stride != 0 {
            marked.remove(count - 1 - ((count - 1) % stride))
            marked.insert(count - 1)
        }
        for i in marked.sorted() {
            svg.text(
                String(s.points[i].commit.prefix(7)),
                x: xScale(Double(i)),
                y: plotBottom + 14,
                size: 10,
                anchor: "middle",
                fill: Palette.axis,
                cls: "tick",
                title: "\(s.points[i].commit) \(s.points[i].time)"
            )
        }
        svg.line(left, plotBottom, right, plotBottom, stroke: Palette.axis)
        svg.text(
            "run (commit), oldest to newest: \(count) run(s)",
            x: (left + right) / 2,
            y: plotBottom + 32,
            size: 11,
            anchor: "middle",
            fill: Palette.axis,
            cls: "axis-label"
        )
        let pts = scaled.enumerated().map { (xScale(Double($0.offset)), yScale($0.element)) }
        svg.polyline(pts, stroke: Palette.blue, width: 2, cls: "series", data: ["benchmark": s.benchmark, "metric": s.metric])
        if count <= 60 {
            for (i, p) in pts.enumerated() {
                svg.marker(
                    "circle",
                    x: p.0,
                    y: p.1,
                    r: 2.5,
                    color: Palette.blue,
                    cls: "point",
                    title: "\(s.points[i].commit.prefix(12)): \(AnalysisReport.number(values[i])) \(s.unit)"
                )
            }
        }
        let bounds = [0] + s.changes.map(\.index) + [count]
        for (k, change) in s.changes.enumerated() {
            let cx = (xScale(Double(change.index - 1)) + xScale(Double(change.index))) / 2
            svg.line(cx, plotTop, cx, plotBottom, stroke: Palette.vermillion, width: 2, dash: "6 4", cls: "change-point")
            let shift = change.medianBefore == 0 ? "" : " " + Recommendations.percent(change.medianAfter / change.medianBefore - 1)
            let label = "\(change.commit.prefix(7))\(shift)"
            let w = TextMetrics.width(label, size: 10)
            let lx = min(max(cx - w / 2, left), right - w)
            svg.text(
                label,
                x: lx,
                y: plotTop - 6 - Double(k % 2) * 11,
                size: 10,
                fill: Palette.vermillion,
                cls: "change-label",
                title:
                    "median \(AnalysisReport.number(change.medianBefore)) → \(AnalysisReport.number(change.medianAfter)) \(s.unit), p = \(AnalysisReport.number(change.pValue))"
            )
            // Steps: the median before this change over its segment, and after it over the next.
            for (segment, median) in [(k, change.medianBefore), (k + 1, change.medianAfter)] {
                let a = xScale(Double(bounds[segment]))
                let b = xScale(Double(bounds[segment + 1] - 1))
                let my = yScale(median / display.divisor)
                svg.line(a, my, b, my, stroke: Palette.muted, width: 1.5, dash: "3 3", cls: "segment-median")
            }
        }
    }
}
