import Foundation
import PerfCompare
import PerfReport

extension AnalysisReport {
    /// The report as JSON: sorted keys, pretty-printed, so equal reports are equal bytes.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(self)
        data.append(UInt8(ascii: "\n"))
        return data
    }

    /// The report as GitHub-flavoured Markdown: run, KPIs, recommendations, comparison, results, resources.
    public func markdown() -> String {
        var out = "# Performance report\n\n"
        out += "- Run: \(runLine(metadata)) (`\(currentSource)`)\n"
        if let baselineMetadata, let baselineSource {
            out += "- Baseline: \(runLine(baselineMetadata)) (`\(baselineSource)`)\n"
        }
        out += "\n## KPIs\n\nTargets: \(KPITargets.source).\n\n| KPI | target | measured | status | evidence |\n|---|---|---|---|---|\n"
        for kpi in kpis {
            out +=
                "| \(kpi.name) | \(kpi.target) | \(kpi.measured.map { Self.display($0, unit: kpi.unit) } ?? "–") | \(kpi.status.rawValue) | \(cell(kpi.evidence)) |\n"
        }
        out += "\n## Recommendations\n\n"
        if recommendations.isEmpty { out += "No rule fired: nothing in the data calls for action.\n" }
        for r in recommendations {
            out += "- **\(r.severity.rawValue)** `\(r.benchmark)`\(r.metric.map { " \($0)" } ?? ""): \(r.evidence). \(r.suggestion)\n"
        }
        if let analysis = regressionAnalysis, let comparison {
            out += "\n## Comparison with the baseline\n\n"
            out += "\(analysis.regressions) regression(s), \(analysis.improvements) improvement(s), \(analysis.unchanged) unchanged, "
            out +=
                "\(analysis.insufficientSamples) with too few samples (threshold \(Recommendations.percent(analysis.threshold, sign: false)), alpha \(analysis.alpha)).\n\n"
            out += "| benchmark | metric | baseline | current | change | p | verdict |\n|---|---|---|---|---|---|---|\n"
            for c in comparison.comparisons {
                out +=
                    "| \(cell(c.benchmark)) | \(c.metric) | \(Self.number(c.baseline.median)) \(c.unit) | \(Self.number(c.current.median)) \(c.unit) | \(Recommendations.percent(c.change)) | \(c.pValue.map(Self.number) ?? "–") | \(c.verdict.symbol) |\n"
            }
            if !analysis.added.isEmpty { out += "\nOnly in the current run: \(analysis.added.joined(separator: ", "))\n" }
            if !analysis.removed.isEmpty { out += "\nOnly in the baseline: \(analysis.removed.joined(separator: ", "))\n" }
        }
        out += "\n## Benchmark results\n\n| benchmark | metric | n | median | 95% CI | p95 | p99 | unit |\n|---|---|---|---|---|---|---|---|\n"
        for r in results {
            out +=
                "| \(cell(r.benchmark)) | \(r.metric) | \(r.summary.count) | \(Self.number(r.summary.median)) | \(Self.intervalText(r.medianInterval)) | \(Self.number(r.summary.p95)) | \(Self.number(r.summary.p99)) | \(r.unit) |\n"
        }
        out += "\n## Resource usage\n\n"
        if resources.isEmpty { out += "The report has no resource timeline.\n" }
        for series in resources {
            out +=
                "- \(series.name): mean \(Self.display(series.mean, unit: series.unit)), max \(Self.display(series.max, unit: series.unit)) over \(series.values.count) readings\n"
        }
        return out
    }

    private func runLine(_ m: Metadata) -> String {
        let commit = m.git?.commit.map { String($0.prefix(12)) } ?? "unknown commit"
        return "\(m.createdAt), \(commit) on \(m.git?.branch ?? "unknown branch"), host \(m.host?.hostname ?? "unknown")"
    }

    private func cell(_ text: String) -> String { text.replacingOccurrences(of: "|", with: "\\|") }

    /// A number to 4 significant digits.
    public static func number(_ value: Double) -> String { Recommendations.fmt(value) }

    /// `[low, high]`, or `n < 6` when the interval is unbounded.
    public static func intervalText(_ interval: Interval) -> String {
        guard let low = interval.low, let high = interval.high else { return "unbounded (n < 6)" }
        return "[\(number(low)), \(number(high))]"
    }

    /// A value with its unit for people: ratios as percentages, bytes in MiB/GiB, cores as %.
    public static func display(_ value: Double, unit: String) -> String {
        switch unit {
        case "ratio": return Recommendations.percent(value, sign: false)
        case "count": return number(value)
        case "cores": return "\(number(value * 100))% of a core"
        case "B":
            if value >= 1_073_741_824 { return "\(number(value / 1_073_741_824)) GiB" }
            return "\(number(value / 1_048_576)) MiB"
        default: return "\(number(value)) \(unit)"
        }
    }
}
