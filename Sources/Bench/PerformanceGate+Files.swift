import Foundation
import PerfCompare
import PerfReport

extension PerformanceGate {
    /// What `bench gate` found: the comparison with the baseline (when one was given) and the verdict.
    public struct Outcome: Sendable {
        /// `compare`'s result against the baseline; `nil` without a baseline.
        public var comparison: Comparison?
        /// Every check and whether the gate passed.
        public var result: Result

        /// The comparison (when there is one) and the gate, as Markdown for a job summary.
        public func markdown() -> String { result.markdown() + (comparison.map { "\n" + $0.markdown() } ?? "") }
    }

    /// Reads the budgets, the report and the baseline (when given) from their files and judges the report.
    ///
    /// - Parameters:
    ///   - current: the bench report to judge.
    ///   - baseline: the baseline report; `nil` checks only the budgets and failures.
    ///   - budgets: the budgets file (YAML).
    ///   - thresholdPercent: replaces the budgets file's regression threshold when given.
    /// - Throws: ``BenchError`` naming the file that is missing or unreadable and what to do.
    public static func judge(current: String, baseline: String?, budgets: String, thresholdPercent: Double?) throws(BenchError) -> Outcome {
        let limits = try Budgets.load(path: budgets)
        let report: PerformanceReport
        do {
            report = try PerformanceReport.load(path: current)
        } catch {
            throw BenchError("\(error)")
        }
        var comparison: Comparison?
        var buildCheck: Check?
        if let baseline {
            guard FileManager.default.fileExists(atPath: baseline) else {
                throw BenchError(
                    "\(baseline): no baseline report. Create one on this machine with `scripts/perf-check.sh --update-baseline` "
                        + "(or `ollama-distributed bench --output \(baseline)`), commit it, and run again; "
                        + "docs/performance.md explains when to refresh it"
                )
            }
            do {
                let base = try PerformanceReport.load(path: baseline)
                buildCheck = sameBuild(current: report, baseline: base)
                comparison = try Comparer.compare(
                    baseline: base,
                    current: report,
                    options: limits.comparisonOptions(thresholdPercent: thresholdPercent),
                    baselineSource: baseline,
                    currentSource: current
                )
            } catch {
                throw BenchError("\(error)")
            }
        }
        var result = evaluate(report: report, budgets: limits, comparison: comparison)
        if let buildCheck { result.checks.insert(buildCheck, at: min(1, result.checks.count)) }
        return Outcome(comparison: comparison, result: result)
    }

    /// Whether both reports were measured by the same kind of build: a debug build is several
    /// times slower than a release build, so comparing the two measures the compiler. `nil` when
    /// either report does not say (reports written before `bench` recorded it).
    static func sameBuild(current: PerformanceReport, baseline: PerformanceReport) -> Check? {
        guard let now = current.metadata.labels?[buildLabel], let then = baseline.metadata.labels?[buildLabel] else { return nil }
        let detail =
            now == then
            ? "both \(now)"
            : "the report is from a \(now) build, the baseline from a \(then) build; measure both with the same build "
                + "(scripts/perf-check.sh builds a release one)"
        return Check(name: "same build as the baseline", passed: now == then, detail: detail)
    }
}

extension Scenario {
    /// `bench --list`: one line per scenario, its name and what it measures; the scenarios
    /// outside the default set say that they run only when named.
    public static func listing() -> String {
        let width = known.map(\.name.count).max() ?? 0
        return known.map { scenario in
            let note = all.contains(scenario) ? "" : " (only with --scenario)"
            return "\(scenario.name.padding(toLength: width, withPad: " ", startingAt: 0)) \(scenario.summary)\(note)\n"
        }.joined()
    }
}

extension BenchReport {
    /// The throughput of every node count of the `throughput` scenario against one node (linear
    /// scaling is efficiency 1), as lines for a terminal; `nil` with fewer than two node counts.
    public static func scalingTable(_ report: PerformanceReport) -> String? {
        let rows = report.benchmarks.filter { $0.group == Scenario.throughput.name }
        guard rows.count > 1 else { return nil }
        var text = "scaling (median throughput; efficiency = throughput / (nodes x one-node throughput)):\n"
        for benchmark in rows {
            let throughput = benchmark.metric(named: "throughput")?.summary.median ?? 0
            let efficiency = benchmark.metric(named: "scaling_efficiency").map { String(format: "%.2f", $0.summary.median) } ?? "1.00"
            text += String(format: "  %@  %8.1f req/s  efficiency %@\n", benchmark.name, throughput, efficiency)
        }
        return text
    }
}
