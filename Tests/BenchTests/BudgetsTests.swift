import Bench
import Foundation
import PerfCompare
import Testing

struct BudgetsTests {
    static let file = """
        comparison:
          threshold_percent: 15
          metric_thresholds: {cpu_per_request: 50}
          floors: {error_rate: 0.005}
        limits:
          latency_p95_seconds: 1
          error_rate: 0.01
          cpu_utilization: 0.8
          peak_memory_bytes: 1073741824
        scenarios:
          failover: {latency_p95_seconds: 2}
        """

    @Test func readsLimitsAndScenarioOverrides() throws {
        let budgets = try Budgets.parse(Self.file, source: "budgets.yml")
        #expect(budgets.thresholdPercent == 15)
        #expect(budgets.comparison?.floors == ["error_rate": 0.005])
        #expect(budgets.limits(forScenario: "throughput").latencyP95Seconds == 1)
        #expect(budgets.limits(forScenario: "failover").latencyP95Seconds == 2)
        #expect(budgets.limits(forScenario: "failover").errorRate == 0.01)
        #expect(budgets.limits(forScenario: nil).peakMemoryBytes == 1_073_741_824)
        let options = budgets.comparisonOptions()
        #expect(options.threshold == 0.15)
        #expect(options.metricThresholds == ["cpu_per_request": 0.5])
        #expect(options.absoluteFloors == ["error_rate": 0.005])
        #expect(budgets.comparisonOptions(thresholdPercent: 5).threshold == 0.05)
    }

    @Test func anEmptyFileChecksNothingAndUsesTenPercent() throws {
        let budgets = try Budgets.parse("", source: "budgets.yml")
        #expect(budgets.thresholdPercent == 10)
        #expect(budgets.limits(forScenario: "throughput") == Budgets.Limits())
    }

    @Test func aMisspeltKeyIsNamed() {
        #expect(
            throws: BenchError(
                "budgets.yml: unknown key \"limits.latency_p95\"; known keys here: cpu_utilization, error_rate, latency_p95_seconds, memory_fraction, peak_memory_bytes, throughput_min"
            )
        ) {
            try Budgets.parse("limits:\n  latency_p95: 1\n", source: "budgets.yml")
        }
        #expect(
            throws: BenchError(
                "budgets.yml: unknown key \"scenarios.failover.errors\"; known keys here: cpu_utilization, error_rate, latency_p95_seconds, memory_fraction, peak_memory_bytes, throughput_min"
            )
        ) {
            try Budgets.parse("scenarios:\n  failover: {errors: 1}\n", source: "budgets.yml")
        }
    }

    @Test func outOfRangeValuesAreNamed() {
        #expect(throws: BenchError("budgets.yml: limits.error_rate: must be a fraction in (0, 1], got 5.0")) {
            try Budgets.parse("limits:\n  error_rate: 5\n", source: "budgets.yml")
        }
        #expect(throws: BenchError("budgets.yml: scenarios.routing.latency_p95_seconds: must be a positive number, got -1.0")) {
            try Budgets.parse("scenarios:\n  routing: {latency_p95_seconds: -1}\n", source: "budgets.yml")
        }
        #expect(throws: BenchError("budgets.yml: comparison.metric_thresholds.cpu_per_request: must be 0 or more, got -5.0")) {
            try Budgets.parse("comparison:\n  metric_thresholds: {cpu_per_request: -5}\n", source: "budgets.yml")
        }
        #expect(throws: BenchError("budgets.yml: limits.cpu_utilization: expected a number")) {
            try Budgets.parse("limits:\n  cpu_utilization: lots\n", source: "budgets.yml")
        }
    }

    @Test func aMissingFileSaysWhatToDo() {
        #expect(
            throws: BenchError(
                "/nonexistent/budgets.yml: no budgets file; copy performance-results/budgets.yml from the OllamaMax repository or pass --budgets FILE"
            )
        ) {
            try Budgets.load(path: "/nonexistent/budgets.yml")
        }
    }

    @Test func theCommittedBudgetsAreTheSeedsSuccessMetrics() throws {
        #expect(
            Budgets.Limits.successMetrics
                == Budgets.Limits(
                    latencyP95Seconds: 1.0,
                    errorRate: 0.001,
                    cpuUtilization: 0.7,
                    memoryFraction: 0.8,
                    throughputMin: 1000
                )
        )
        let path = #filePath.replacingOccurrences(of: "Tests/BenchTests/BudgetsTests.swift", with: "performance-results/budgets.yml")
        let budgets = try Budgets.load(path: path)
        let success = Budgets.Limits.successMetrics
        // Every benchmark: p95 < 1 s, errors < 0.1%, memory < 80% (and an absolute cap); no throughput floor.
        let everywhere = budgets.limits(forScenario: "throughput")
        #expect(everywhere.latencyP95Seconds == success.latencyP95Seconds)
        #expect(everywhere.errorRate == success.errorRate)
        #expect(everywhere.cpuUtilization == success.cpuUtilization)
        #expect(everywhere.memoryFraction == success.memoryFraction)
        #expect(everywhere.throughputMin == nil)
        // The capacity scenario: > 1,000 requests/s; it saturates the process by design, so its CPU share is not budgeted.
        let capacity = budgets.limits(forScenario: "capacity")
        #expect(capacity.throughputMin == success.throughputMin)
        #expect(capacity.cpuUtilization == 1)
        #expect(capacity.errorRate == success.errorRate && capacity.latencyP95Seconds == success.latencyP95Seconds)
        #expect(budgets.limits(forScenario: "failover").errorRate == success.errorRate)
    }
}
