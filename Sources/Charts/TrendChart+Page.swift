extension TrendChart {
    /// The page both trend charts share: a title, a subtitle, `empty` when there is nothing to
    /// draw, else the legend and one panel per item, two columns when there are several.
    static func page<Item>(
        _ items: [Item],
        title: String,
        subtitle: String,
        empty: String,
        legend: [(label: String, color: String, shape: String)],
        panel: (Item, _ x: Double, _ y: Double, _ width: Double, _ height: Double, inout SVG) -> Void
    ) -> String {
        let columns = items.count > 1 ? 2 : 1
        let panelWidth = items.count > 1 ? 580.0 : 1000.0
        let panelHeight = 230.0
        let rows = max((items.count + columns - 1) / columns, 1)
        let width = 24 + Double(columns) * panelWidth
        let top = 84.0
        var svg = SVG(width: width, height: top + Double(rows) * panelHeight + 16)
        svg.text(title, x: 16, y: 26, size: 17, weight: "bold", cls: "chart-title")
        svg.text(TextMetrics.fit(subtitle, width: width - 32, size: 11), x: 16, y: 44, size: 11, fill: Palette.muted, title: subtitle)
        guard !items.isEmpty else {
            svg.message([empty], x: width / 2, y: top + 80)
            return svg.render(title: title, description: empty)
        }
        svg.legend(legend, x: 16, y: 66, maxX: width - 16)
        for (i, item) in items.enumerated() {
            panel(item, 12 + Double(i % columns) * panelWidth, top + Double(i / columns) * panelHeight, panelWidth - 12, panelHeight - 12, &svg)
        }
        return svg.render(title: title, description: subtitle)
    }

    /// A panel's box and its title (`benchmark · metric`); returns the plot area inside it.
    static func panelFrame(
        benchmark: String,
        metric: String,
        x: Double,
        y: Double,
        width: Double,
        height: Double,
        svg: inout SVG
    ) -> (left: Double, right: Double, top: Double, bottom: Double) {
        svg.rect(x: x, y: y, w: width, h: height, fill: "white", stroke: Palette.grid, cls: "panel", rx: 4)
        let name = "\(benchmark) · \(metric)"
        svg.text(
            TextMetrics.fit(name, width: width - 24, size: 12),
            x: x + 10,
            y: y + 18,
            size: 12,
            weight: "bold",
            cls: "panel-title",
            title: name
        )
        return (x + 64, x + width - 16, y + 46, y + height - 44)
    }
}
