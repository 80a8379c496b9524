import PerfReport

/// Combining reports: repetitions run at different times (`bench --append`, which CI uses to
/// interleave base and head runs), and micro-benchmark results (`bench --micro`).
public enum BenchReport {
    /// `earlier` with `later`'s samples appended: the same benchmark and metric concatenate their
    /// samples (repetitions, so this is exact), new ones are added, failures of both are kept,
    /// and `later`'s timeline follows `earlier`'s, shifted to start where it ended.
    /// - Throws: ``BenchError`` when a metric's unit or direction differs between the two.
    public static func appending(_ later: PerformanceReport, to earlier: PerformanceReport) throws(BenchError) -> PerformanceReport {
        var merged = earlier
        for benchmark in later.benchmarks {
            guard let index = merged.benchmarks.firstIndex(where: { $0.name == benchmark.name }) else {
                merged.benchmarks.append(benchmark)
                continue
            }
            var existing = merged.benchmarks[index]
            for metric in benchmark.metrics {
                guard let at = existing.metrics.firstIndex(where: { $0.name == metric.name }) else {
                    existing.metrics.append(metric)
                    continue
                }
                let old = existing.metrics[at]
                guard old.unit == metric.unit, old.direction == metric.direction else {
                    throw BenchError(
                        "cannot append: benchmark \"\(benchmark.name)\" metric \"\(metric.name)\" is in \(old.unit) "
                            + "(\(old.direction.rawValue) is better) in the existing report but in \(metric.unit) "
                            + "(\(metric.direction.rawValue) is better) in the new run; write to a fresh --output"
                    )
                }
                existing.metrics[at].samples += metric.samples
            }
            existing.tags = mergedTags(existing.tags, benchmark.tags)
            merged.benchmarks[index] = existing
        }
        let failures = [earlier, later].compactMap { $0.metadata.labels?[PerformanceGate.failedLabel] }.filter { !$0.isEmpty }
        var labels = (earlier.metadata.labels ?? [:]).merging(later.metadata.labels ?? [:]) { old, _ in old }
        labels[PerformanceGate.failedLabel] = failures.isEmpty ? nil : failures.joined(separator: "; ")
        if let count = Int(earlier.metadata.labels?["bench_count"] ?? ""), let more = Int(later.metadata.labels?["bench_count"] ?? "") {
            labels["bench_count"] = "\(count + more)"
        }
        merged.metadata.labels = labels
        merged.metadata.createdAt = later.metadata.createdAt
        let offset = (earlier.timeline?.last?.t ?? 0)
        let shifted = (later.timeline ?? []).map { TimelinePoint(t: $0.t + offset, values: $0.values) }
        let timeline = (earlier.timeline ?? []) + shifted
        merged.timeline = timeline.isEmpty ? nil : timeline
        return merged
    }

    /// `report` with the micro-benchmarks of `micro` (e.g. an imported package-benchmark JMH file)
    /// added after its own benchmarks.
    /// - Throws: ``BenchError`` when a name is in both.
    public static func adding(micro: PerformanceReport, source: String, to report: PerformanceReport) throws(BenchError) -> PerformanceReport {
        var merged = report
        for benchmark in micro.benchmarks {
            guard merged.benchmark(named: benchmark.name) == nil else {
                throw BenchError("\(source): benchmark \"\(benchmark.name)\" is also an end-to-end benchmark; rename one of them")
            }
            merged.benchmarks.append(benchmark)
        }
        return merged
    }

    /// Tags of both; `requests=N` tags are summed.
    static func mergedTags(_ a: [String], _ b: [String]) -> [String] {
        let prefix = "requests="
        let requests = (a + b).compactMap { $0.hasPrefix(prefix) ? Int($0.dropFirst(prefix.count)) : nil }
        var tags = (a + b).filter { !$0.hasPrefix(prefix) }
        tags = tags.enumerated().filter { index, tag in tags.firstIndex(of: tag) == index }.map(\.element)
        if !requests.isEmpty { tags.append("\(prefix)\(requests.reduce(0, +))") }
        return tags
    }
}
