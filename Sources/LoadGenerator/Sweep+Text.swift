import Foundation
import OllamaAPI

extension Sweep {
    /// The table of a sweep's steps, one line each, latencies in milliseconds:
    ///
    /// ```
    /// step          offered     achieved    goodput   p95 TTFT    p95 e2e
    /// closed loop  flat out      40.0/s     100.0%        5ms       25ms
    /// open loop      8.0/s        8.0/s     100.0%        4ms       20ms
    /// ```
    public static func table(_ steps: [Step]) -> String {
        func right(_ text: String, _ width: Int) -> String {
            String(repeating: " ", count: Swift.max(0, width - text.count)) + text
        }
        var lines = ["step          offered     achieved    goodput   p95 TTFT    p95 e2e"]
        for step in steps {
            let kind = step.rate == nil ? "closed loop" : "open loop"
            let offered = step.rate.map { String(format: "%.1f/s", $0) } ?? "flat out"
            let columns = [
                kind.padding(toLength: 12, withPad: " ", startingAt: 0), right(offered, 9),
                right(String(format: "%.1f/s", step.summary.requestThroughput), 11),
                right(String(format: "%.1f%%", (step.summary.goodput ?? 0) * 100), 10),
                right(String(format: "%.0fms", (step.summary.ttft?.p95 ?? .nan) * 1000), 10),
                right(String(format: "%.0fms", (step.summary.e2e?.p95 ?? .nan) * 1000), 10),
            ]
            lines.append(columns.joined(separator: " "))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The sweep's answer in one line: the highest rate whose goodput met `slo` for the target
    /// share of requests, or that no open-loop step did.
    public func conclusion(_ steps: [Step], slo: SLO) -> String {
        let share = "\(Int((goodputTarget * 100).rounded()))%"
        guard let best = best(steps) else { return "no open-loop step met \(slo.text()) for \(share) of its requests" }
        return "highest rate meeting \(slo.text()) for \(share) of requests: \(String(format: "%.1f", best)) requests/s"
    }

    /// How long each step of a sweep lasts when the whole sweep (its closed-loop step and
    /// ``steps`` open-loop ones) takes `total`.
    public func stepDuration(total: Duration) -> Duration {
        total / (steps + 1)
    }
}
