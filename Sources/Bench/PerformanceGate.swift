import Foundation
import PerfCompare
import PerfReport

/// The CI gate: benchmarks ran, nothing regressed beyond the threshold, budgets hold.
///
/// Pure: it takes the report, the budgets and (when there is a baseline) the comparison, and
/// returns every check with its verdict.
public enum PerformanceGate {
    /// The report label where `bench` lists configurations that failed to run.
    public static let failedLabel = "failed_benchmarks"
    /// The report label saying whether a `debug` or `release` build ran the benchmarks.
    public static let buildLabel = "bench_build"

    /// One line of the gate.
    public struct Check: Sendable, Hashable {
        /// What was checked, e.g. `budget e2e_p95 throughput/nodes=1/threads=2`.
        public var name: String
        public var passed: Bool
        /// The measured value against the limit, or the failure.
        public var detail: String

        public init(name: String, passed: Bool, detail: String) {
            self.name = name
            self.passed = passed
            self.detail = detail
        }
    }

    /// Every check; the gate passes when all do.
    public struct Result: Sendable, Hashable {
        public var checks: [Check]
        public var passed: Bool { checks.allSatisfy(\.passed) }

        /// Aligned lines for a terminal: `PASS name: detail` / `FAIL ...`, then the verdict.
        public func text() -> String {
            var lines = checks.map { "\($0.passed ? "PASS" : "FAIL") \($0.name): \($0.detail)" }
            let failed = checks.filter { !$0.passed }.count
            lines.append(passed ? "gate: PASS (\(checks.count) checks)" : "gate: FAIL (\(failed) of \(checks.count) checks failed)")
            return lines.joined(separator: "\n") + "\n"
        }

        /// A Markdown section for a job summary or pull-request comment.
        public func markdown() -> String {
            var lines = [
                passed ? "### Performance gate: passed" : "### Performance gate: **failed**", "",
                "| | check | detail |", "|---|---|---|",
            ]
            for check in checks {
                lines.append("| \(check.passed ? "✅" : "❌") | \(check.name) | \(check.detail.replacingOccurrences(of: "|", with: "\\|")) |")
            }
            return lines.joined(separator: "\n") + "\n"
        }
    }

    /// Judges `report` against `budgets`, and `comparison` when a baseline was compared.
    public static func evaluate(report: PerformanceReport, budgets: Budgets, comparison: Comparison?) -> Result {
        var checks: [Check] = []
        if let failed = report.metadata.labels?[failedLabel], !failed.isEmpty {
            checks.append(Check(name: "benchmarks ran", passed: false, detail: failed))
        } else if report.benchmarks.isEmpty {
            checks.append(Check(name: "benchmarks ran", passed: false, detail: "the report has no benchmarks"))
        } else {
            checks.append(Check(name: "benchmarks ran", passed: true, detail: "\(report.benchmarks.count) benchmarks"))
        }
        if let comparison, comparison.comparisons.isEmpty {
            checks.append(
                Check(
                    name: "no regression",
                    passed: false,
                    detail: "no benchmark metric of the report is in the baseline (made with other flags or scenarios?); "
                        + "refresh the baseline with the same flags (docs/performance.md)"
                )
            )
        } else if let comparison {
            let regressions = comparison.regressions
            let detail =
                regressions.isEmpty
                ? "none above \(format(budgets.thresholdPercent))% (\(comparison.comparisons.count) metrics compared)"
                : regressions.map { "\($0.benchmark) \($0.metric) \(signedPercent($0.change))" }.joined(separator: ", ")
            checks.append(Check(name: "no regression", passed: regressions.isEmpty, detail: detail))
        }
        for benchmark in report.benchmarks {
            checks += budgetChecks(
                benchmark,
                limits: budgets.limits(forScenario: benchmark.group),
                host: report.metadata.host,
                debugBuild: report.metadata.labels?[buildLabel] == "debug"
            )
        }
        return Result(checks: checks)
    }

    /// The budget checks of one benchmark; a failed throughput floor of a `debug` build says so.
    static func budgetChecks(_ benchmark: Benchmark, limits: Budgets.Limits, host: HostInfo?, debugBuild: Bool = false) -> [Check] {
        var checks: [Check] = []
        func check(_ found: Metric?, _ limit: Double?, useMax: Bool = false, atLeast: Bool = false, render: (Double) -> String) {
            guard let limit, let found, !found.samples.isEmpty else { return }
            let value = useMax ? found.summary.max : found.summary.median
            let passed = atLeast ? value >= limit : value <= limit
            let relation = atLeast ? (passed ? "≥" : "<") : (passed ? "≤" : ">")
            checks.append(
                Check(
                    name: "budget \(found.name) \(benchmark.name)",
                    passed: passed,
                    detail: "\(useMax ? "max" : "median") \(render(value)) \(relation) \(render(limit))"
                )
            )
        }
        check(p95Latency(of: benchmark), limits.latencyP95Seconds) { "\(format($0 * 1000)) ms" }
        check(benchmark.metric(named: "throughput"), limits.throughputMin, atLeast: true) { "\(format($0)) req/s" }
        if debugBuild, let last = checks.last, !last.passed, last.name.hasPrefix("budget throughput ") {
            checks[checks.count - 1].detail +=
                " (a debug build measured this; the budget is for release builds: "
                + "`swift run -c release ollama-distributed bench` or scripts/perf-check.sh)"
        }
        check(benchmark.metric(named: "error_rate"), limits.errorRate) { "\(format($0 * 100))%" }
        check(benchmark.metric(named: "cpu_utilization"), limits.cpuUtilization) { "\(format($0 * 100))%" }
        check(benchmark.metric(named: "peak_rss"), limits.peakMemoryBytes, useMax: true) { "\(format($0 / 1_048_576)) MiB" }
        if let fraction = limits.memoryFraction, let memory = host?.memoryBytes, memory > 0 {
            check(benchmark.metric(named: "peak_rss"), fraction * Double(memory), useMax: true) {
                "\(format($0 / 1_048_576)) MiB (\(format($0 / Double(memory) * 100))% of the host)"
            }
        }
        return checks
    }

    /// The per-repetition p95 end-to-end latency the latency budget reads: `e2e_p95`, or an older
    /// report's `latency_p95` (the naming rule reads its base `latency` as `e2e`). In seconds.
    static func p95Latency(of benchmark: Benchmark) -> Metric? {
        benchmark.metrics.first { metric in
            let name = MetricName(metric.name)
            return name.base == "e2e" && name.percentile == 95 && metric.unit == "s"
        }
    }

    static func format(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }

    static func signedPercent(_ change: Double) -> String {
        change.isFinite ? (change >= 0 ? "+" : "") + format(change * 100) + "%" : (change > 0 ? "+inf%" : "-inf%")
    }
}
