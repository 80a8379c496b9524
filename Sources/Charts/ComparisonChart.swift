import PerfAnalysis
import PerfCompare
import PerfReport

/// `benchmark_comparison`: baseline against current, one row per benchmark (its primary metric).
///
/// Every value is drawn relative to the baseline median (1 = no change), so benchmarks in
/// different units share one axis: the baseline median (blue circle) with its 95% interval, the
/// current median (orange diamond) with its interval. Regressions get a vermillion band and the
/// word REGRESSION, improvements a green band and "improved": colour is never the only cue.
/// Without a baseline, each row shows the current median and its interval relative to itself.
public enum ComparisonChart {
    static let rowHeight = 22.0

    /// The SVG document.
    public static func svg(_ rows: [ComparisonRow], hasBaseline: Bool) -> String {
        let labelSize = 11.0
        let names = rows.map { "\($0.benchmark) · \($0.metric)" }
        let labelWidth = min(max(names.map { TextMetrics.width($0, size: labelSize) }.max() ?? 100, 120), 340)
        let left = 16 + labelWidth + 12
        let plotWidth = 520.0
        let right = left + plotWidth
        let noteWidth = 300.0
        let width = right + 16 + noteWidth
        let top = 96.0
        let plotHeight = max(Double(rows.count) * rowHeight, rowHeight)
        let bottom = top + plotHeight
        var svg = SVG(width: width, height: bottom + 64)
        let title = hasBaseline ? "Benchmark comparison: current vs baseline" : "Benchmark results: current run (no baseline given)"
        svg.text(title, x: 16, y: 26, size: 17, weight: "bold", cls: "chart-title")
        let subtitle =
            hasBaseline
            ? "Medians with 95% confidence intervals, relative to each benchmark's baseline median; \(rows.count) benchmark(s)"
            : "Medians with 95% confidence intervals, relative to each median; \(rows.count) benchmark(s)"
        svg.text(TextMetrics.fit(subtitle, width: width - 32, size: 11), x: 16, y: 44, size: 11, fill: Palette.muted)
        var entries: [(label: String, color: String, shape: String)] = []
        if hasBaseline { entries.append(("baseline median", Palette.baseline, "circle")) }
        entries += [("current median", Palette.current, "diamond"), ("no interval (n < 6)", Palette.current, "ring")]
        if hasBaseline {
            entries += [("regression", Palette.regression, "square"), ("improvement", Palette.improvement, "square")]
        }
        svg.legend(entries, x: 16, y: 68, maxX: width - 16)

        let ratios = rows.flatMap { row -> [Double] in
            guard let base = reference(row, hasBaseline: hasBaseline) else { return [] }
            let values = [row.current.median, row.current.low, row.current.high, row.baseline?.median, row.baseline?.low, row.baseline?.high]
            return values.compactMap { $0 }.map { $0 / base }.filter { $0.isFinite && $0 > 0 } + [1]
        }
        let scale = Scale.fitting(ratios.isEmpty ? [0.9, 1.1] : ratios, start: left, end: right, logSpan: 10)
        let format: (Double) -> String = { TickFormat.label($0, ticks: scale.ticks()) + "×" }
        // Bands first, so marks and grid stay on top of them.
        for (i, row) in rows.enumerated() {
            let y = top + Double(i) * rowHeight
            if row.verdict == .regression {
                svg.rect(x: 8, y: y, w: width - 16, h: rowHeight, fill: Palette.regression, cls: "band regression", opacity: 0.12)
            } else if row.verdict == .improvement {
                svg.rect(x: 8, y: y, w: width - 16, h: rowHeight, fill: Palette.improvement, cls: "band improvement", opacity: 0.12)
            } else if i % 2 == 1 {
                svg.rect(x: 8, y: y, w: width - 16, h: rowHeight, fill: "#f4f4f4", cls: "band")
            }
        }
        svg.xAxis(
            scale,
            y: bottom,
            top: top,
            label: hasBaseline ? "current ÷ baseline median (1× = no change)" : "value ÷ median",
            format: format
        )
        if rows.count > 25 { svg.xAxisLabelsOnly(scale, y: top - 4, format: format) }
        svg.line(scale(1), top, scale(1), bottom, stroke: Palette.axis, width: 1.5, dash: "4 3", cls: "reference")
        for (i, row) in rows.enumerated() {
            draw(
                row,
                name: names[i],
                y: top + Double(i) * rowHeight + rowHeight / 2,
                scale: scale,
                svg: &svg,
                labelWidth: labelWidth,
                noteX: right + 16,
                noteWidth: noteWidth,
                hasBaseline: hasBaseline
            )
        }
        return svg.render(title: title, description: subtitle)
    }

    /// The value each row is divided by: the baseline median, or the current one without a baseline.
    static func reference(_ row: ComparisonRow, hasBaseline: Bool) -> Double? {
        let value = hasBaseline ? row.baseline?.median : row.current.median
        guard let value, value > 0, value.isFinite else { return nil }
        return value
    }

    static func draw(
        _ row: ComparisonRow,
        name: String,
        y: Double,
        scale: Scale,
        svg: inout SVG,
        labelWidth: Double,
        noteX: Double,
        noteWidth: Double,
        hasBaseline: Bool
    ) {
        svg.text(TextMetrics.fit(name, width: labelWidth, size: 11), x: 16, y: y + 4, size: 11, cls: "row-label", title: name)
        let unitText = "\(AnalysisReport.number(row.current.median)) \(row.unit)"
        guard let base = reference(row, hasBaseline: hasBaseline) else {
            let why = hasBaseline && row.baseline == nil ? "not in the baseline; now \(unitText)" : "median is \(unitText): no ratio"
            svg.text(TextMetrics.fit(why, width: noteWidth, size: 11), x: noteX, y: y + 4, size: 11, fill: Palette.muted, cls: "note")
            return
        }
        let data = ["benchmark": row.benchmark, "metric": row.metric]
        if hasBaseline, let old = row.baseline {
            whisker(old, base: base, y: y - 4, scale: scale, color: Palette.baseline, svg: &svg)
            svg.marker(
                old.low == nil ? "ring" : "circle",
                x: scale(old.median / base),
                y: y - 4,
                r: 4,
                color: Palette.baseline,
                cls: "mark baseline",
                data: data,
                title: "baseline median \(AnalysisReport.number(old.median)) \(row.unit)"
            )
        }
        let cy = hasBaseline ? y + 4 : y
        whisker(row.current, base: base, y: cy, scale: scale, color: Palette.current, svg: &svg)
        svg.marker(
            row.current.low == nil ? "ring" : "diamond",
            x: scale(row.current.median / base),
            y: cy,
            r: 4,
            color: Palette.current,
            cls: "mark current",
            data: data,
            title: "current median \(unitText)"
        )
        var note: String
        var color = Palette.ink
        if hasBaseline, let old = row.baseline {
            let shown = DisplayUnit.choose(row.unit, maxValue: max(old.median, row.current.median))
            note = "\(AnalysisReport.number(old.median / shown.divisor)) → \(AnalysisReport.number(row.current.median / shown.divisor)) \(shown.unit)"
            if let change = row.change { note += " \(Recommendations.percent(change))" }
            switch row.verdict {
            case .regression?:
                note = "REGRESSION " + note
                color = Palette.regression
            case .improvement?:
                note = "improved " + note
                color = Palette.improvement
            case .insufficientSamples?:
                note = "too few samples " + note
                color = Palette.muted
            default: break
            }
        } else {
            let shown = DisplayUnit.choose(row.unit, maxValue: row.current.high ?? row.current.median)
            let scaled = Interval(
                median: row.current.median / shown.divisor,
                low: row.current.low.map { $0 / shown.divisor },
                high: row.current.high.map { $0 / shown.divisor }
            )
            note = "median \(AnalysisReport.number(scaled.median)) \(shown.unit) " + AnalysisReport.intervalText(scaled)
        }
        let cls = "note" + (row.verdict.map { " verdict \($0.rawValue)" } ?? "")
        svg.text(TextMetrics.fit(note, width: noteWidth, size: 11), x: noteX, y: y + 4, size: 11, fill: color, cls: cls, title: note)
    }

    static func whisker(_ interval: Interval, base: Double, y: Double, scale: Scale, color: String, svg: inout SVG) {
        guard let low = interval.low, let high = interval.high else { return }
        let a = scale(low / base)
        let b = scale(high / base)
        svg.line(a, y, b, y, stroke: color, width: 2, cls: "interval")
        svg.line(a, y - 3, a, y + 3, stroke: color, width: 1.5)
        svg.line(b, y - 3, b, y + 3, stroke: color, width: 1.5)
    }
}

extension SVG {
    /// Tick labels above the plot too, for tall charts (no grid, no title).
    mutating func xAxisLabelsOnly(_ scale: Scale, y: Double, format: (Double) -> String, size: Double = 11) {
        var lastRight = -Double.infinity
        for tick in scale.ticks() {
            let x = scale(tick)
            let label = format(tick)
            let w = TextMetrics.width(label, size: size)
            if x - w / 2 > lastRight + 6 {
                text(label, x: x, y: y, size: size, anchor: "middle", fill: Palette.axis, cls: "tick")
                lastRight = x + w / 2
            }
        }
    }
}
