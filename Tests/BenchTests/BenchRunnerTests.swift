import Bench
import NodeSimulator
import PerfReport
import Testing

/// The scenarios played for real over simulated nodes on 127.0.0.1, with tiny durations.
@Suite(.timeLimit(.minutes(3)))
struct BenchRunnerTests {
    /// These tests check what is measured, not how fast: a request may take long on a loaded CI
    /// machine running the other suites at once (quick's own 5 s timed a streaming run out there).
    static let requestTimeout = Duration.seconds(60)

    @Test func unknownScenarioNamesTheKnownOnes() throws {
        #expect(
            throws: BenchError(
                "scenario: no scenario named \"latency\" (known: capacity, throughput, streaming, streaming-anthropic, streaming-responses, failover, routing, optimizer-capacity-change, optimizer-unknown-capacity, optimizer-steady, optimizer-overload, optimizer-two-replicas, optimizer-two-replicas-overload)"
            )
        ) {
            try Scenario.named(["throughput", "latency"])
        }
        #expect(
            try Scenario.named([]).map(\.name) == [
                "capacity", "throughput", "streaming", "streaming-anthropic", "streaming-responses", "failover", "routing",
            ]
        )
        #expect(try Scenario.named(["routing", "routing", "throughput"]).map(\.name) == ["routing", "throughput"])
    }

    @Test func throughputScalesOverNodeCountsWithOneSamplePerRepetition() async throws {
        var options = BenchOptions.quick(scenarios: [.throughput])
        options.requestTimeout = Self.requestTimeout
        options.count = 2
        options.duration = .milliseconds(200)
        options.nodeCounts = [1, 2]
        let result = await BenchRunner(options: options).run(metadata: Metadata(createdAt: "2026-12-01T00:00:00Z"))
        #expect(result.failures.isEmpty, "\(result.failures)")
        let report = result.report
        #expect(report.benchmarks.map(\.name) == ["throughput/nodes=1/threads=2", "throughput/nodes=2/threads=2"])
        for benchmark in report.benchmarks {
            for metric in benchmark.metrics { #expect(metric.samples.count == 2, "\(benchmark.name) \(metric.name)") }
            #expect(try #require(benchmark.metric(named: "throughput")).summary.min > 0)
            #expect(try #require(benchmark.metric(named: "error_rate")).samples == [0, 0])
        }
        #expect(
            report.benchmarks[0].metrics.map(\.name) == [
                "throughput", "e2e_p50", "e2e_p95", "e2e_p99", "error_rate", "cpu_utilization", "cpu_per_request", "peak_rss",
            ]
        )
        #expect(report.benchmarks[1].metric(named: "scaling_efficiency")?.samples.count == 2)
        #expect(try #require(report.timeline).count >= 2)
        #expect(report.timeline?.last?.values["rss_bytes"] ?? 0 > 0)
        try report.validate(source: "bench")
    }

    @Test func streamingMeasuresTheGatewayAgainstTheNodeDirectly() async throws {
        var options = BenchOptions.quick(scenarios: [.streaming, .routing])
        options.requestTimeout = Self.requestTimeout
        options.count = 2
        options.duration = .milliseconds(200)
        let result = await BenchRunner(options: options).run(metadata: Metadata(createdAt: "2026-12-01T00:00:00Z"))
        #expect(result.failures.isEmpty, "\(result.failures)")
        let streaming = try #require(result.report.benchmark(named: "streaming/nodes=1/threads=2"))
        let ratio = try #require(streaming.metric(named: "ttft_ratio"))
        #expect(ratio.samples.count == 2)
        #expect(ratio.summary.min > 0)
        #expect(
            streaming.metrics.map(\.name) == [
                "throughput", "e2e_p50", "e2e_p95", "e2e_p99", "ttft_p50", "ttft_p95", "ttft_p99", "itl_p50", "ttft_ratio", "itl_ratio",
                "error_rate", "cpu_utilization", "cpu_per_request", "peak_rss",
            ]
        )
        let ttft = try #require(streaming.metric(named: "ttft_p50"))
        let ttft99 = try #require(streaming.metric(named: "ttft_p99"))
        #expect(zip(ttft.samples, ttft99.samples).allSatisfy { $0 <= $1 })
        let routing = try #require(result.report.benchmark(named: "routing/nodes=3/threads=2"))
        let share = try #require(routing.metric(named: "first_node_share")).summary.median
        #expect(share > 0 && share <= 1)
    }

    @Test func capacityMeasuresTheGatewayOverAnInstantNode() async throws {
        var options = BenchOptions.quick(scenarios: [.capacity])
        options.requestTimeout = Self.requestTimeout
        options.count = 2
        options.duration = .milliseconds(300)
        let result = await BenchRunner(options: options).run(metadata: Metadata(createdAt: "2026-12-01T00:00:00Z"))
        #expect(result.failures.isEmpty, "\(result.failures)")
        let capacity = try #require(result.report.benchmark(named: "capacity/nodes=1/threads=2"))
        #expect(capacity.group == "capacity")
        for name in ["throughput", "e2e_p95", "e2e_p99"] {
            #expect(capacity.metric(named: name)?.samples.count == 2, "\(name)")
        }
        let p95 = try #require(capacity.metric(named: "e2e_p95")).samples
        let p99 = try #require(capacity.metric(named: "e2e_p99")).samples
        #expect(zip(p95, p99).allSatisfy { $0 <= $1 })
        // What makes it the gateway's capacity, as values (speed itself belongs to benchmarks, not tests):
        // 64 clients over one node with room for all of them, whose modelled time is about nothing.
        #expect(Scenario.capacity.load.clientsPerNode == 64)
        let node = Scenario.capacity.node(0, 1)
        #expect(node.limits.numParallel >= 64)
        for model in node.models {
            #expect(model.decodeTokensPerSecond >= 1_000_000 && model.prefillTokensPerSecond >= 1_000_000)
        }
        #expect(try #require(capacity.metric(named: "error_rate")).samples == [0, 0])
    }

    @Test func theTimelineHoldsTheNetworkBytesOfTheRun() async throws {
        var options = BenchOptions.quick(scenarios: [.throughput])
        options.requestTimeout = Self.requestTimeout
        options.count = 1
        options.duration = .milliseconds(300)
        let result = await BenchRunner(options: options).run(metadata: Metadata(createdAt: "2026-12-01T00:00:00Z"))
        #expect(result.failures.isEmpty, "\(result.failures)")
        let timeline = try #require(result.report.timeline)
        // Every reading after the first has both rates; during the load the process moved bytes both ways.
        #expect(timeline.dropFirst().allSatisfy { $0.values["net_rx_bytes_per_second"] != nil && $0.values["net_tx_bytes_per_second"] != nil })
        #expect(timeline.contains { ($0.values["net_rx_bytes_per_second"] ?? 0) > 0 && ($0.values["net_tx_bytes_per_second"] ?? 0) > 0 })
    }

    @Test func aScenarioThatCannotServeIsReportedAsFailed() async throws {
        let broken = Scenario(
            name: "broken",
            summary: "every node fails every request",
            load: .init(stream: false, clientsPerNode: 1, outputTokens: 4)
        ) { _, _ in
            var node = SimulatorConfiguration()
            node.faults.errorRate = 1
            node.models = node.models.map { model in
                var fast = model
                fast.loadTime = .zero
                return fast
            }
            return node
        }
        var options = BenchOptions.quick(scenarios: [broken, .throughput])
        options.requestTimeout = Self.requestTimeout
        options.count = 1
        options.duration = .milliseconds(200)
        let result = await BenchRunner(options: options).run(metadata: Metadata(createdAt: "2026-12-01T00:00:00Z"))
        #expect(result.failures.map(\.benchmark) == ["broken/nodes=1/threads=2"], "\(result.failures)")
        #expect(result.failures.first?.message.hasPrefix("no request succeeded in repetition 1") == true)
        #expect(result.failures.first?.message.contains("http_5xx") == true, "\(result.failures)")
        #expect(result.report.benchmarks.map(\.name) == ["throughput/nodes=1/threads=2"])
        #expect(result.report.metadata.labels?[PerformanceGate.failedLabel]?.hasPrefix("broken/nodes=1/threads=2: no request succeeded") == true)
        #expect(!PerformanceGate.evaluate(report: result.report, budgets: Budgets(), comparison: nil).passed)
    }
}
