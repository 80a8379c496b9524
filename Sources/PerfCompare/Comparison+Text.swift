import Foundation
import PerfReport

extension Comparison {
    /// A benchstat-like aligned table for the terminal; `color` marks verdicts with ANSI colours.
    public func text(color: Bool = false) -> String {
        let header = ["benchmark", "metric", "baseline", "current", "change", "p", "verdict"]
        var rows: [[String]] = []
        var verdicts: [Verdict] = []
        for item in comparisons {
            rows.append([
                item.benchmark, item.unit.isEmpty ? item.metric : "\(item.metric) (\(item.unit))",
                Self.cell(item.baseline), Self.cell(item.current), Self.percent(item.change),
                item.pValue.map { Self.pText($0) } ?? (item.deterministic ? "exact" : "-"), item.verdict.symbol,
            ])
            verdicts.append(item.verdict)
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            var text = ""
            for (index, cell) in cells.enumerated() {
                text += cell
                if index < cells.count - 1 { text += String(repeating: " ", count: widths[index] - cell.count + 2) }
            }
            return text
        }
        var text = line(header) + "\n"
        for (row, verdict) in zip(rows, verdicts) {
            var rendered = line(row)
            if color, let code = Self.colorCode(verdict) { rendered = "\u{1B}[\(code)m\(rendered)\u{1B}[0m" }
            text += rendered + "\n"
        }
        text += "\n" + summaryLine + "\n"
        for item in comparisons where item.verdict == .insufficientSamples {
            if let note = item.note { text += "note: \(item.benchmark) \(item.metric): \(note)\n" }
        }
        if !added.isEmpty { text += "added (no baseline): \(added.joined(separator: ", "))\n" }
        if !removed.isEmpty { text += "removed (baseline only): \(removed.joined(separator: ", "))\n" }
        if !unmatchedMetrics.isEmpty { text += "metrics on one side only: \(unmatchedMetrics.joined(separator: ", "))\n" }
        return text
    }

    /// One sentence: how many comparisons, regressions and improvements, with the rule used.
    public var summaryLine: String {
        let insufficient = comparisons.filter { $0.verdict == .insufficientSamples }.count
        var line =
            "\(comparisons.count) comparisons: \(regressions.count) regressions, \(improvements.count) improvements"
        if insufficient > 0 { line += ", \(insufficient) with too few samples" }
        line += " (threshold \(Self.number(options.threshold * 100))%, alpha \(Self.number(options.alpha)))"
        return line
    }

    static func colorCode(_ verdict: Verdict) -> String? {
        switch verdict {
        case .regression: "31"
        case .improvement: "32"
        case .insufficientSamples: "33"
        case .unchanged: nil
        }
    }

    /// `median ±spread%` with three significant digits.
    static func cell(_ summary: Summary) -> String {
        let spread = summary.mean != 0 && summary.count > 1 ? abs(summary.stddev / summary.mean) * 100 : 0
        return "\(scaled(summary.median)) ±\(fixed(spread, decimals: 0))%"
    }

    static func percent(_ change: Double) -> String {
        guard change.isFinite else { return change > 0 ? "+inf%" : "-inf%" }
        return (change >= 0 ? "+" : "") + fixed(change * 100, decimals: 2) + "%"
    }

    static func pText(_ p: Double) -> String {
        p < 0.001 ? String(format: "%.1e", p) : fixed(p, decimals: 3)
    }

    /// 1234567 → `1.23M`; 0.000123 → `123µ`.
    static func scaled(_ value: Double) -> String {
        let magnitude = abs(value)
        let steps: [(Double, String)] = [(1e9, "G"), (1e6, "M"), (1e3, "k"), (1, ""), (1e-3, "m"), (1e-6, "µ"), (1e-9, "n")]
        guard magnitude > 0, magnitude.isFinite else { return String(format: "%g", value) }
        for (scale, suffix) in steps where magnitude >= scale {
            return significant(value / scale) + suffix
        }
        return String(format: "%.3g", value)
    }

    static func significant(_ value: Double) -> String {
        let magnitude = abs(value)
        return fixed(value, decimals: magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : 2)
    }

    /// `value` rounded to `decimals` places, as `%.Nf` prints it (without Foundation's formatter,
    /// which dominated the time of a 20,000-row table).
    static func fixed(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return "\(value)" }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let rounded = (abs(value) * scale).rounded()
        guard rounded < 1e15 else { return String(format: "%.\(decimals)f", value) }
        let units = Int(rounded)
        let whole = units / Int(scale)
        var text = (value < 0 && units > 0 ? "-" : "") + String(whole)
        if decimals > 0 {
            let fraction = String(units % Int(scale))
            text += "." + String(repeating: "0", count: decimals - fraction.count) + fraction
        }
        return text
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
