import ConfigFile
import Foundation
import PerfCompare
import Yams

/// The gate's absolute budgets and comparison settings: `performance-results/budgets.yml`.
///
/// ```yaml
/// comparison:
///   threshold_percent: 10        # regressions above this (and significant) fail the gate
///   metric_thresholds: {cpu_per_request: 50}  # a metric's own threshold, percent
///   floors: {error_rate: 0.005}  # changes smaller than this, in the metric's unit, are noise
/// limits:                        # every benchmark of the report
///   latency_p95_seconds: 1.0     # median over repetitions of e2e_p95 (legacy latency_p95)
///   error_rate: 0.001            # median over repetitions
///   cpu_utilization: 0.7         # median over repetitions, share of all cores
///   peak_memory_bytes: 1073741824  # highest peak_rss sample
///   memory_fraction: 0.8         # highest peak_rss over the host's memory
/// scenarios:                     # per-scenario limits replacing the ones above
///   capacity: {throughput_min: 1000, cpu_utilization: 1}
/// ```
///
/// ``Limits/successMetrics`` are the seed's success metrics, the defaults the committed file holds.
public struct Budgets: Sendable, Hashable, Codable {
    /// Settings of the statistical comparison against the baseline.
    public struct Comparison: Sendable, Hashable, Codable {
        public var thresholdPercent: Double?
        /// Per-metric thresholds, percent, replacing `threshold_percent` for that metric.
        public var metricThresholds: [String: Double]?
        public var floors: [String: Double]?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case thresholdPercent = "threshold_percent"
            case metricThresholds = "metric_thresholds"
            case floors
        }

        public init(thresholdPercent: Double? = nil, metricThresholds: [String: Double]? = nil, floors: [String: Double]? = nil) {
            self.thresholdPercent = thresholdPercent
            self.metricThresholds = metricThresholds
            self.floors = floors
        }
    }

    public var comparison: Comparison?
    public var limits: Limits?
    /// Per-scenario limits, keyed by scenario name (the benchmark's group).
    public var scenarios: [String: Limits]?

    public init(comparison: Comparison? = nil, limits: Limits? = nil, scenarios: [String: Limits]? = nil) {
        self.comparison = comparison
        self.limits = limits
        self.scenarios = scenarios
    }

    /// The regression threshold, percent (10 when the file does not say).
    public var thresholdPercent: Double { comparison?.thresholdPercent ?? 10 }

    /// The comparison settings for `compare`'s statistics: the threshold (`override` percent
    /// when given), per-metric thresholds and floors of the file.
    public func comparisonOptions(thresholdPercent override: Double? = nil) -> ComparisonOptions {
        var options = ComparisonOptions(threshold: (override ?? thresholdPercent) / 100)
        options.metricThresholds = (comparison?.metricThresholds ?? [:]).mapValues { $0 / 100 }
        options.absoluteFloors = comparison?.floors ?? [:]
        return options
    }

    /// The limits for a benchmark of `scenario`.
    public func limits(forScenario scenario: String?) -> Limits {
        (limits ?? Limits()).overridden(by: scenario.flatMap { scenarios?[$0] })
    }

    static let limitKeys = Limits.CodingKeys.allCases.map(\.rawValue)

    /// The keys the file may have; anything else is a misspelling.
    static let schema: KeySchema = .map([
        "comparison": .map(["threshold_percent": .value, "metric_thresholds": .value, "floors": .value]),
        "limits": .keys(limitKeys),
        "scenarios": .value,
    ])

    /// Reads and checks a budgets file.
    /// - Throws: ``BenchError`` naming the file and the key.
    public static func load(path: String) throws(BenchError) -> Budgets {
        guard FileManager.default.fileExists(atPath: path) else {
            throw BenchError(
                "\(path): no budgets file; copy performance-results/budgets.yml from the OllamaMax repository or pass --budgets FILE"
            )
        }
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw BenchError("\(path): cannot read the file (\(error.localizedDescription))")
        }
        return try parse(text, source: path)
    }

    /// Parses budgets YAML; `source` names it in errors.
    public static func parse(_ text: String, source: String) throws(BenchError) -> Budgets {
        let budgets: Budgets
        do {
            budgets = try YAMLConfig.parse(Budgets.self, text: text, source: source, schema: schema, empty: Budgets())
        } catch {
            throw BenchError(error.description)
        }
        var found: [String] = []
        // `scenarios` has free keys (scenario names) over fixed ones, which KeySchema cannot say.
        if let tree = (try? Yams.load(yaml: text)) as? [String: Any], let scenarios = tree["scenarios"] as? [String: Any] {
            for (scenario, value) in scenarios.sorted(by: { $0.key < $1.key }) {
                guard let keys = value as? [String: Any] else {
                    found.append("scenarios.\(scenario): must be a mapping of limits (\(limitKeys.joined(separator: ", ")))")
                    continue
                }
                for key in keys.keys.sorted() where !limitKeys.contains(key) {
                    found.append("unknown key \"scenarios.\(scenario).\(key)\"; known keys here: \(limitKeys.sorted().joined(separator: ", "))")
                }
            }
        }
        if let threshold = budgets.comparison?.thresholdPercent, !(threshold >= 0 && threshold.isFinite) {
            found.append("comparison.threshold_percent: must be 0 or more, got \(threshold)")
        }
        for (metric, threshold) in (budgets.comparison?.metricThresholds ?? [:]).sorted(by: { $0.key < $1.key })
        where !(threshold >= 0 && threshold.isFinite) {
            found.append("comparison.metric_thresholds.\(metric): must be 0 or more, got \(threshold)")
        }
        for (metric, floor) in (budgets.comparison?.floors ?? [:]).sorted(by: { $0.key < $1.key }) where !(floor >= 0 && floor.isFinite) {
            found.append("comparison.floors.\(metric): must be 0 or more, got \(floor)")
        }
        found += budgets.limits?.problems(at: "limits") ?? []
        for (scenario, limits) in (budgets.scenarios ?? [:]).sorted(by: { $0.key < $1.key }) {
            found += limits.problems(at: "scenarios.\(scenario)")
        }
        if let problem = found.first { throw BenchError("\(source): \(problem)") }
        return budgets
    }
}
