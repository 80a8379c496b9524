import Foundation

/// Reads hyperfine's `--export-json` output.
///
/// Each result becomes a benchmark named after its `command`, with its `times` as samples of
/// `wall_clock` in seconds and, when hyperfine recorded it (1.17 and later),
/// `memory_usage_byte` as samples of `peak_memory` in bytes. Parameter values from
/// `--parameter-scan`/`-L` become `name=value` tags.
public struct HyperfineImporter: Sendable {
    /// Creates an importer.
    public init() {}

    private struct Export: Decodable {
        var results: [Result]
    }

    private struct Result: Decodable {
        var command: String
        var times: [Double]
        var memoryUsageByte: [Double]?
        var parameters: [String: String]?

        enum CodingKeys: String, CodingKey {
            case command, times, parameters
            case memoryUsageByte = "memory_usage_byte"
        }
    }

    /// Parses hyperfine JSON.
    /// - Throws: a ``ReportError`` naming `source` when the JSON is truncated, not JSON, or
    ///   lacks `results[].command`/`times`.
    public func parse(_ data: Data, source: String, createdAt: Date) throws(ReportError) -> PerformanceReport {
        _ = try JSONInput.object(data, source: source)
        let export = try JSONInput.decode(Export.self, from: data, source: source)
        let benchmarks = export.results.map { result in
            var metrics = [
                Metric(name: "wall_clock", unit: "s", direction: .lowerIsBetter, samples: result.times)
            ]
            if let memory = result.memoryUsageByte {
                metrics.append(Metric(name: "peak_memory", unit: "B", direction: .lowerIsBetter, samples: memory))
            }
            let tags = (result.parameters ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            return Benchmark(name: result.command, tags: tags, metrics: metrics)
        }
        let metadata = Metadata(
            createdAt: Metadata.timestamp(createdAt),
            labels: ["source_format": InputFormat.hyperfine.rawValue]
        )
        return PerformanceReport(metadata: metadata, benchmarks: benchmarks)
    }
}
