/// Axis drawing shared by the charts: grid lines, ticks and labels that never overlap.
extension SVG {
    /// A horizontal axis along `y` (the plot's bottom), with grid lines up to `top`. Labels that
    /// would collide with the previous one are skipped.
    mutating func xAxis(_ scale: Scale, y: Double, top: Double, label: String, format: (Double) -> String, size: Double = 11) {
        let ticks = scale.ticks()
        var lastRight = -Double.infinity
        for tick in ticks {
            let x = scale(tick)
            line(x, top, x, y, stroke: Palette.grid, width: 1, cls: "grid")
            line(x, y, x, y + 4, stroke: Palette.axis)
            let text = format(tick)
            let w = TextMetrics.width(text, size: size)
            if x - w / 2 > lastRight + 6 {
                self.text(text, x: x, y: y + 6 + size, size: size, anchor: "middle", fill: Palette.axis, cls: "tick")
                lastRight = x + w / 2
            }
        }
        line(scale.start, y, scale.end, y, stroke: Palette.axis, cls: "axis")
        text(label, x: (scale.start + scale.end) / 2, y: y + 12 + 2 * size, size: size + 1, anchor: "middle", cls: "axis-label")
    }

    /// A vertical axis at `x` (the plot's left), with grid lines across to `right`.
    mutating func yAxis(_ scale: Scale, x: Double, right: Double, label: String, format: (Double) -> String, size: Double = 11) {
        let ticks = scale.ticks(target: 5)
        var lastTop = Double.infinity
        for tick in ticks {
            let y = scale(tick)
            line(x, y, right, y, stroke: Palette.grid, width: 1, cls: "grid")
            if y + size / 2 < lastTop - 2 {
                text(format(tick), x: x - 6, y: y + size * 0.35, size: size, anchor: "end", fill: Palette.axis, cls: "tick")
                lastTop = y - size / 2
            }
        }
        line(x, scale.start, x, scale.end, stroke: Palette.axis, cls: "axis")
        // Above the axis, starting in the left margin (every chart leaves at least 56 px there).
        text(label, x: x - 56, y: min(scale.start, scale.end) - 10, size: size + 1, anchor: "start", cls: "axis-label")
    }

    /// Legend entries in one or more rows from (`x`, `y`), wrapping at `maxX`; returns the height used.
    @discardableResult
    mutating func legend(
        _ entries: [(label: String, color: String, shape: String)],
        x: Double,
        y: Double,
        maxX: Double,
        size: Double = 11
    ) -> Double {
        var cx = x
        var cy = y
        for entry in entries {
            let w = 22 + TextMetrics.width(entry.label, size: size) + 16
            if cx + w > maxX, cx > x {
                cx = x
                cy += size + 8
            }
            if entry.shape == "line" || entry.shape == "dash" {
                line(cx, cy - size * 0.35, cx + 16, cy - size * 0.35, stroke: entry.color, width: 3, dash: entry.shape == "dash" ? "5 3" : nil)
            } else {
                marker(entry.shape, x: cx + 8, y: cy - size * 0.35, r: 4.5, color: entry.color)
            }
            text(entry.label, x: cx + 22, y: cy, size: size, cls: "legend")
            cx += w
        }
        return cy - y + size + 8
    }

    /// A centred message for a chart that has nothing to draw, saying why.
    mutating func message(_ lines: [String], x: Double, y: Double, size: Double = 14) {
        let wrapped = lines.flatMap { TextMetrics.wrap($0, width: width - 48, size: size) }
        for (i, line) in wrapped.enumerated() {
            text(line, x: x, y: y + Double(i) * (size + 6), size: size, anchor: "middle", fill: Palette.muted, cls: "no-data")
        }
    }
}
