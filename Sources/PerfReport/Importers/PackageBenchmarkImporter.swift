import Foundation

/// Reads package-benchmark's (ordo-one/benchmark) JMH export:
/// `swift package --allow-writing-to-package-directory benchmark --format jmh --path DIR`.
///
/// Of its export formats, JMH is the one file that holds every benchmark and metric with all
/// recorded values (`rawData`) and a unit. The values come from package-benchmark's HDR
/// histogram, so they are sorted, not in measurement order, and rounded to 3 significant
/// digits. Times are exported in µs and converted back to ns here. The benchmark
/// `package.benchmark.<Target>.<Name>` becomes `<Name>` in group `<Target>` (JMH export has
/// already turned spaces in `<Name>` into `_`). Metric names map to this module's names
/// (`Time (wall clock)` → `wall_clock`, `Malloc (total)` → `allocations`, …); malloc and ARC
/// counts are deterministic. Custom metrics become snake_case names in unit `count`,
/// lower is better (JMH export does not carry their polarity).
public struct PackageBenchmarkImporter: Sendable {
    /// Creates an importer.
    public init() {}

    private struct Element: Decodable {
        var benchmark: String
        var mode: String?
        var primaryMetric: JMHMetric
        var secondaryMetrics: [String: JMHMetric]?
    }

    private struct JMHMetric: Decodable {
        var scoreUnit: String
        var rawData: [[Double]]
    }

    /// Parses a JMH export.
    /// - Throws: a ``ReportError`` naming `source` for truncated or non-JSON files and for
    ///   elements without `benchmark`, `primaryMetric`, `scoreUnit` or `rawData`.
    public func parse(_ data: Data, source: String, createdAt: Date) throws(ReportError) -> PerformanceReport {
        _ = try JSONInput.object(data, source: source)
        let elements = try JSONInput.decode([Element].self, from: data, source: source)
        let benchmarks = elements.map { element in
            let primaryName = element.mode == "thrpt" ? "Throughput (# / s)" : "Time (wall clock)"
            var metrics = [Self.metric(description: primaryName, element.primaryMetric)]
            for (description, metric) in element.secondaryMetrics ?? [:] {
                metrics.append(Self.metric(description: description, metric))
            }
            metrics.sort { $0.name < $1.name }
            let (group, name) = Self.split(element.benchmark)
            return Benchmark(name: name, group: group, metrics: metrics)
        }
        let metadata = Metadata(
            createdAt: Metadata.timestamp(createdAt),
            labels: ["source_format": InputFormat.packageBenchmark.rawValue]
        )
        return PerformanceReport(metadata: metadata, benchmarks: benchmarks)
    }

    /// `package.benchmark.Target.Name.With.Dots` → (`Target`, `Name.With.Dots`).
    static func split(_ jmhName: String) -> (group: String?, name: String) {
        let prefix = "package.benchmark."
        guard jmhName.hasPrefix(prefix) else { return (nil, jmhName) }
        let rest = jmhName.dropFirst(prefix.count)
        guard let dot = rest.firstIndex(of: "."), dot > rest.startIndex else { return (nil, String(rest)) }
        return (String(rest[..<dot]), String(rest[rest.index(after: dot)...]))
    }

    private static func metric(description: String, _ jmh: JMHMetric) -> Metric {
        let samples = jmh.rawData.flatMap { $0 }
        let known = PackageBenchmarkMetrics.table[description]
        let name = known?.name ?? PackageBenchmarkMetrics.snakeCase(description)
        let unit: String
        var scaled = samples
        switch jmh.scoreUnit {
        case "μs", "µs", "us":
            unit = "ns"
            // Values were µs rounded to 3 decimals; scale, then undo the float noise of `* 1000`.
            scaled = samples.map { ($0 * 1_000_000).rounded() / 1000 }
        case "# / s":
            unit = "ops/s"
        default:
            unit = known?.unit ?? "count"
        }
        return Metric(
            name: name,
            unit: unit,
            direction: known?.direction ?? .lowerIsBetter,
            deterministic: known?.deterministic ?? false,
            samples: scaled
        )
    }
}
