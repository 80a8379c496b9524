import Foundation
import PerfReport
import Synchronization

/// Why two reports cannot be compared.
public struct CompareError: Error, Sendable, Hashable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}

/// Compares a current report with a baseline: the pure core of `ollama-distributed compare`.
///
/// Per benchmark and metric present on both sides: a regression is a change that is both
/// statistically significant (two-sided Mann-Whitney U, `p < alpha`) and larger than the
/// threshold in the metric's bad direction (the change is the Hodges-Lehmann shift relative to
/// the baseline median); an improvement mirrors it; anything else is
/// unchanged. Deterministic metrics (allocation counts) skip the test and compare medians
/// exactly against their own threshold. When the samples are too few for the test to ever
/// reach `alpha` (fewer than 4 per side at 0.05), the verdict says so instead of "unchanged".
public enum Comparer {
    public static func compare(
        baseline: PerformanceReport,
        current: PerformanceReport,
        options: ComparisonOptions = .init(),
        baselineSource: String = "baseline",
        currentSource: String = "current"
    ) throws(CompareError) -> Comparison {
        let problems = options.problems()
        guard problems.isEmpty else { throw CompareError(problems.map(\.description).joined(separator: "; ")) }
        let base = try index(baseline, options: options, source: baselineSource)
        let now = try index(current, options: options, source: currentSource)
        var pairs: [Pair] = []
        var unmatched: [String] = []
        for name in now.order where base.benchmarks[name] != nil {
            let before = base.benchmarks[name] ?? [:]
            let after = now.benchmarks[name] ?? [:]
            for metric in after.keys.sorted() {
                guard let old = before[metric], let new = after[metric] else {
                    unmatched.append("\(name): \(metric) (current only)")
                    continue
                }
                guard old.unit == new.unit else {
                    throw CompareError(
                        "benchmark \"\(name)\" metric \"\(metric)\": unit \"\(old.unit)\" in \(baselineSource) but \"\(new.unit)\" in \(currentSource); compare like with like"
                    )
                }
                pairs.append(Pair(benchmark: name, baseline: old, current: new))
            }
            for metric in before.keys.sorted() where after[metric] == nil {
                unmatched.append("\(name): \(metric) (baseline only)")
            }
        }
        return Comparison(
            comparisons: try judgeAll(pairs, options: options),
            added: now.order.filter { base.benchmarks[$0] == nil },
            removed: base.order.filter { now.benchmarks[$0] == nil },
            unmatchedMetrics: unmatched,
            options: .init(threshold: options.threshold, alpha: options.alpha)
        )
    }

    /// One metric present in both reports.
    struct Pair: Sendable {
        let benchmark: String
        let baseline: Metric
        let current: Metric
    }

    /// Judges every pair, in order; large comparisons are split over the machine's cores.
    static func judgeAll(_ pairs: [Pair], options: ComparisonOptions) throws(CompareError) -> [MetricComparison] {
        let chunkSize = 256
        guard pairs.count > chunkSize else {
            return try pairs.map { pair throws(CompareError) in
                try judge(benchmark: pair.benchmark, baseline: pair.baseline, current: pair.current, options: options)
            }
        }
        let chunks = (pairs.count + chunkSize - 1) / chunkSize
        let results = Mutex([Result<[MetricComparison], CompareError>?](repeating: nil, count: chunks))
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let slice = pairs[(chunk * chunkSize)..<min(pairs.count, (chunk + 1) * chunkSize)]
            let judged = Result { () throws(CompareError) -> [MetricComparison] in
                try slice.map { pair throws(CompareError) in
                    try judge(benchmark: pair.benchmark, baseline: pair.baseline, current: pair.current, options: options)
                }
            }
            results.withLock { $0[chunk] = judged }
        }
        var comparisons: [MetricComparison] = []
        comparisons.reserveCapacity(pairs.count)
        for result in results.withLock({ $0 }) {
            switch result {
            case .success(let judged): comparisons.append(contentsOf: judged)
            case .failure(let error): throw error
            case nil: break
            }
        }
        return comparisons
    }

    /// The most sample pairs (n·m) for which the change is the Hodges-Lehmann shift.
    static let shiftPairLimit = 2500

    /// One metric, both sides.
    static func judge(
        benchmark: String,
        baseline: Metric,
        current: Metric,
        options: ComparisonOptions
    ) throws(CompareError)
        -> MetricComparison
    {
        let deterministic = baseline.deterministic || current.deterministic
        let before = try summary(baseline, benchmark: benchmark)
        let after = try summary(current, benchmark: benchmark)
        let deterministicChange = ratio(after.median, before.median) - 1
        // Measured metrics use the Hodges-Lehmann shift (the estimator that goes with the U test):
        // much less noisy than the difference of two medians on small samples, and as robust to
        // outliers. It costs n·m differences, so from 50 samples a side on, where the medians
        // themselves are steady, the ratio of medians stands in.
        let useShift = !deterministic && baseline.samples.count * current.samples.count <= Self.shiftPairLimit
        let change =
            useShift
            ? StatsAdapter.relativeShift(baseline.samples, current.samples, baselineMedian: before.median) ?? deterministicChange
            : deterministicChange
        let lowerIsBetter = current.direction == .lowerIsBetter
        let worsening = lowerIsBetter ? change : -change
        let threshold = options.threshold(benchmark: benchmark, metric: current.name, deterministic: deterministic)
        var result = MetricComparison(
            benchmark: benchmark,
            metric: current.name,
            unit: current.unit,
            better: lowerIsBetter ? "lower" : "higher",
            deterministic: deterministic,
            baseline: before,
            current: after,
            change: change,
            worsening: worsening,
            pValue: nil,
            testMethod: nil,
            ratioInterval: nil,
            threshold: threshold,
            verdict: .unchanged,
            note: nil
        )
        let floor = options.absoluteFloors[current.name] ?? 0
        let belowFloor = abs(after.median - before.median) < floor
        if deterministic {
            if belowFloor {
                result.note = "change under the absolute floor of \(floor) \(current.unit)"
            } else if worsening > threshold {
                result.verdict = .regression
            } else if -worsening > threshold {
                result.verdict = .improvement
            }
            return result
        }
        let smallest = StatsAdapter.minimumPValue(before.count, after.count)
        if smallest >= options.alpha {
            result.verdict = .insufficientSamples
            result.note =
                "\(before.count) vs \(after.count) samples: the smallest possible p-value is \(format(smallest)), not below alpha \(options.alpha); run more iterations (e.g. -count 10)"
            return result
        }
        let test = StatsAdapter.mannWhitney(baseline.samples, current.samples)
        result.pValue = test.pValue
        result.testMethod = test.method
        let significant = test.pValue < options.alpha
        if belowFloor {
            result.note = "change under the absolute floor of \(floor) \(current.unit)"
        } else if significant && worsening > threshold {
            result.verdict = .regression
        } else if significant && -worsening > threshold {
            result.verdict = .improvement
        }
        if result.verdict != .unchanged, options.bootstrapResamples > 0 {
            // Resampling costs thousands of medians: only changes that matter get an interval.
            result.ratioInterval = StatsAdapter.ratioInterval(
                baseline.samples,
                current.samples,
                resamples: options.bootstrapResamples,
                seed: options.seed
            )
        }
        return result
    }

    /// The metric's own summary (the report computes it from the samples when it is made or read).
    static func summary(_ metric: Metric, benchmark: String) throws(CompareError) -> Summary {
        guard !metric.samples.isEmpty else {
            throw CompareError("benchmark \"\(benchmark)\" metric \"\(metric.name)\" has 0 samples (need at least 1)")
        }
        return metric.summary
    }

    /// `a / b`, with 0/0 = 1 and x/0 = ±infinity.
    static func ratio(_ a: Double, _ b: Double) -> Double {
        if b == 0 { return a == 0 ? 1 : (a > 0 ? .infinity : -.infinity) }
        return a / b
    }

    static func format(_ value: Double) -> String {
        value < 0.001 ? String(format: "%.2e", value) : String(format: "%.3f", value)
    }

    private struct Indexed {
        var order: [String] = []
        var benchmarks: [String: [String: Metric]] = [:]
    }

    private static func index(
        _ report: PerformanceReport,
        options: ComparisonOptions,
        source: String
    ) throws(CompareError)
        -> Indexed
    {
        var indexed = Indexed()
        for benchmark in report.benchmarks {
            let name = options.normalize(benchmark.name)
            if indexed.benchmarks[name] != nil {
                throw CompareError(
                    "\(source): benchmark \"\(name)\" appears twice (after removing the -N suffix); give benchmarks unique names"
                )
            }
            indexed.order.append(name)
            var metrics: [String: Metric] = [:]
            for metric in benchmark.metrics { metrics[metric.name] = metric }
            indexed.benchmarks[name] = metrics
        }
        return indexed
    }
}
