import Foundation
import PerfCompare
import PerfReport
import Testing

@testable import Bench

struct PerformanceGateTests {
    static func report(
        latencyP95: [Double],
        errorRate: [Double] = [0, 0, 0, 0],
        labels: [String: String]? = nil,
        latencyName: String = "e2e_p95"
    ) -> PerformanceReport {
        PerformanceReport(
            metadata: Metadata(createdAt: "2026-12-01T00:00:00Z", host: HostInfo(memoryBytes: 1 << 30), labels: labels),
            benchmarks: [
                Benchmark(
                    name: "throughput/nodes=1/threads=1",
                    group: "throughput",
                    metrics: [
                        Metric(name: latencyName, unit: "s", direction: .lowerIsBetter, samples: latencyP95),
                        Metric(name: "error_rate", unit: "ratio", direction: .lowerIsBetter, samples: errorRate),
                        Metric(name: "peak_rss", unit: "B", direction: .lowerIsBetter, samples: [100, 120, 110, 100].map { $0 * 1_048_576 }),
                    ]
                )
            ]
        )
    }

    static let budgets = Budgets(limits: .init(latencyP95Seconds: 1, errorRate: 0.01, peakMemoryBytes: Double(200 << 20), memoryFraction: 0.5))

    @Test func passesWithinBudgetsAndWithoutRegression() throws {
        let report = Self.report(latencyP95: [0.10, 0.11, 0.10, 0.12])
        let comparison = try Comparer.compare(baseline: report, current: report)
        let result = PerformanceGate.evaluate(report: report, budgets: Self.budgets, comparison: comparison)
        #expect(result.passed)
        #expect(
            result.checks.map(\.name) == [
                "benchmarks ran", "no regression", "budget e2e_p95 throughput/nodes=1/threads=1",
                "budget error_rate throughput/nodes=1/threads=1", "budget peak_rss throughput/nodes=1/threads=1",
                "budget peak_rss throughput/nodes=1/threads=1",
            ]
        )
        #expect(result.checks[2].detail == "median 105 ms ≤ 1000 ms")
        #expect(result.checks[4].detail == "max 120 MiB ≤ 200 MiB")
        #expect(result.checks[5].detail == "max 120 MiB (11.72% of the host) ≤ 512 MiB (50% of the host)")
    }

    @Test func failsOnABudgetWithTheValueAndTheLimit() {
        let report = Self.report(latencyP95: [1.2, 1.3, 1.1, 1.25], errorRate: [0.02, 0.03, 0.02, 0.02])
        var budgets = Self.budgets
        budgets.limits?.memoryFraction = 0.1
        let result = PerformanceGate.evaluate(report: report, budgets: budgets, comparison: nil)
        #expect(!result.passed)
        let failed = result.checks.filter { !$0.passed }
        #expect(
            failed.map(\.detail) == ["median 1225 ms > 1000 ms", "median 2% > 1%", "max 120 MiB (11.72% of the host) > 102.4 MiB (10% of the host)"]
        )
        #expect(result.text().hasSuffix("gate: FAIL (3 of 5 checks failed)\n"))
    }

    @Test func failsOnARegression() throws {
        let baseline = Self.report(latencyP95: [0.10, 0.11, 0.10, 0.12, 0.11])
        let current = Self.report(latencyP95: [0.14, 0.15, 0.14, 0.16, 0.15])
        let comparison = try Comparer.compare(baseline: baseline, current: current)
        let result = PerformanceGate.evaluate(report: current, budgets: Budgets(), comparison: comparison)
        #expect(!result.passed)
        #expect(result.checks[1].name == "no regression")
        #expect(!result.checks[1].passed)
        #expect(result.checks[1].detail.hasPrefix("throughput/nodes=1/threads=1 e2e_p95 +"))
        #expect(result.markdown().contains("| ❌ | no regression |"))
    }

    @Test func failsWhenNothingMatchesTheBaseline() throws {
        let current = Self.report(latencyP95: [0.1, 0.1, 0.1, 0.1])
        var baseline = current
        baseline.benchmarks[0].name = "throughput/nodes=1/threads=8"
        let comparison = try Comparer.compare(baseline: baseline, current: current)
        let result = PerformanceGate.evaluate(report: current, budgets: Budgets(), comparison: comparison)
        #expect(!result.passed)
        #expect(result.checks[1].detail.hasPrefix("no benchmark metric of the report is in the baseline"))
    }

    @Test func failsWhenABenchmarkFailedToRun() {
        let report = Self.report(latencyP95: [0.1], labels: [PerformanceGate.failedLabel: "failover/nodes=3/threads=1: no request succeeded"])
        let result = PerformanceGate.evaluate(report: report, budgets: Budgets(), comparison: nil)
        #expect(!result.passed)
        #expect(
            result.checks[0]
                == PerformanceGate.Check(name: "benchmarks ran", passed: false, detail: "failover/nodes=3/threads=1: no request succeeded")
        )
    }

    @Test func theLatencyBudgetAlsoReadsAnOlderReportsLatencyP95() {
        let old = Self.report(latencyP95: [1.2, 1.3, 1.1, 1.25], latencyName: "latency_p95")
        let result = PerformanceGate.evaluate(report: old, budgets: Self.budgets, comparison: nil)
        let latency = result.checks.first { $0.name == "budget latency_p95 throughput/nodes=1/threads=1" }
        #expect(
            latency
                == PerformanceGate.Check(
                    name: "budget latency_p95 throughput/nodes=1/threads=1",
                    passed: false,
                    detail: "median 1225 ms > 1000 ms"
                )
        )
    }

    @Test func theThroughputBudgetIsAFloorForItsScenarioOnly() {
        let metric = { (samples: [Double]) in Metric(name: "throughput", unit: "req/s", direction: .higherIsBetter, samples: samples) }
        let report = PerformanceReport(
            metadata: Metadata(createdAt: "2026-12-01T00:00:00Z"),
            benchmarks: [
                Benchmark(name: "capacity/nodes=1/threads=2", group: "capacity", metrics: [metric([900, 950, 980, 990])]),
                Benchmark(name: "throughput/nodes=1/threads=2", group: "throughput", metrics: [metric([190, 200, 195, 193])]),
            ]
        )
        let budgets = Budgets(scenarios: ["capacity": .init(throughputMin: 1000)])
        let result = PerformanceGate.evaluate(report: report, budgets: budgets, comparison: nil)
        #expect(
            result.checks.filter { $0.name.hasPrefix("budget") } == [
                PerformanceGate.Check(name: "budget throughput capacity/nodes=1/threads=2", passed: false, detail: "median 965 req/s < 1000 req/s")
            ]
        )
        var debug = report
        debug.metadata.labels = [PerformanceGate.buildLabel: "debug"]
        #expect(
            PerformanceGate.evaluate(report: debug, budgets: budgets, comparison: nil).checks.last?.detail == "median 965 req/s < 1000 req/s "
                + "(a debug build measured this; the budget is for release builds: `swift run -c release ollama-distributed bench` or scripts/perf-check.sh)"
        )
        var faster = report
        faster.benchmarks[0].metrics = [metric([1000, 1100, 1200, 1300])]
        let passing = PerformanceGate.evaluate(report: faster, budgets: budgets, comparison: nil)
        #expect(
            passing.checks.last
                == PerformanceGate.Check(
                    name: "budget throughput capacity/nodes=1/threads=2",
                    passed: true,
                    detail: "median 1150 req/s ≥ 1000 req/s"
                )
        )
    }

    @Test func aDebugReportAgainstAReleaseBaselineFailsByName() throws {
        let release = Self.report(latencyP95: [0.10, 0.11, 0.10, 0.12], labels: [PerformanceGate.buildLabel: "release"])
        var debug = release
        debug.metadata.labels = [PerformanceGate.buildLabel: "debug"]
        #expect(
            PerformanceGate.sameBuild(current: debug, baseline: release)
                == PerformanceGate.Check(
                    name: "same build as the baseline",
                    passed: false,
                    detail: "the report is from a debug build, the baseline from a release build; measure both with the same build "
                        + "(scripts/perf-check.sh builds a release one)"
                )
        )
        #expect(PerformanceGate.sameBuild(current: release, baseline: release)?.passed == true)
        #expect(PerformanceGate.sameBuild(current: Self.report(latencyP95: [0.1]), baseline: release) == nil)

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gate-build-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let paths = ["current.json", "baseline.json", "budgets.yml"].map { directory.appendingPathComponent($0).path }
        try debug.write(to: paths[0])
        try release.write(to: paths[1])
        try "limits:\n  error_rate: 0.001\n".write(toFile: paths[2], atomically: true, encoding: .utf8)
        let outcome = try PerformanceGate.judge(current: paths[0], baseline: paths[1], budgets: paths[2], thresholdPercent: nil)
        #expect(outcome.result.checks.map(\.name).prefix(3) == ["benchmarks ran", "same build as the baseline", "no regression"])
        #expect(!outcome.result.passed)
    }
}
