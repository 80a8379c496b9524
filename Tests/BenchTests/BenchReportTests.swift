import Bench
import PerfReport
import Testing

struct BenchReportTests {
    static func report(_ samples: [Double], unit: String = "req/s", requests: Int = 10, timeline: [Double] = [0, 1]) -> PerformanceReport {
        PerformanceReport(
            metadata: Metadata(createdAt: "2026-12-01T00:00:00Z", labels: ["bench_count": "\(samples.count)"]),
            benchmarks: [
                Benchmark(
                    name: "throughput/nodes=1/threads=1",
                    group: "throughput",
                    tags: ["requests=\(requests)"],
                    metrics: [Metric(name: "throughput", unit: unit, direction: .higherIsBetter, samples: samples)]
                )
            ],
            timeline: timeline.map { TimelinePoint(t: $0, values: ["cpu": 1]) }
        )
    }

    @Test func appendingConcatenatesRepetitions() throws {
        let merged = try BenchReport.appending(Self.report([3, 4], requests: 5), to: Self.report([1, 2]))
        #expect(merged.benchmarks.count == 1)
        #expect(merged.benchmarks[0].metrics[0].samples == [1, 2, 3, 4])
        #expect(merged.benchmarks[0].tags == ["requests=15"])
        #expect(merged.metadata.labels?["bench_count"] == "4")
        #expect(merged.timeline?.map(\.t) == [0, 1, 1, 2])
    }

    @Test func appendingAddsNewBenchmarksAndKeepsFailures() throws {
        var later = Self.report([5])
        later.benchmarks[0].name = "routing/nodes=3/threads=1"
        later.metadata.labels?[PerformanceGate.failedLabel] = "failover/nodes=3/threads=1: boom"
        let merged = try BenchReport.appending(later, to: Self.report([1]))
        #expect(merged.benchmarks.map(\.name) == ["throughput/nodes=1/threads=1", "routing/nodes=3/threads=1"])
        #expect(merged.metadata.labels?[PerformanceGate.failedLabel] == "failover/nodes=3/threads=1: boom")
    }

    @Test func appendingRefusesADifferentUnit() {
        #expect(
            throws: BenchError(
                "cannot append: benchmark \"throughput/nodes=1/threads=1\" metric \"throughput\" is in req/s (higher is better) "
                    + "in the existing report but in ops/s (higher is better) in the new run; write to a fresh --output"
            )
        ) {
            try BenchReport.appending(Self.report([1], unit: "ops/s"), to: Self.report([1]))
        }
    }

    @Test func microBenchmarksAreAddedUnlessANameClashes() throws {
        var micro = Self.report([7])
        micro.benchmarks[0].name = "routing_decision"
        let merged = try BenchReport.adding(micro: micro, source: "Current_run.jmh.json", to: Self.report([1]))
        #expect(merged.benchmarks.map(\.name) == ["throughput/nodes=1/threads=1", "routing_decision"])
        #expect(
            throws: BenchError("Current_run.jmh.json: benchmark \"throughput/nodes=1/threads=1\" is also an end-to-end benchmark; rename one of them")
        ) {
            try BenchReport.adding(micro: Self.report([1]), source: "Current_run.jmh.json", to: Self.report([1]))
        }
    }
}
