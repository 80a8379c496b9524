import Foundation
import PerfCompare
import PerfReport

/// The recommendation rules: each a pure function from data to findings, so each is tested alone.
public enum Recommendations {
    /// Every rule over one run and its comparison, highest severity first; a rule that fires for
    /// more than `perRuleLimit` benchmarks keeps the first ones and sums up the rest in one entry.
    public static func all(current: PerformanceReport, comparison: Comparison?, perRuleLimit: Int = 5) -> [Recommendation] {
        var found: [Recommendation] = []
        if let comparison {
            found += regressions(comparison, baseline: nil, current: current.metadata.git?.commit)
            found += fewSamples(comparison)
        }
        found += current.benchmarks.flatMap(tailLatency)
        found += current.benchmarks.flatMap(errorRate)
        found += errorsUnderLoad(current.benchmarks)
        found += current.benchmarks.flatMap(noisy)
        if comparison == nil { found += current.benchmarks.flatMap(singleSample) }
        found += cpuSaturated(current.timeline ?? [], cores: current.metadata.host?.cores)
        found += memoryGrowth(current.timeline ?? [])
        return collapse(found, limit: perRuleLimit).enumerated()
            .sorted { ($0.element.severity, $0.offset) < ($1.element.severity, $1.offset) }.map(\.element)
    }

    /// Regressions from `compare`; allocation counts get their own wording.
    public static func regressions(_ comparison: Comparison, baseline: String?, current: String?) -> [Recommendation] {
        comparison.regressions.map { c in
            let evidence =
                "median \(fmt(c.baseline.median)) → \(fmt(c.current.median)) \(c.unit) (\(percent(c.change)))"
                + (c.pValue.map { ", p = \(fmt($0))" } ?? ", exact count") + ", threshold \(percent(c.threshold, sign: false))"
            if MetricRoles.isAllocation(c.metric) {
                return Recommendation(
                    rule: "allocations_up",
                    severity: .high,
                    benchmark: c.benchmark,
                    metric: c.metric,
                    evidence: "\(c.metric) per operation up: " + evidence,
                    suggestion:
                        "Exact counts do not vary between runs, so each extra allocation is real: list where with "
                        + "`swift package benchmark --filter '\(c.benchmark)' --allocation-stacks` (in Benchmarks/), "
                        + "or read the allocating functions of a running gateway with "
                        + "`go tool pprof -top -sample_index=alloc_objects http://127.0.0.1:8080/debug/pprof/heap` "
                        + "(`bench --profile DIR` writes one per benchmark, DIR/<name>.heap.pb.gz), "
                        + "and read the commits since the baseline."
                )
            }
            return Recommendation(
                rule: "regression",
                severity: .high,
                benchmark: c.benchmark,
                metric: c.metric,
                evidence: evidence,
                suggestion:
                    "Bisect the commits between the baseline and the current run on this benchmark; rerun both on the same host to rule out machine noise."
            )
        }
    }

    /// Comparisons the U test could not decide for lack of samples.
    public static func fewSamples(_ comparison: Comparison) -> [Recommendation] {
        comparison.comparisons.filter { $0.verdict == .insufficientSamples }.map { c in
            Recommendation(
                rule: "few_samples",
                severity: .medium,
                benchmark: c.benchmark,
                metric: c.metric,
                evidence: "\(c.baseline.count) vs \(c.current.count) samples: no change can reach significance",
                suggestion: "Record at least 6 samples per side (4 for the test, 6 for a bounded 95% median interval), e.g. -count 10."
            )
        }
    }

    /// A tail far above the median: p99 at least 3× the median, from 10 samples on.
    public static func tailLatency(_ benchmark: Benchmark) -> [Recommendation] {
        guard let metric = MetricRoles.latency(of: benchmark), metric.summary.count >= 10, metric.summary.median > 0 else {
            return []
        }
        let s = metric.summary
        let ratio = s.p99 / s.median
        guard ratio >= 3 else { return [] }
        return [
            Recommendation(
                rule: "tail_latency",
                severity: ratio >= 10 ? .high : .medium,
                benchmark: benchmark.name,
                metric: metric.name,
                evidence:
                    "p99 \(fmt(s.p99)) \(metric.unit) is \(String(format: "%.1f", ratio))× the median \(fmt(s.median)) \(metric.unit) (n = \(s.count))",
                suggestion:
                    "The slowest 1% wait far longer than the typical request: look at the latency distribution chart for a second mode (queueing, cold model loads) and at per-node latency; raise concurrency limits or add nodes if requests queue."
            )
        ]
    }

    /// An error rate at or above the seed's 1% target.
    public static func errorRate(_ benchmark: Benchmark) -> [Recommendation] {
        guard let metric = benchmark.metric(named: "error_rate"), metric.summary.max >= KPITargets.errorRate else { return [] }
        return [
            Recommendation(
                rule: "error_rate",
                severity: .high,
                benchmark: benchmark.name,
                metric: metric.name,
                evidence: "error rate \(percent(metric.summary.max, sign: false)) (target < 1%)",
                suggestion:
                    "Read the failures in the load report (status codes, timeouts) and the gateway's error counters; errors make every latency number optimistic."
            )
        ]
    }

    /// Error rate growing with load: across benchmarks with both `error_rate` and `throughput`,
    /// ordered by throughput, the busiest has at least 1 point more errors than the quietest.
    public static func errorsUnderLoad(_ benchmarks: [Benchmark]) -> [Recommendation] {
        let points = benchmarks.compactMap { b -> (String, Double, Double)? in
            guard let e = b.metric(named: "error_rate"), let t = b.metric(named: "throughput") else { return nil }
            return (b.name, t.summary.median, e.summary.median)
        }.sorted { $0.1 < $1.1 }
        guard points.count >= 2, let low = points.first, let high = points.last, high.2 - low.2 >= 0.01 else { return [] }
        return [
            Recommendation(
                rule: "errors_under_load",
                severity: .high,
                benchmark: high.0,
                metric: "error_rate",
                evidence:
                    "error rate rises from \(percent(low.2, sign: false)) at \(fmt(low.1)) req/s (\(low.0)) to \(percent(high.2, sign: false)) at \(fmt(high.1)) req/s (\(high.0))",
                suggestion:
                    "The gateway sheds or fails requests past some rate: find the knee with `load --sweep` and set admission limits below it so overload queues instead of failing."
            )
        ]
    }

    /// Repeated timings whose spread (stddev / mean) exceeds 10%: the default threshold cannot
    /// tell a change from noise.
    public static func noisy(_ benchmark: Benchmark) -> [Recommendation] {
        benchmark.metrics.filter { ["wall_clock", "time", "cpu_total"].contains($0.name) && $0.summary.count >= 5 && $0.summary.mean > 0 }
            .compactMap { metric in
                let cv = metric.summary.stddev / metric.summary.mean
                guard cv > 0.10 else { return nil }
                return Recommendation(
                    rule: "noisy",
                    severity: .low,
                    benchmark: benchmark.name,
                    metric: metric.name,
                    evidence: "standard deviation is \(percent(cv, sign: false)) of the mean over \(metric.summary.count) samples",
                    suggestion:
                        "Quiet the machine (no parallel builds), pin the benchmark to a core, or record more samples; a 10% threshold needs a spread well under 10%."
                )
            }
    }

    /// One sample only: no spread, no test, no interval.
    public static func singleSample(_ benchmark: Benchmark) -> [Recommendation] {
        guard let metric = MetricRoles.primary(of: benchmark), !metric.deterministic, metric.summary.count == 1 else { return [] }
        return [
            Recommendation(
                rule: "few_samples",
                severity: .medium,
                benchmark: benchmark.name,
                metric: metric.name,
                evidence: "1 sample of \(metric.name): no spread, no confidence interval, nothing to test against a baseline",
                suggestion: "Record at least 6 samples (e.g. -count 10) so comparisons can reach significance."
            )
        ]
    }

    /// CPU averaging above the 80% target over the run.
    public static func cpuSaturated(_ timeline: [TimelinePoint], cores: Int?) -> [Recommendation] {
        let readings = timeline.compactMap { $0.values["cpu"] }
        guard !readings.isEmpty else { return [] }
        let n = Double(Swift.max(cores ?? 1, 1))
        let average = readings.reduce(0, +) / Double(readings.count) / n
        guard average >= KPITargets.cpuFraction else { return [] }
        return [
            Recommendation(
                rule: "cpu_saturated",
                severity: .medium,
                benchmark: "timeline",
                metric: "cpu",
                evidence: "CPU averaged \(percent(average, sign: false)) of \(Int(n)) core(s) over \(readings.count) readings",
                suggestion:
                    "The run measured a saturated machine: latencies include waiting for a core. Lower the load, or find the hot path "
                    + "in a CPU profile of the gateway: `ollama-distributed profile --seconds 30 --format svg` (a flame graph), "
                    + "or `go tool pprof -top http://HOST:PORT/debug/pprof/profile?seconds=30`."
            )
        ]
    }

    /// RSS growing by more than 20% from the first tenth of the run to the last tenth (10+ readings).
    public static func memoryGrowth(_ timeline: [TimelinePoint]) -> [Recommendation] {
        let points = timeline.compactMap { p in p.values["rss_bytes"].map { (p.t, $0) } }.sorted { $0.0 < $1.0 }
        guard points.count >= 10 else { return [] }
        let tenth = Swift.max(points.count / 10, 1)
        let early = points.prefix(tenth).map(\.1).reduce(0, +) / Double(tenth)
        let late = points.suffix(tenth).map(\.1).reduce(0, +) / Double(tenth)
        guard early > 0, late / early - 1 > 0.20, let first = points.first, let last = points.last else { return [] }
        return [
            Recommendation(
                rule: "memory_growth",
                severity: .medium,
                benchmark: "timeline",
                metric: "rss_bytes",
                evidence:
                    "RSS grew from \(fmt(early / 1_048_576)) MiB to \(fmt(late / 1_048_576)) MiB (\(percent(late / early - 1))) between t = \(fmt(first.0)) s and \(fmt(last.0)) s",
                suggestion:
                    "Memory that keeps growing under steady load suggests a leak or an unbounded cache: take two heap profiles "
                    + "minutes apart during such a run, `ollama-distributed profile --type heap --output before.pb.gz` and "
                    + "then `--output after.pb.gz`, and list what grew with "
                    + "`go tool pprof -top -diff_base before.pb.gz after.pb.gz` (bytes in use by function; docs/profiling.md)."
            )
        ]
    }

    /// Keeps `limit` findings per rule and replaces the rest by one entry naming how many and which.
    static func collapse(_ findings: [Recommendation], limit: Int) -> [Recommendation] {
        var kept: [Recommendation] = []
        var extra: [String: [Recommendation]] = [:]
        var counts: [String: Int] = [:]
        for finding in findings {
            counts[finding.rule, default: 0] += 1
            if counts[finding.rule, default: 0] <= limit { kept.append(finding) } else { extra[finding.rule, default: []].append(finding) }
        }
        for (rule, rest) in extra.sorted(by: { $0.key < $1.key }) {
            guard let sample = rest.first else { continue }
            let names = rest.prefix(8).map(\.benchmark).joined(separator: ", ") + (rest.count > 8 ? ", …" : "")
            kept.append(
                Recommendation(
                    rule: rule,
                    severity: sample.severity,
                    benchmark: "\(rest.count) more benchmarks",
                    metric: nil,
                    evidence: "the same finding for: \(names)",
                    suggestion: sample.suggestion
                )
            )
        }
        return kept
    }

    /// A number to 4 significant digits.
    public static func fmt(_ value: Double) -> String {
        value.isFinite ? String(format: "%.4g", value) : "\(value)"
    }

    /// A fraction as a percentage, `+12.5%`.
    public static func percent(_ fraction: Double, sign: Bool = true) -> String {
        guard fraction.isFinite else { return fraction > 0 ? "+∞%" : "-∞%" }
        return String(format: sign ? "%+.1f%%" : "%.1f%%", fraction * 100)
    }
}
