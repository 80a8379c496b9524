import PerfAnalysis
import PerfCompare
import PerfReport
import Testing

/// Each recommendation rule fires on the data it is about, and only then.
struct RecommendationTests {
    @Test func tailLatencyFiresWhenP99IsFarAboveTheMedian() throws {
        let slowTail = Benchmark(name: "Gateway/chat", metrics: [Fixture.metric("e2e", "ms", Fixture.latencies(center: 10, tail: 80))])
        let found = Recommendations.tailLatency(slowTail)
        let finding = try #require(found.first)
        #expect(found.count == 1 && finding.rule == "tail_latency" && finding.benchmark == "Gateway/chat" && finding.metric == "e2e")
        #expect(finding.evidence.contains("× the median"))
        let tight = Benchmark(name: "Gateway/chat", metrics: [Fixture.metric("e2e", "ms", Fixture.latencies(center: 10, tail: 12))])
        #expect(Recommendations.tailLatency(tight).isEmpty)
    }

    @Test func tailLatencyNeedsTenSamples() {
        let few = Benchmark(name: "b", metrics: [Fixture.metric("e2e", "ms", [1, 1, 1, 50])])
        #expect(Recommendations.tailLatency(few).isEmpty)
    }

    @Test func allocationRegressionIsWordedAsAllocationsUp() throws {
        let base = Fixture.report([Benchmark(name: "Route", metrics: [Fixture.metric("allocations", "count", [17, 17, 17], deterministic: true)])])
        let now = Fixture.report([Benchmark(name: "Route", metrics: [Fixture.metric("allocations", "count", [21, 21, 21], deterministic: true)])])
        let comparison = try Comparer.compare(baseline: base, current: now)
        let finding = try #require(Recommendations.regressions(comparison, baseline: nil, current: nil).first)
        #expect(finding.rule == "allocations_up" && finding.severity == .high)
        #expect(finding.evidence.contains("17 → 21 count (+23.5%)"))
    }

    @Test func measuredRegressionNamesMediansAndPValue() throws {
        let old = (0..<10).map { 10 + Double($0) * 0.01 }
        let new = old.map { $0 * 1.5 }
        let comparison = try Comparer.compare(
            baseline: Fixture.report([Benchmark(name: "B", metrics: [Fixture.metric("wall_clock", "ms", old)])]),
            current: Fixture.report([Benchmark(name: "B", metrics: [Fixture.metric("wall_clock", "ms", new)])])
        )
        let finding = try #require(Recommendations.regressions(comparison, baseline: nil, current: nil).first)
        #expect(finding.rule == "regression" && finding.benchmark == "B" && finding.metric == "wall_clock")
        #expect(finding.evidence.contains(" ms (+50.0%)"))
        #expect(finding.evidence.contains("p = "))
    }

    @Test func errorRateAboveOnePercentFires() {
        let failing = Benchmark(name: "load", metrics: [Fixture.metric("error_rate", "ratio", [0.05])])
        #expect(Recommendations.errorRate(failing).first?.evidence == "error rate 5.0% (target < 1%)")
        let fine = Benchmark(name: "load", metrics: [Fixture.metric("error_rate", "ratio", [0.002])])
        #expect(Recommendations.errorRate(fine).isEmpty)
    }

    @Test func errorsRisingWithThroughputFire() throws {
        func step(_ name: String, _ rate: Double, _ errors: Double) -> Benchmark {
            Benchmark(
                name: name,
                metrics: [
                    Fixture.metric("throughput", "req/s", [rate], direction: .higherIsBetter),
                    Fixture.metric("error_rate", "ratio", [errors]),
                ]
            )
        }
        let rising = [step("load/rate=100", 100, 0), step("load/rate=400", 400, 0.001), step("load/rate=800", 800, 0.04)]
        let finding = try #require(Recommendations.errorsUnderLoad(rising).first)
        #expect(finding.benchmark == "load/rate=800")
        #expect(finding.evidence == "error rate rises from 0.0% at 100 req/s (load/rate=100) to 4.0% at 800 req/s (load/rate=800)")
        let flat = [step("a", 100, 0.001), step("b", 800, 0.002)]
        #expect(Recommendations.errorsUnderLoad(flat).isEmpty)
    }

    @Test func noisyTimingsFire() {
        let noisy = Benchmark(name: "n", metrics: [Fixture.metric("wall_clock", "ns", [100, 140, 90, 160, 100])])
        #expect(Recommendations.noisy(noisy).first?.rule == "noisy")
        let steady = Benchmark(name: "s", metrics: [Fixture.metric("wall_clock", "ns", [100, 101, 99, 100, 100])])
        #expect(Recommendations.noisy(steady).isEmpty)
    }

    @Test func cpuSaturationUsesTheCoreCount() {
        let busy = (0..<4).map { TimelinePoint(t: Double($0), values: ["cpu": 1.8]) }
        #expect(Recommendations.cpuSaturated(busy, cores: 2).first?.evidence == "CPU averaged 90.0% of 2 core(s) over 4 readings")
        #expect(Recommendations.cpuSaturated(busy, cores: 4).isEmpty)
        #expect(Recommendations.cpuSaturated([], cores: 2).isEmpty)
    }

    @Test func memoryGrowthFiresOnSteadyGrowthOnly() {
        let growing = (0..<20).map { TimelinePoint(t: Double($0), values: ["rss_bytes": 100e6 + Double($0) * 10e6]) }
        #expect(Recommendations.memoryGrowth(growing).first?.rule == "memory_growth")
        let flat = (0..<20).map { TimelinePoint(t: Double($0), values: ["rss_bytes": 100e6 + Double($0 % 3) * 1e6]) }
        #expect(Recommendations.memoryGrowth(flat).isEmpty)
    }

    @Test func manyFindingsOfOneRuleCollapse() {
        let benchmarks = (0..<12).map { Benchmark(name: "b\($0)", metrics: [Fixture.metric("error_rate", "ratio", [0.1])]) }
        let all = Recommendations.all(current: Fixture.report(benchmarks), comparison: nil)
        let errors = all.filter { $0.rule == "error_rate" }
        #expect(errors.count == 6)
        #expect(errors.last?.benchmark == "7 more benchmarks")
    }

    @Test func singleSampleIsReportedWithoutABaseline() {
        let one = Fixture.report([Benchmark(name: "once", metrics: [Fixture.metric("wall_clock", "ms", [5])])])
        #expect(Recommendations.all(current: one, comparison: nil).map(\.rule) == ["few_samples"])
    }
}
