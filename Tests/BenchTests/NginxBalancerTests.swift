import Foundation
import Gateway
import LocalCluster
import NodeSimulator
import TestHTTP
import Testing

@testable import Bench

/// nginx in round robin over two gateway replicas, as the `-nginx` variants of
/// `optimizer-two-replicas-overload` play it.
@Suite(.timeLimit(.minutes(3)))
struct NginxBalancerTests {
    @Test func theConfigurationListensOnLoopbackAndListsEveryReplica() {
        let text = NginxBalancer.configuration(
            upstreams: ["http://127.0.0.1:4001", "http://127.0.0.1:4002"],
            port: 4000,
            directory: "/tmp/x"
        )
        #expect(text.contains("listen 127.0.0.1:4000;"))
        #expect(text.contains("server 127.0.0.1:4001;") && text.contains("server 127.0.0.1:4002;"))
        #expect(text.contains("proxy_buffering off;"))
        #expect(!text.contains("listen 80") && text.contains("pid /tmp/x/nginx.pid;"))
    }

    @Test(ExternalTool.nginx.enabled)
    func nginxAlternatesTheReplicas() async throws {
        _ = try ExternalTool.nginx.path()
        try await LocalCluster.run(
            nodes: [SimulatorConfiguration()],
            name: { "node-\($0)" },
            replicas: 2,
            configure: { $0.health.successesToHealthy = 1 }
        ) { cluster in
            try await BenchRunner.waitUntilServing(cluster, within: .seconds(60))
            for gateway in cluster.gateways { await gateway.monitor.probeAll() }
            let balancer = try await NginxBalancer(upstreams: cluster.gatewayURLs)
            defer { balancer.stop() }
            let client = TestClient(base: balancer.url)
            for _ in 0..<4 {
                let answer = try await client.post("/api/generate", #"{"model":"llama3.2","prompt":"x","stream":false,"options":{"num_predict":1}}"#)
                #expect(answer.status == 200)
            }
            // Round robin: two requests each.
            let served = cluster.gateways.map { gateway in gateway.pool.status().reduce(0) { $0 + $1.requests } }
            #expect(served == [2, 2])
        }
    }
}
