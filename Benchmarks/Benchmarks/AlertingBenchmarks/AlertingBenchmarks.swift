import Alerting
import Benchmark
import Foundation
import Gateway
import Telemetry

/// The embedded alerting's cost: one evaluation of every shipped rule
/// (`monitoring/templates/rules/ollamamax-alerts.yml`) over an hour of the gateway's own scrapes,
/// at the default sample interval (5 s: 720 samples per series) and at 1 s (3,600). The goal is
/// under 10 ms (docs/console.md).
///
/// The hour is made from a real scrape of a gateway over three simulated nodes after 200
/// requests (`gateway-metrics.prom`, 453 series): counters and histograms grow linearly from
/// zero to their captured values over the hour (so every rate is the captured run's average),
/// gauges keep their values.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .peakMemoryResident],
        maxDuration: .seconds(5),
        maxIterations: 1_000
    )

    for interval in [5, 1] {
        Benchmark("shipped rules over one hour at \(interval)s") { benchmark, engine in
            var engine = engine
            for _ in benchmark.scaledIterations {
                blackHole(engine.evaluateAll(at: History.endMs))
            }
        } setup: {
            try History.engine(intervalSeconds: interval)
        }
    }
}

enum History {
    static let endMs: Int64 = 1_800_000_000_000
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let rules = directory.appendingPathComponent("../../../monitoring/templates/rules/ollamamax-alerts.yml").standardized

    /// A rule engine over the shipped rules and an hour of scrapes every `intervalSeconds`.
    static func engine(intervalSeconds: Int) throws -> RuleEngine {
        let text = try String(contentsOf: directory.appendingPathComponent("gateway-metrics.prom"), encoding: .utf8)
        let families = try Exposition.parse(text)
        let store = SeriesStore(retention: .seconds(3600))
        let count = 3600 / intervalSeconds
        for step in 0..<count {
            let share = Double(step + 1) / Double(count)
            let scaled = families.map { family -> ExpositionFamily in
                guard ["counter", "histogram", "summary"].contains(family.type) else { return family }
                var scaled = family
                for index in scaled.samples.indices { scaled.samples[index].value *= share }
                return scaled
            }
            let timestamp = endMs - Int64((count - 1 - step) * intervalSeconds * 1000)
            _ = store.appendScrape(SelfScrape.samples(scaled, instance: "127.0.0.1:8080"), timestampMs: timestamp, target: "self")
        }
        return try RuleEngine.load(ruleFiles: [rules], store: store)
    }
}
