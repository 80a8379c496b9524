import Foundation

/// Writes a report as Bencher Metric Format (BMF) JSON:
/// `{"<benchmark>": {"<measure>": {"value": median, "lower_value": min, "upper_value": max}}}`.
///
/// The measure slug is the metric name in kebab-case (`wall_clock` → `wall-clock`). Values
/// stay in the metric's own unit: give Bencher measures matching units (its built-in
/// `latency` expects ns). The centre is the median, as in the rest of this project.
public struct BencherExporter: Sendable {
    /// Creates an exporter.
    public init() {}

    private struct Value: Encodable {
        var value: Double
        var lowerValue: Double
        var upperValue: Double

        enum CodingKeys: String, CodingKey {
            case value
            case lowerValue = "lower_value"
            case upperValue = "upper_value"
        }
    }

    /// BMF JSON with sorted keys.
    /// - Throws: when a value cannot be written as JSON (a NaN or infinite sample).
    public func export(_ report: PerformanceReport, source: String = "bencher.json") throws(ReportError) -> Data {
        var document: [String: [String: Value]] = [:]
        for benchmark in report.benchmarks {
            var measures: [String: Value] = [:]
            for metric in benchmark.metrics {
                let summary = metric.summary
                measures[Self.slug(metric.name)] = Value(value: summary.median, lowerValue: summary.min, upperValue: summary.max)
            }
            document[benchmark.name] = measures
        }
        return try ExportJSON.encode(document, source: source)
    }

    /// `wall_clock` → `wall-clock`; Bencher slugs are lower-case kebab-case.
    static func slug(_ name: String) -> String {
        name.lowercased().replacingOccurrences(of: "_", with: "-")
    }
}

/// Shared JSON encoding for the exporters: sorted keys, pretty-printed, slashes unescaped.
enum ExportJSON {
    static func encode(_ value: some Encodable, source: String) throws(ReportError) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            return try encoder.encode(value)
        } catch {
            throw .writeFailed(source, reason: "a value cannot be written as JSON (\(error))")
        }
    }
}
