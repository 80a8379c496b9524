import Foundation
import OllamaAPI

extension LoadSummary {
    /// A short human-readable summary: counts, rates, goodput and a latency table in milliseconds.
    ///
    /// ```
    /// requests     10 sent, 9 ok, 1 failed (http_5xx 1)
    ///              first http_5xx: no healthy node for model "llama3.2"
    /// elapsed      2.00 s
    /// throughput   4.50 req/s, 45.0 output tok/s
    /// goodput      80.0% of requests, 4.00 req/s (ttft=500ms)
    ///
    ///                   count      mean       p50       p90       p99     p99.9       max
    /// ttft (ms)             9     100.0     100.0     100.0     100.0     100.0     100.0
    /// ```
    public func text() -> String {
        var lines: [String] = []
        var requestLine = "\(requests) sent, \(succeeded) ok, \(failed) failed"
        if !errorsByKind.isEmpty {
            let kinds = errorsByKind.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
            requestLine += " (\(kinds.joined(separator: ", ")))"
        }
        lines.append(label("requests") + requestLine)
        for (kind, message) in (errorMessages ?? [:]).sorted(by: { $0.key < $1.key }) {
            lines.append(label("") + "first \(kind): \(message)")
        }
        lines.append(label("elapsed") + format(elapsed, 2) + " s")
        lines.append(
            label("throughput") + format(requestThroughput, 2) + " req/s, "
                + format(outputTokensPerSecond, 1) + " output tok/s"
        )
        if let goodput, let goodputPerSecond {
            lines.append(
                label("goodput") + format(goodput * 100, 1) + "% of requests, " + format(goodputPerSecond, 2)
                    + " req/s" + (slo.map { " (\($0.text()))" } ?? "")
            )
        }
        let rows: [(String, LatencySummary?)] = [
            ("ttft", ttft), ("itl", itl), ("tpot", tpot), ("e2e", e2e), ("lag", schedulerLag),
        ]
        let present = rows.compactMap { name, summary in summary.map { (name, $0) } }
        if !present.isEmpty {
            lines.append("")
            let headers = ["count", "mean", "p50", "p90", "p99", "p99.9", "max"]
            lines.append(label("") + headers.map { pad($0) }.joined())
            for (name, summary) in present {
                let values = [summary.mean, summary.p50, summary.p90, summary.p99, summary.p999, summary.max]
                lines.append(label("\(name) (ms)") + pad("\(summary.count)") + values.map { pad(format($0 * 1000, 1)) }.joined())
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func label(_ text: String) -> String {
        text.padding(toLength: 13, withPad: " ", startingAt: 0)
    }

    private func pad(_ text: String) -> String {
        String(repeating: " ", count: max(10 - text.count, 1)) + text
    }

    private func format(_ value: Double, _ decimals: Int) -> String {
        String(format: "%.\(decimals)f", value)
    }
}

extension SLO {
    /// The SLO in the form ``parse(_:)`` reads, bounds in milliseconds: `ttft=500ms,e2e=10000ms`.
    public func text() -> String {
        let bounds: [(String, Duration?)] = [("ttft", ttft), ("itl", itl), ("e2e", e2e)]
        return bounds.compactMap { key, value in
            value.map { "\(key)=\(String(format: "%g", $0.inSeconds * 1000))ms" }
        }.joined(separator: ",")
    }
}
