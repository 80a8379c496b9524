import Foundation
import Gateway
import LocalCluster
import NodeSimulator
import OllamaAPI
import Telemetry
import TestHTTP
import Testing

/// The gateway reads only `model` from a request: `options` reach the node untouched, so the
/// node's typing of them (and its answer to a wrong type) is what the client sees.
@Suite(.timeLimit(.minutes(3)))
struct GatewayOptionsTests {
    @Test func optionsPassThroughAndAWrongTypeGetsTheNodesAnswer() async throws {
        try await withCluster([fastNode()]) { client, cluster in
            let good = try await client.post(
                "/api/generate",
                #"{"model":"llama3.2","prompt":"x","stream":false,"options":{"num_predict":2.9,"temperature":0}}"#
            )
            #expect(good.status == 200)
            #expect(try good.json()["eval_count"] == 2)
            let bad = try await client.post(
                "/api/chat",
                #"{"model":"llama3.2","stream":false,"messages":[{"role":"user","content":"x"}],"options":{"num_predict":"many"}}"#
            )
            #expect(bad.status == 500)
            #expect(bad.text == #"{"error":"option \"num_predict\" must be of type integer"}"#)
            #expect(bad.node == "sim-0")
            // Ollama answers a wrong option type with a 500: the client's mistake, not the node's.
            let node = try #require(cluster.gateway.pool.status().first)
            #expect(node.failures == 0)
            #expect(node.node.circuit == .closed)
            #expect(node.lastError == nil)
        }
    }

    /// One client repeating a bad option must not retry it across the nodes nor open their
    /// circuits: each request goes to one node, whose 500 is relayed as it is.
    @Test func aWrongOptionTypeIsNotRetriedAndFailsNoNode() async throws {
        try await withCluster(
            [fastNode(), fastNode()],
            configure: {
                $0.strategy = .roundRobin
                $0.circuit.failureThreshold = 2
                $0.retryBackoff = .milliseconds(1)
            }
        ) { client, cluster in
            for _ in 0..<4 {
                let bad = try await client.post(
                    "/api/generate",
                    #"{"model":"llama3.2","prompt":"x","stream":false,"options":{"top_p":"high"}}"#
                )
                #expect(bad.status == 500)
                #expect(bad.text == #"{"error":"option \"top_p\" must be of type float32"}"#)
            }
            let nodes = cluster.gateway.pool.status()
            #expect(nodes.map(\.requests) == [2, 2])
            #expect(nodes.map(\.failures) == [0, 0])
            #expect(nodes.map(\.node.circuit) == [.closed, .closed])
            #expect(nodes.map(\.lastError) == [nil, nil])
            let families = try await GatewayMetricsTests.scrape(client)
            #expect(families.value("ollamamax_retries_total") == nil)
            #expect(families.value("ollamamax_llm_requests_total", ["outcome": "client_error"]) == 4)
            #expect(families.value("ollamamax_llm_requests_total", ["outcome": "failure"]) == nil)
            #expect(families.value("http_requests_total", ["route": "/api/generate", "status": "500"]) == 4)
            let good = try await client.post("/api/generate", #"{"model":"llama3.2","prompt":"x","stream":false}"#)
            #expect(good.status == 200)
        }
    }
}
