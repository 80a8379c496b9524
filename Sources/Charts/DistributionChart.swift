import PerfAnalysis
import PerfReport

/// `latency_distribution`: empirical CDFs of request latency for the benchmarks with the highest
/// p99, current solid and baseline dashed in the same colour. A `bench` report keeps no
/// per-request samples, so its curves are of each repetition's p95 (`e2e_p95`), named so. The x axis is logarithmic when the
/// latencies span two decades or more. The legend sits to the right of the plot.
public enum DistributionChart {
    /// The SVG document; with no distributions, a chart that says which metrics it looked for.
    public static func svg(_ distributions: [Distribution]) -> String {
        let legendWidth = 330.0
        let left = 70.0
        let plotWidth = 620.0
        let right = left + plotWidth
        let width = right + 24 + legendWidth
        let top = 70.0
        let plotHeight = 380.0
        let bottom = top + plotHeight
        var svg = SVG(width: width, height: bottom + 64)
        let title = "Latency distribution (CDF)"
        svg.text(title, x: 16, y: 26, size: 17, weight: "bold", cls: "chart-title")
        guard !distributions.isEmpty else {
            let why = "No benchmark has a latency with 2 or more samples (per request: e2e, ttft, wall_clock, time; per repetition: e2e_p95)"
            svg.text(why, x: 16, y: 44, size: 11, fill: Palette.muted)
            svg.message([why], x: width / 2, y: top + plotHeight / 2, size: 13)
            return svg.render(title: title, description: why)
        }
        // One axis in seconds-based display units for every curve.
        let seconds = distributions.flatMap { d in d.values.map { $0 * (MetricRoles.secondsPerUnit(d.unit) ?? 1) } }
        let display = DisplayUnit.choose("s", maxValue: seconds.max() ?? 1)
        let shown = seconds.map { $0 / display.divisor }
        let xScale = Scale.fitting(shown.filter { $0 > 0 }.isEmpty ? shown : shown.filter { $0 > 0 }, start: left, end: right, logSpan: 20)
        let yScale = Scale(low: 0, high: 1, start: bottom, end: top, isLog: false)
        let benchmarks = distributions.map(\.benchmark).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        let perRepetition = distributions.contains { MetricName($0.metric).percentile != nil }
        let subtitle =
            "Fraction of samples at or below each latency ("
            + (perRepetition ? "one per request, or per repetition for a _pNN metric" : "one per request")
            + "); \(benchmarks.count) benchmark(s) with the highest p99"
            + (xScale.isLog ? "; log scale" : "")
        svg.text(TextMetrics.fit(subtitle, width: width - 32, size: 11), x: 16, y: 44, size: 11, fill: Palette.muted)
        svg.yAxis(yScale, x: left, right: right, label: "fraction ≤ x", format: { "\(Int(($0 * 100).rounded()))%" })
        svg.xAxis(
            xScale,
            y: bottom,
            top: top,
            label: "latency (\(display.unit))" + (xScale.isLog ? ", log scale" : ""),
            format: { TickFormat.label($0, ticks: xScale.ticks()) }
        )
        var entries: [(label: String, color: String, shape: String)] = []
        for d in distributions {
            let index = benchmarks.firstIndex(of: d.benchmark) ?? 0
            let color = Palette.series(index)
            let scale = (MetricRoles.secondsPerUnit(d.unit) ?? 1) / display.divisor
            // A step function: each value holds its fraction until the next value.
            var pts: [(Double, Double)] = []
            var previous = 0.0
            for (v, f) in zip(d.values, d.fractions) {
                let x = xScale(v * scale)
                pts.append((x, yScale(previous)))
                pts.append((x, yScale(f)))
                previous = f
            }
            svg.polyline(
                pts,
                stroke: color,
                width: 2,
                dash: d.side == "baseline" ? "6 4" : nil,
                cls: "series \(d.side)",
                data: ["benchmark": d.benchmark, "metric": d.metric]
            )
            entries.append(
                (
                    label: "\(d.benchmark) · \(d.metric) (\(d.side), n=\(d.count))", color: color,
                    shape: d.side == "baseline" ? "dash" : "line"
                )
            )
        }
        var y = top + 6
        for entry in entries {
            let label = TextMetrics.fit(entry.label, width: legendWidth - 30, size: 10)
            svg.line(right + 24, y - 4, right + 42, y - 4, stroke: entry.color, width: 3, dash: entry.shape == "dash" ? "5 3" : nil)
            svg.text(label, x: right + 48, y: y, size: 10, cls: "legend", title: entry.label)
            y += 16
        }
        return svg.render(title: title, description: subtitle)
    }
}
