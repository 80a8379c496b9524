import Gateway
import Optimizer
import Testing

/// What `status` shows of the optimizer (the LIMITS column and its line) and what `optimize`
/// prints (``RecommendedConfig``): pure renderers over the endpoint's report.
struct OptimizerViewTests {
    static let nodes = NodesReport(
        strategy: .modelAware,
        queued: 0,
        nodes: [
            NodeStatus(
                node: NodeSnapshot(id: "a", url: "http://gpu-a:11434", models: ["llama3.2:latest"], inFlight: 2, limit: 8, numParallel: 4),
                version: "0.12.6",
                requests: 10,
                failures: 0,
                probeLatencySeconds: 0.002,
                lastError: nil,
                consecutiveProbeFailures: 0,
                inventoryKnown: true
            ),
            NodeStatus(
                node: NodeSnapshot(id: "b", url: "http://gpu-b:11434", inFlight: 0, limit: 16, numParallel: 8),
                version: "0.12.6",
                requests: 0,
                failures: 0,
                probeLatencySeconds: 0.003,
                lastError: nil,
                consecutiveProbeFailures: 0,
                inventoryKnown: true
            ),
        ]
    )

    static let report = OptimizerReport(
        snapshot: OptimizerSnapshot(
            level: .balanced,
            pairs: [
                .init(node: "a", model: "qwen3:4b", limit: 2, ceiling: 8, inFlight: 0),
                .init(node: "a", model: "llama3.2:latest", limit: 3, ceiling: 8, inFlight: 2, learnedParallelism: 3),
            ],
            decisions: [
                .init(
                    time: "2026-12-05T09:00:00.000Z",
                    node: "a",
                    model: "llama3.2:latest",
                    kind: "decrease",
                    from: 4,
                    to: 3,
                    reason: "TTFT 0.9s over 0.3s"
                )
            ],
            decisionCounts: ["decrease": 4, "increase": 2]
        ),
        interval: IntervalReport(
            seconds: 300,
            knobs: IntervalKnobs(queueSize: 10, queueTimeoutSeconds: 4.5),
            decisions: [
                IntervalDecision(
                    time: "2026-12-05T09:05:00.000Z",
                    change: IntervalChange(knob: .queueSize, from: 256, to: 10, reason: "queue size 256 -> 10")
                )
            ],
            decisionCounts: ["queue_size": 1]
        )
    )

    @Test func statusShowsEachNodesAdaptiveLimitsAndTheLastDecision() {
        let lines = StatusTable.render(Self.nodes, optimizer: .report(Self.report), url: "http://gw").split(separator: "\n").map(String.init)
        #expect(
            lines == [
                "OllamaMax at http://gw: model-aware routing, 0 queued",
                "NODE  STATE    CIRCUIT  IN-FLIGHT  LIMITS                     TTFT  PROBE  REQS  FAILS  MODELS  LOADED",
                "a     healthy  closed   2/8        llama3.2=3/8,qwen3:4b=2/8  -     2.0ms  10    0      1       -",
                "b     healthy  closed   0/16       -                          -     3.0ms  0     0      0       -",
                "optimizer: balanced, 7 decisions; the last: queue size 256 -> 10",
            ]
        )
    }

    @Test func statusWithoutAnAdminKeySaysSoAndKeepsTheTable() {
        let text = StatusTable.render(Self.nodes, optimizer: .unreadable("needs an admin key"), url: "http://gw")
        #expect(!text.contains("LIMITS"))
        #expect(text.hasSuffix("\noptimizer: needs an admin key"))
        var off = Self.report
        off.snapshot = OptimizerSnapshot(level: .off)
        let offText = StatusTable.render(Self.nodes, optimizer: .report(off), url: "http://gw")
        #expect(!offText.contains("LIMITS") && offText.hasSuffix("\noptimizer: off (static limits)"))
        // From an older gateway (no endpoint) the table is as before.
        #expect(!StatusTable.render(Self.nodes, url: "http://gw").contains("optimizer"))
    }

    @Test func optimizePrintsTheConvergedLimitsAsAStaticConfigSnippet() throws {
        let snippet = RecommendedConfig.render(Self.report, nodes: Self.nodes, url: "http://gw")
        #expect(
            snippet == """
                # What the optimizer of the gateway at http://gw converged to (level balanced):
                # static limits for a gateway started with this file (optimization level off).
                nodes:
                  - url: http://gpu-a:11434
                    name: a
                    max_in_flight: 5  # llama3.2:latest 3, qwen3:4b 2 (configured 8)
                    num_parallel: 3  # learned (configured 4)
                  - url: http://gpu-b:11434
                    name: b
                    max_in_flight: 16  # no traffic seen: as configured
                    num_parallel: 8
                queue_size: 10
                queue_timeout: 4.5s
                optimization: {level: off}

                """
        )
        // The snippet is a config file `start --config` reads, with those values.
        var configuration = GatewayConfiguration()
        try GatewayFile.parse(snippet, source: "optimize.yaml").apply(to: &configuration, source: "optimize.yaml")
        #expect(configuration.nodes.map(\.id) == ["a", "b"])
        #expect(configuration.nodes.map(\.maxInFlight) == [5, 16])
        #expect(configuration.nodes.map(\.numParallel) == [3, 8])
        #expect(configuration.queue == NodePool.Limits(queueSize: 10, queueTimeout: .milliseconds(4500)))
        #expect(configuration.optimization.level == .off)
        var noInterval = Self.report
        noInterval.interval = nil
        noInterval.snapshot.pairs[1].learnedParallelism = nil
        let text = RecommendedConfig.render(noInterval, nodes: Self.nodes, url: "http://gw")
        #expect(text.contains("    num_parallel: 3  # the largest model limit (no parallelism learned yet) (configured 4)\n"))
        #expect(text.contains("# queue_size, queue_timeout: as configured (the interval service has not run)\n"))
    }
}
