import Foundation
import PerfAnalysis
import PerfCompare
import PerfReport

/// The self-contained HTML report: inline CSS, inline SVG charts, a sortable table in plain
/// inline JavaScript; it loads nothing from the network.
public enum HTMLReport {
    /// The whole HTML document for `report`, with `charts` inlined.
    public static func render(_ report: AnalysisReport, charts: ChartSet) -> String {
        var out = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Performance report \(escape(report.metadata.createdAt))</title>
            <style>\(css)</style></head><body>
            <h1>Performance report</h1>

            """
        out += "<p class=\"meta\">\(escape(runLine(report)))</p>\n"
        out += section("Summary", chart: charts.svgs["performance_summary"])
        out += "<h2>Recommendations</h2>\n"
        if report.recommendations.isEmpty {
            out += "<p>No rule fired: nothing in the data calls for action.</p>\n"
        } else {
            out += "<ul class=\"recommendations\">\n"
            for r in report.recommendations {
                out += "<li class=\"\(r.severity.rawValue)\"><span class=\"sev\">\(r.severity.rawValue)</span> <code>\(escape(r.benchmark))</code>"
                out += (r.metric.map { " \(escape($0))" } ?? "") + ": \(escape(r.evidence)). \(escape(r.suggestion))</li>\n"
            }
            out += "</ul>\n"
        }
        out += section("Benchmark comparison", chart: charts.svgs["benchmark_comparison"])
        out += table(report)
        out += section("Latency distribution", chart: charts.svgs["latency_distribution"])
        out += section("Trends", chart: charts.svgs["performance_trends"])
        out += section("Resource usage", chart: charts.svgs["resource_usage"])
        out += "<script>\(script)</script>\n</body></html>\n"
        return out
    }

    static func runLine(_ report: AnalysisReport) -> String {
        let m = report.metadata
        var line = "Run \(m.createdAt)"
        if let commit = m.git?.commit { line += ", commit \(commit.prefix(12))" }
        if let branch = m.git?.branch { line += " on \(branch)" }
        if let host = m.host?.hostname { line += ", host \(host)" }
        line += " (\(report.currentSource))"
        if let b = report.baselineMetadata, let source = report.baselineSource {
            line += "; baseline \(b.createdAt)" + (b.git?.commit.map { ", commit \($0.prefix(12))" } ?? "") + " (\(source))"
        }
        return line
    }

    static func section(_ title: String, chart: String?) -> String {
        "<h2>\(escape(title))</h2>\n<div class=\"chart\">\(chart.map(stripProlog) ?? "")</div>\n"
    }

    /// Inline SVG needs no XML prolog; the charts have none, but a future one would be harmless to cut.
    static func stripProlog(_ svg: String) -> String {
        svg.hasPrefix("<?xml") ? String(svg.drop { $0 != "\n" }) : svg
    }

    /// The sortable table: every metric comparison with a baseline, else every result.
    static func table(_ report: AnalysisReport) -> String {
        var out = "<table class=\"sortable\" id=\"results\"><thead><tr>"
        let numeric: Set<Int>
        var rows: [[(text: String, sort: String)]] = []
        if let comparison = report.comparison {
            let headers = ["benchmark", "metric", "baseline median", "current median", "unit", "change", "p-value", "verdict"]
            numeric = [2, 3, 5, 6]
            out += headers.enumerated().map {
                "<th data-col=\"\($0.offset)\"\(numeric.contains($0.offset) ? " data-numeric" : "")>\($0.element)</th>"
            }.joined()
            for c in comparison.comparisons {
                rows.append([
                    (c.benchmark, c.benchmark), (c.metric, c.metric),
                    (AnalysisReport.number(c.baseline.median), "\(c.baseline.median)"),
                    (AnalysisReport.number(c.current.median), "\(c.current.median)"), (c.unit, c.unit),
                    (Recommendations.percent(c.change), c.change.isFinite ? "\(c.change)" : "1e308"),
                    (c.pValue.map(AnalysisReport.number) ?? "–", c.pValue.map { "\($0)" } ?? "2"),
                    (c.verdict.symbol, c.verdict.rawValue),
                ])
            }
        } else {
            let headers = ["benchmark", "metric", "n", "median", "95% CI of the median", "p95", "p99", "unit"]
            numeric = [2, 3, 5, 6]
            out += headers.enumerated().map {
                "<th data-col=\"\($0.offset)\"\(numeric.contains($0.offset) ? " data-numeric" : "")>\($0.element)</th>"
            }.joined()
            for r in report.results {
                rows.append([
                    (r.benchmark, r.benchmark), (r.metric, r.metric), ("\(r.summary.count)", "\(r.summary.count)"),
                    (AnalysisReport.number(r.summary.median), "\(r.summary.median)"),
                    (AnalysisReport.intervalText(r.medianInterval), AnalysisReport.intervalText(r.medianInterval)),
                    (AnalysisReport.number(r.summary.p95), "\(r.summary.p95)"), (AnalysisReport.number(r.summary.p99), "\(r.summary.p99)"),
                    (r.unit, r.unit),
                ])
            }
        }
        out += "</tr></thead><tbody>\n"
        for row in rows {
            let verdict = report.comparison == nil ? "" : " class=\"\(escape(row.last?.sort ?? ""))\""
            out += "<tr\(verdict)>" + row.map { "<td data-sort=\"\(escape($0.sort))\">\(escape($0.text))</td>" }.joined() + "</tr>\n"
        }
        out += "</tbody></table>\n<p class=\"hint\">Click a column heading to sort; click again to reverse.</p>\n"
        return out
    }

    static let css = """
        body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px auto;max-width:1400px;padding:0 16px;color:#222}
        h1{font-size:26px;margin-bottom:4px}h2{font-size:19px;margin-top:32px;border-bottom:1px solid #ddd;padding-bottom:4px}
        .meta,.hint{color:#666;font-size:13px}.chart{overflow-x:auto}.chart svg{max-width:none;height:auto}
        table{border-collapse:collapse;font-size:13px;width:100%}th,td{border-bottom:1px solid #e4e4e4;padding:4px 8px;text-align:left}
        th{cursor:pointer;background:#f4f4f4;position:sticky;top:0;user-select:none}th.asc::after{content:" ▲"}th.desc::after{content:" ▼"}
        td:nth-child(n+3){font-variant-numeric:tabular-nums}tr.regression td{background:#fbe3d6}tr.improvement td{background:#d9f0e8}
        ul.recommendations li{margin:6px 0;line-height:1.4}.sev{display:inline-block;min-width:58px;font-weight:bold;text-transform:uppercase;font-size:11px}
        li.high .sev{color:#D55E00}li.medium .sev{color:#0072B2}li.low .sev{color:#777}code{background:#f4f4f4;padding:1px 4px}
        """

    static let script = """
        document.querySelectorAll("table.sortable").forEach(function (table) {
          var headers = table.querySelectorAll("th");
          headers.forEach(function (th) {
            th.addEventListener("click", function () {
              var col = Number(th.dataset.col), numeric = th.hasAttribute("data-numeric");
              var asc = !th.classList.contains("asc");
              headers.forEach(function (h) { h.classList.remove("asc", "desc"); });
              th.classList.add(asc ? "asc" : "desc");
              var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
              rows.sort(function (a, b) {
                var x = a.cells[col].dataset.sort, y = b.cells[col].dataset.sort;
                var c = numeric ? Number(x) - Number(y) : x.localeCompare(y);
                return asc ? c : -c;
              });
              rows.forEach(function (r) { body.appendChild(r); });
            });
          });
        });
        """
}
