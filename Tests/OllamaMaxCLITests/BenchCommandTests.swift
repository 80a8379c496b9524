import Foundation
import PerfReport
import Testing

/// `bench --quick` end to end through the binary, its report fed to `compare` and `bench gate`,
/// so the measure → judge loop that CI runs cannot break silently.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct BenchCommandTests {
    static func run(_ arguments: [String], environment: [String: String] = [:]) async throws -> (code: Int32, stdout: String, stderr: String) {
        try await CompareCommandTests.runToFiles(ChildProcess.binary, arguments, environment: environment)
    }

    /// Budgets that any healthy run on a loaded machine meets, so only the regression check decides.
    static let generousBudgets = "limits:\n  error_rate: 0.5\n  latency_p95_seconds: 30\n"

    /// `report` with every `e2e_p95` sample moved 30% above the worst baseline sample.
    static func doctored(_ report: PerformanceReport) -> PerformanceReport {
        var copy = report
        for index in copy.benchmarks.indices {
            for at in copy.benchmarks[index].metrics.indices where copy.benchmarks[index].metrics[at].name == "e2e_p95" {
                let samples = copy.benchmarks[index].metrics[at].samples
                let worst = samples.max() ?? 0
                copy.benchmarks[index].metrics[at].samples = samples.indices.map { worst * (1.3 + 0.01 * Double($0)) }
            }
        }
        return copy
    }

    @Test func quickRunFeedsCompareAndTheGate() async throws {
        let directory = try CompareCommandTests.directory()
        let reportPath = directory.appendingPathComponent("current/performance-report.json").path
        // A long request timeout: this checks the pipeline, not speed, on a machine busy with other suites.
        let bench = try await Self.run(["bench", "--quick", "--duration", "200ms", "--timeout", "60s", "--output", reportPath])
        #expect(bench.code == 0, "bench failed:\n\(bench.stdout)\n\(bench.stderr)")
        let report = try PerformanceReport.load(path: reportPath)
        #expect(
            report.benchmarks.map(\.name) == [
                "capacity/nodes=1/threads=2", "throughput/nodes=1/threads=2", "streaming/nodes=1/threads=2",
                "streaming-anthropic/nodes=1/threads=2", "streaming-responses/nodes=1/threads=2", "failover/nodes=3/threads=2",
                "routing/nodes=3/threads=2",
            ]
        )
        for benchmark in report.benchmarks {
            #expect(benchmark.metric(named: "e2e_p95")?.samples.count == 4, "\(benchmark.name)")
            #expect(benchmark.metric(named: "e2e_p99")?.samples.count == 4, "\(benchmark.name)")
        }
        #expect(report.metadata.command?.contains("bench --quick") == true)
        #expect((report.timeline ?? []).contains { $0.values["cpu"] != nil })

        let same = try await Self.run(["compare", "--baseline", reportPath, "--current", reportPath, "--color", "never"])
        #expect(same.code == 0, "compare against itself:\n\(same.stdout)\n\(same.stderr)")

        let doctoredPath = directory.appendingPathComponent("doctored.json").path
        try Self.doctored(report).write(to: doctoredPath)
        let worse = try await Self.run(["compare", "--baseline", reportPath, "--current", doctoredPath, "--color", "never"])
        #expect(worse.code == 1, "compare against a 30% worse copy:\n\(worse.stdout)\n\(worse.stderr)")
        #expect(worse.stdout.contains("REGRESSION"))

        let budgets = directory.appendingPathComponent("budgets.yml").path
        try Self.generousBudgets.write(toFile: budgets, atomically: true, encoding: .utf8)
        let markdown = directory.appendingPathComponent("gate.md").path
        let pass = try await Self.run(["bench", "gate", "--current", reportPath, "--baseline", reportPath, "--budgets", budgets])
        #expect(pass.code == 0, "gate on itself:\n\(pass.stdout)\n\(pass.stderr)")
        #expect(pass.stdout.contains("gate: PASS"))
        let fail = try await Self.run([
            "bench", "gate", "--current", doctoredPath, "--baseline", reportPath, "--budgets", budgets, "--markdown", markdown,
        ])
        #expect(fail.code == 1, "gate on the doctored copy:\n\(fail.stdout)\n\(fail.stderr)")
        #expect(fail.stdout.contains("FAIL no regression: capacity/nodes=1/threads=2 e2e_p95 +"))
        #expect(fail.stdout.contains(", throughput/nodes=1/threads=2 e2e_p95 +"))
        #expect(try String(contentsOfFile: markdown, encoding: .utf8).hasPrefix("### Performance gate: **failed**"))
    }

    @Test func anUnknownScenarioIsRefusedWithTheKnownOnes() async throws {
        let result = try await Self.run(["bench", "--scenario", "throughput,latency", "--quick"])
        #expect(result.code == 2)
        #expect(
            result.stderr.contains(
                "error: --scenario: no scenario named \"latency\" (known: capacity, throughput, streaming, streaming-anthropic, streaming-responses, failover, routing, optimizer-capacity-change, optimizer-unknown-capacity, optimizer-steady, optimizer-overload, optimizer-two-replicas, optimizer-two-replicas-overload); `bench --list` describes them"
            )
        )
    }

    @Test func aMissingBaselineSaysHowToCreateOne() async throws {
        let directory = try CompareCommandTests.directory()
        let current = directory.appendingPathComponent("current.json").path
        try PerformanceReport(
            metadata: Metadata(createdAt: "2026-12-01T00:00:00Z"),
            benchmarks: [Benchmark(name: "b", metrics: [Metric(name: "e2e_p95", unit: "s", direction: .lowerIsBetter, samples: [0.1])])]
        ).write(to: current)
        let budgets = ChildProcess.packageRoot.appendingPathComponent("performance-results/budgets.yml").path
        let gate = try await Self.run([
            "bench", "gate", "--current", current, "--baseline", directory.appendingPathComponent("none.json").path, "--budgets", budgets,
        ])
        #expect(gate.code == 2)
        #expect(gate.stderr.contains("none.json: no baseline report. Create one on this machine with `scripts/perf-check.sh --update-baseline`"))

        let script = ChildProcess.packageRoot.appendingPathComponent("scripts/perf-check.sh")
        let check = try await CompareCommandTests.runToFiles(
            URL(fileURLWithPath: "/bin/bash"),
            [script.path, "--baseline", directory.appendingPathComponent("none.json").path, "--output-dir", directory.path],
            environment: ["OLLAMAMAX_BINARY": ChildProcess.binary.path]
        )
        #expect(check.code == 2, "\(check.stdout)\n\(check.stderr)")
        #expect(check.stderr.contains("none.json: no baseline report"))
        #expect(check.stderr.contains("scripts/perf-check.sh --update-baseline"))
    }

    @Test func theCheckedInBudgetsAndBaselineAreReadable() async throws {
        let root = ChildProcess.packageRoot.appendingPathComponent("performance-results")
        let baseline = try PerformanceReport.load(path: root.appendingPathComponent("baseline/performance-report.json").path)
        #expect(!baseline.benchmarks.isEmpty)
        #expect(baseline.metadata.labels?["failed_benchmarks"] == nil)
        // The gate reads the checked-in budgets; the baseline against itself has no regression.
        let gate = try await Self.run([
            "bench", "gate", "--current", root.appendingPathComponent("baseline/performance-report.json").path,
            "--baseline", root.appendingPathComponent("baseline/performance-report.json").path,
            "--budgets", root.appendingPathComponent("budgets.yml").path,
        ])
        #expect(gate.code == 0, "the committed baseline must meet the committed budgets:\n\(gate.stdout)\n\(gate.stderr)")
        #expect(gate.stdout.contains("PASS no regression"))
    }
}
