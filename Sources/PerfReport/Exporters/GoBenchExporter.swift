/// Writes a report as Go benchmark text, so `benchstat` can cross-check our statistics.
///
/// - metadata labels whose keys are valid Go config keys come first as `key: value` lines,
///   and `pkg: <group>` precedes each run of benchmarks in one group (`pkg:` alone clears it
///   before benchmarks without a group);
/// - a `Unit <unit> better=lower|higher assume=nothing|exact` line per unit carries each
///   metric's direction and exactness (the first metric with that unit wins);
/// - then one line per sample index: `Benchmark<Name> 1 <value> <unit> …`, holding the i-th
///   sample of every metric that has one. The iteration count is always 1 because samples
///   are already per-operation values.
///
/// Units follow ``GoBenchImporter``'s mapping in reverse (`time` in ns → `ns/op`, other
/// metrics → `<name>[<unit>]`), so importing the text gives back the same samples. Spaces in
/// names become `_`: Go text splits on whitespace.
public struct GoBenchExporter: Sendable {
    /// Creates an exporter.
    public init() {}

    /// The report as Go benchmark text, ending in a newline.
    public func export(_ report: PerformanceReport) -> String {
        var lines: [String] = []
        let labels = (report.metadata.labels ?? [:]).filter { GoBenchImporter.configEntry("\($0.key): x") != nil && $0.key != "pkg" }
        for (key, value) in labels.sorted(by: { $0.key < $1.key }) {
            lines.append("\(key): \(Self.oneLine(value))")
        }
        var seenUnits: Set<String> = []
        for metric in report.benchmarks.flatMap(\.metrics) {
            let unit = GoUnit.goUnit(for: metric)
            guard seenUnits.insert(unit).inserted else { continue }
            let better = metric.direction == .lowerIsBetter ? "lower" : "higher"
            let assume = metric.deterministic ? "exact" : "nothing"
            lines.append("Unit \(unit) better=\(better) assume=\(assume)")
        }
        var currentGroup: String?
        for benchmark in report.benchmarks {
            if benchmark.group != currentGroup {
                lines.append(benchmark.group.map { "pkg: \(Self.oneLine($0))" } ?? "pkg:")
                currentGroup = benchmark.group
            }
            let name = "Benchmark" + Self.noSpaces(benchmark.name)
            let rows = benchmark.metrics.map(\.samples.count).max() ?? 0
            for row in 0..<rows {
                var fields = [name, "1"]
                for metric in benchmark.metrics where row < metric.samples.count {
                    fields.append("\(metric.samples[row])")
                    fields.append(GoUnit.goUnit(for: metric))
                }
                lines.append(fields.joined(separator: " "))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func noSpaces(_ text: String) -> String {
        String(text.map { $0.isWhitespace ? "_" : $0 })
    }

    private static func oneLine(_ text: String) -> String {
        String(text.map { $0.isNewline ? " " : $0 })
    }
}
