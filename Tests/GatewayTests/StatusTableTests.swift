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
}
