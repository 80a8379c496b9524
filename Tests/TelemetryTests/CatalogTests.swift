import Foundation
import Testing

@testable import Telemetry

struct CatalogTests {
    @Test func everyDefinitionFollowsTheNamingRules() {
        let problems = MetricCatalog.all.flatMap { $0.problems() }
        #expect(problems == [])
    }

    @Test func namesAreUniqueAndDoNotCollideWithHistogramSeries() {
        let names = MetricCatalog.all.map(\.name)
        #expect(Set(names).count == names.count)
        // A histogram exports name_bucket, name_sum and name_count: no other family may use them.
        let derived = MetricCatalog.all.filter { $0.kind == .histogram }.flatMap { ["\($0.name)_bucket", "\($0.name)_sum", "\($0.name)_count"] }
        #expect(Set(derived).isDisjoint(with: names))
    }

    @Test func everyCatalogConstantIsListed() {
        // `all` is written by hand: a definition left out of it would be registered but undocumented.
        let listed = Set(MetricCatalog.all.map(\.name))
        for definition in [
            MetricCatalog.httpRequests, MetricCatalog.httpRequestDuration, MetricCatalog.timeToFirstToken, MetricCatalog.nodeState,
            MetricCatalog.processHeap, MetricCatalog.buildInfo,
        ] {
            #expect(listed.contains(definition.name))
        }
        #expect(MetricCatalog.definition(named: "http_requests_total") == MetricCatalog.httpRequests)
        #expect(MetricCatalog.definition(named: "nope") == nil)
    }

    @Test func theProblemsCheckCatchesBadDefinitions() {
        let bad = MetricDefinition("requests", .counter, unit: "", labels: ["__x", "le"], help: "")
        #expect(
            bad.problems() == [
                "metric requests: a counter's name must end in _total", "metric requests: help must be one non-empty line",
                "metric requests: label \"__x\" is not a usable label name", "metric requests: label \"le\" is not a usable label name",
            ]
        )
        let histogram = MetricDefinition("latency_milliseconds", .histogram, unit: "seconds", help: "x", buckets: [2, 1])
        #expect(
            histogram.problems() == [
                "metric latency_milliseconds: buckets must increase",
                "metric latency_milliseconds: use base units (seconds, bytes), not milliseconds",
                "metric latency_milliseconds: the name must carry its unit \"seconds\"",
            ]
        )
        #expect(MetricDefinition("9lives", .gauge, unit: "", help: "x").problems() == ["metric 9lives: not a valid Prometheus metric name"])
    }

    /// docs/metrics.md is generated from the catalog; set UPDATE_METRICS_DOC=1 to rewrite it.
    @Test func catalogDocIsCurrent() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../docs/metrics.md")
            .standardizedFileURL
        let generated = MetricCatalog.markdown()
        if ProcessInfo.processInfo.environment["UPDATE_METRICS_DOC"] == "1" {
            try Data(generated.utf8).write(to: url)
        }
        let current = (try? String(contentsOf: url, encoding: .utf8)) ?? "(missing)"
        #expect(
            current == generated,
            "docs/metrics.md differs from MetricCatalog; run UPDATE_METRICS_DOC=1 swift test --filter catalogDocIsCurrent"
        )
    }
}
