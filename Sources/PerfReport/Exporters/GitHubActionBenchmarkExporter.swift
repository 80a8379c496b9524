import Foundation

/// Writes a report for github-action-benchmark's `customSmallerIsBetter` and
/// `customBiggerIsBetter` tools: a JSON array of `{"name", "unit", "value", "range", "extra"}`.
///
/// One array holds one direction, so export each direction to its own file and give each to
/// its tool. `name` is `<benchmark> - <metric>`, `value` the median, `range` `± <stddev>`
/// (sample standard deviation, 6 significant digits) and `extra` the sample count, mean, min
/// and max.
public struct GitHubActionBenchmarkExporter: Sendable {
    /// Creates an exporter.
    public init() {}

    private struct Entry: Encodable {
        var name: String
        var unit: String
        var value: Double
        var range: String
        var extra: String
    }

    /// The entries of every metric with `direction`, in report order.
    /// - Parameter direction: `.lowerIsBetter` for `customSmallerIsBetter`,
    ///   `.higherIsBetter` for `customBiggerIsBetter`.
    public func export(_ report: PerformanceReport, direction: Direction, source: String = "benchmark.json") throws(ReportError) -> Data {
        var entries: [Entry] = []
        for benchmark in report.benchmarks {
            for metric in benchmark.metrics where metric.direction == direction {
                let summary = metric.summary
                entries.append(
                    Entry(
                        name: "\(benchmark.name) - \(metric.name)",
                        unit: metric.unit,
                        value: summary.median,
                        range: "± \(Self.format(summary.stddev))",
                        extra: "n=\(summary.count) mean=\(Self.format(summary.mean)) min=\(Self.format(summary.min)) max=\(Self.format(summary.max))"
                    )
                )
            }
        }
        return try ExportJSON.encode(entries, source: source)
    }

    /// A number with at most 6 significant digits and no trailing zeros.
    static func format(_ value: Double) -> String {
        String(format: "%.6g", value)
    }
}
