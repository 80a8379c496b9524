import Gateway
import Testing

/// The table `ollama-distributed status` prints.
struct StatusTableTests {
    @Test func theStatusTableShowsEveryNodeAndWhyADownOneIsDown() {
        let report = NodesReport(
            strategy: .modelAware,
            queued: 2,
            nodes: [
                NodeStatus(
                    node: NodeSnapshot(id: "a", models: ["m:latest"], resident: ["m:latest"], inFlight: 1, ttftEWMA: 0.25),
                    version: "0.12.6",
                    requests: 10,
                    failures: 1,
                    probeLatencySeconds: 0.0021,
                    lastError: nil,
                    consecutiveProbeFailures: 0,
                    inventoryKnown: true
                ),
                NodeStatus(
                    node: NodeSnapshot(id: "b", state: .unhealthy),
                    version: nil,
                    requests: 0,
                    failures: 0,
                    probeLatencySeconds: nil,
                    lastError: "probe failed: connection refused",
                    consecutiveProbeFailures: 3,
                    inventoryKnown: false
                ),
            ]
        )
        let lines = StatusTable.render(report, url: "http://gw").split(separator: "\n").map(String.init)
        #expect(
            lines == [
                "OllamaMax at http://gw: model-aware routing, 2 queued",
                "NODE  STATE      CIRCUIT  IN-FLIGHT  TTFT   PROBE  REQS  FAILS  MODELS  LOADED",
                "a     healthy    closed   1/8        250ms  2.1ms  10    1      1       m:latest",
                "b     unhealthy  closed   0/8        -      down   0     0      0       -",
                "  b: probe failed: connection refused",
            ]
        )
    }

    @Test func theStatusTableShowsEveryKeyByNameWithItsCountsAndLimits() {
        var ci = KeyUsage(name: "ci-bot", limits: KeyLimits(requestsPerMinute: 60, tokensPerMinute: 100_000))
        ci.requests = 12
        ci.promptTokens = 345
        ci.outputTokens = 6789
        ci.rateLimited = 2
        var ops = KeyUsage(name: "ops", limits: KeyLimits())
        ops.forbidden = 1
        let report = NodesReport(strategy: .roundRobin, queued: 0, nodes: [])
        let keys = KeysReport(keys: [KeyStatus(ci, role: .inference), KeyStatus(ops, role: .admin)])
        let lines = StatusTable.render(report, keys: keys, url: "http://gw").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(
            lines == [
                "OllamaMax at http://gw: round-robin routing, 0 queued",
                "NODE  STATE  CIRCUIT  IN-FLIGHT  TTFT  PROBE  REQS  FAILS  MODELS  LOADED",
                "",
                "KEY     ROLE       REQS  PROMPT-TOKENS  OUTPUT-TOKENS  RATE-LIMITED  FORBIDDEN  RPM  TPM",
                "ci-bot  inference  12    345            6789           2             0          60   100000",
                "ops     admin      0     0              0              0             1          -    -",
            ]
        )
        // Without keys (or from a gateway that has none) the table is the node table alone.
        #expect(!StatusTable.render(report, keys: KeysReport(keys: []), url: "http://gw").contains("KEY"))
    }
}
