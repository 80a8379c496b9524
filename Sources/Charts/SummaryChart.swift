import PerfAnalysis
import PerfReport

/// `performance_summary`: a scorecard of the seed's KPIs against their targets, and the
/// comparison's verdict counts. Each card names its status in words and a symbol (✓ ✗ –) as
/// well as in colour.
public enum SummaryChart {
    /// The SVG document: the KPI cards, then the verdict counts.
    public static func svg(_ report: AnalysisReport) -> String {
        let cardWidth = 236.0
        let cardHeight = 200.0
        let gap = 12.0
        let width = 16 * 2 + Double(report.kpis.count) * cardWidth + Double(max(report.kpis.count - 1, 0)) * gap
        let top = 64.0
        var svg = SVG(width: max(width, 700), height: top + cardHeight + 110)
        let title = "Performance summary"
        svg.text(title, x: 16, y: 26, size: 17, weight: "bold", cls: "chart-title")
        let commit = report.metadata.git?.commit.map { String($0.prefix(12)) } ?? "unknown commit"
        let subtitle =
            "KPIs against the seed's KPI list (bench gate enforces its stricter success metrics); run \(report.metadata.createdAt), \(commit), \(report.results.count) metric(s) in \(Set(report.results.map(\.benchmark)).count) benchmark(s)"
        svg.text(TextMetrics.fit(subtitle, width: svg.width - 32, size: 11), x: 16, y: 44, size: 11, fill: Palette.muted)
        for (i, kpi) in report.kpis.enumerated() {
            card(kpi, x: 16 + Double(i) * (cardWidth + gap), y: top, width: cardWidth, height: cardHeight, svg: &svg)
        }
        let y = top + cardHeight + 36
        if let a = report.regressionAnalysis {
            svg.text("Against the baseline", x: 16, y: y, size: 13, weight: "bold")
            let parts: [(String, String)] = [
                ("\(a.regressions) regression(s)", a.regressions > 0 ? Palette.regression : Palette.ink),
                ("\(a.improvements) improvement(s)", a.improvements > 0 ? Palette.improvement : Palette.ink),
                ("\(a.unchanged) unchanged", Palette.ink), ("\(a.insufficientSamples) with too few samples", Palette.muted),
            ]
            var x = 16.0
            for (text, color) in parts {
                svg.text(text, x: x, y: y + 24, size: 13, fill: color, cls: "verdict-count")
                x += TextMetrics.width(text, size: 13) + 28
            }
        } else {
            svg.text("No baseline given: no regression analysis", x: 16, y: y, size: 13, fill: Palette.muted)
        }
        let high = report.recommendations.filter { $0.severity == .high }.count
        svg.text("\(report.recommendations.count) recommendation(s), \(high) high", x: 16, y: y + 50, size: 12, fill: Palette.muted)
        return svg.render(title: title, description: subtitle)
    }

    static func card(_ kpi: KPI, x: Double, y: Double, width: Double, height: Double, svg: inout SVG) {
        let (color, word, symbol): (String, String, String) =
            switch kpi.status {
            case .pass: (Palette.bluishGreen, "PASS", "✓")
            case .fail: (Palette.vermillion, "FAIL", "✗")
            case .noData: (Palette.muted, "NO DATA", "–")
            }
        svg.rect(x: x, y: y, w: width, h: height, fill: "white", stroke: color, cls: "kpi \(kpi.status.rawValue)", rx: 6)
        svg.rect(x: x, y: y, w: width, h: 6, fill: color, rx: 0)
        svg.text(kpi.name, x: x + 12, y: y + 30, size: 14, weight: "bold", cls: "kpi-name")
        svg.text("target \(kpi.target)", x: x + 12, y: y + 48, size: 11, fill: Palette.muted)
        let value = kpi.measured.map { AnalysisReport.display($0, unit: kpi.unit) } ?? "–"
        svg.text(TextMetrics.fit(value, width: width - 24, size: 22), x: x + 12, y: y + 84, size: 22, weight: "bold", cls: "kpi-value")
        svg.text("\(symbol) \(word)", x: x + width - 12, y: y + 30, size: 13, anchor: "end", fill: color, weight: "bold", cls: "kpi-status")
        let lines = TextMetrics.wrap(kpi.evidence, width: width - 24, size: 10)
        for (i, line) in lines.prefix(6).enumerated() {
            let text = i == 5 && lines.count > 6 ? TextMetrics.fit(line + " …", width: width - 24, size: 10) : line
            svg.text(text, x: x + 12, y: y + 110 + Double(i) * 14, size: 10, fill: Palette.ink, cls: "kpi-evidence")
        }
    }
}
