import Foundation
import Gateway
import LocalCluster
import NodeSimulator
import OllamaAPI
import TestHTTP
import Testing

/// The gateway reads only `model` from a request: `options` reach the node untouched, so the
/// node's typing of them (and its answer to a wrong type) is what the client sees.
@Suite(.timeLimit(.minutes(1)))
struct GatewayOptionsTests {
    @Test func optionsPassThroughAndAWrongTypeGetsTheNodesAnswer() async throws {
        try await withCluster([fastNode()]) { client, cluster in
            let good = try await client.post(
                "/api/generate", #"{"model":"llama3.2","prompt":"x","stream":false,"options":{"num_predict":2.9,"temperature":0}}"#)
            #expect(good.status == 200)
            #expect(try good.json()["eval_count"] == 2)
            let bad = try await client.post(
                "/api/chat",
                #"{"model":"llama3.2","stream":false,"messages":[{"role":"user","content":"x"}],"options":{"num_predict":"many"}}"#)
            #expect(bad.status == 500)
            #expect(bad.text == #"{"error":"option \"num_predict\" must be of type integer"}"#)
            let node = try #require(cluster.gateway.pool.status().first)
            // Ollama answers a wrong option type with a 500, which the gateway's retry rule takes for
            // a failing node: the client's mistake counts against the node (and is retried elsewhere).
            withKnownIssue("a node's 500 for a client's bad option counts as a node failure") {
                #expect(node.failures == 0)
            }
        }
    }
}
