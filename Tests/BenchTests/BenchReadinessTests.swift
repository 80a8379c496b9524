import Gateway
import LocalCluster
import NodeSimulator
import Testing

@testable import Bench

/// The bench measures only once the gateway takes every node in.
@Suite(.timeLimit(.minutes(3)))
struct BenchReadinessTests {
    @Test func aNodeTheFirstProbesMissedIsProbedBackIn() async throws {
        try await LocalCluster.run(nodes: [SimulatorConfiguration()], name: { "node-\($0)" }) { cluster in
            // What a timed-out first probe round leaves behind on a loaded machine.
            for _ in 0..<2 {
                cluster.gateway.pool.applyProbe(
                    "node-0",
                    latency: nil,
                    version: nil,
                    models: nil,
                    resident: nil,
                    error: "probe failed: timed out"
                )
            }
            #expect(cluster.gateway.pool.status().map(\.node.state) == [.unhealthy])
            try await BenchRunner.waitUntilServing(cluster, within: .seconds(30))
            #expect(cluster.gateway.pool.status().map(\.node.state) != [.unhealthy])
        }
    }

    @Test func aNodeThatNeverAnswersInTimeIsNamed() async throws {
        let error = await #expect(throws: BenchError.self) {
            try await LocalCluster.run(
                nodes: [SimulatorConfiguration()],
                name: { "node-\($0)" },
                configure: { $0.probeTimeout = .zero }  // every probe is past its deadline at once
            ) { cluster in
                try await BenchRunner.waitUntilServing(cluster, within: .milliseconds(300))
            }
        }
        #expect(error?.description.hasPrefix("the gateway did not take in node-0 (probe failed: ") == true, "\(String(describing: error))")
        #expect(error?.description.hasSuffix("within 0.3 s") == true, "\(String(describing: error))")
    }
}
