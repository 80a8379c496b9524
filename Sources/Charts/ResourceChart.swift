import PerfAnalysis
import PerfReport

/// `resource_usage`: CPU, memory and network over the run, one panel each, from the report's
/// timeline. A kind with no readings gets a panel that says so; nothing is invented.
public enum ResourceChart {
    /// The SVG document; `cores` (the host's) only labels the CPU panel.
    public static func svg(_ resources: [ResourceSeries], cores: Int?) -> String {
        let width = 1000.0
        let panelHeight = 230.0
        let top = 64.0
        let kinds: [ResourceSeries.Kind] = [.cpu, .memory, .network] + (resources.contains { $0.kind == .other } ? [.other] : [])
        var svg = SVG(width: width, height: top + Double(kinds.count) * panelHeight + 12)
        let title = "Resource usage over the run"
        svg.text(title, x: 16, y: 26, size: 17, weight: "bold", cls: "chart-title")
        let subtitle =
            resources.isEmpty
            ? "This report has no resource timeline: nothing was sampled during the run"
            : "From the report's timeline: \(resources.count) series, \(Set(resources.flatMap(\.times)).count) sampling times over \(AnalysisReport.number(resources.flatMap(\.times).max() ?? 0)) s"
        svg.text(subtitle, x: 16, y: 44, size: 11, fill: Palette.muted)
        for (i, kind) in kinds.enumerated() {
            panel(
                kind,
                resources.filter { $0.kind == kind },
                cores: cores,
                x: 12,
                y: top + Double(i) * panelHeight,
                width: width - 24,
                height: panelHeight - 12,
                svg: &svg
            )
        }
        return svg.render(title: title, description: subtitle)
    }

    static func panel(
        _ kind: ResourceSeries.Kind,
        _ series: [ResourceSeries],
        cores: Int?,
        x: Double,
        y: Double,
        width: Double,
        height: Double,
        svg: inout SVG
    ) {
        svg.rect(x: x, y: y, w: width, h: height, fill: "white", stroke: Palette.grid, cls: "panel \(kind.rawValue)", rx: 4)
        let heading: String
        switch kind {
        case .cpu: heading = "CPU" + (cores.map { " (\($0) cores; 100% = one core busy)" } ?? " (100% = one core busy)")
        case .memory: heading = "Memory"
        case .network: heading = "Network"
        case .other: heading = "Other readings"
        }
        svg.text(heading, x: x + 10, y: y + 18, size: 12, weight: "bold", cls: "panel-title")
        guard !series.isEmpty else {
            svg.message(["no \(kind.rawValue) readings in this report's timeline"], x: x + width / 2, y: y + height / 2, size: 13)
            return
        }
        // The legend sits above the plot, never over it.
        let legendHeight = svg.legend(
            series.enumerated().map { (label: $0.element.name, color: Palette.series($0.offset), shape: "line") },
            x: x + 30 + TextMetrics.width(heading, size: 12),
            y: y + 18,
            maxX: x + width - 10
        )
        let left = x + 70
        let right = x + width - 16
        let plotTop = y + max(48, 18 + legendHeight + 18)
        let plotBottom = y + height - 40
        // One unit per panel: the first series' (series of other units get their own panel kind).
        let unit = series[0].unit
        let maxValue = series.map(\.max).max() ?? 1
        let (divisor, shownUnit): (Double, String) = unit == "cores" ? (0.01, "% of a core") : DisplayUnit.choose(unit, maxValue: maxValue)
        let values = series.flatMap(\.values).map { $0 / divisor }
        let yScale = Scale.fitting(values, start: plotBottom, end: plotTop, includeZero: true, allowLog: false)
        let times = series.flatMap(\.times)
        let xScale = Scale.fitting(times, start: left, end: right, includeZero: true, allowLog: false)
        svg.yAxis(yScale, x: left, right: right, label: shownUnit, format: { TickFormat.label($0, ticks: yScale.ticks(target: 5)) })
        svg.xAxis(
            xScale,
            y: plotBottom,
            top: plotTop,
            label: "seconds since the run started",
            format: { TickFormat.label($0, ticks: xScale.ticks()) }
        )
        for (i, s) in series.enumerated() {
            let pts = zip(s.times, s.values).map { (xScale($0.0), yScale($0.1 / divisor)) }
            svg.polyline(pts, stroke: Palette.series(i), width: 2, cls: "series", data: ["resource": s.name])
            if pts.count == 1, let p = pts.first { svg.marker("circle", x: p.0, y: p.1, r: 3, color: Palette.series(i)) }
        }
    }
}
