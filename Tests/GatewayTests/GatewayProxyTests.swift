import AsyncHTTPClient
import Foundation
import LocalCluster
import NIOCore
import NIOHTTP1
import NodeSimulator
import OllamaAPI
import TestHTTP
import Testing

@testable import Gateway

/// The gateway in front of real simulated nodes over sockets: routing, retries, errors,
/// cancellation and draining.
@Suite(.timeLimit(.minutes(3)))
struct GatewayProxyTests {
    @Test func requestsGoOnlyToNodesThatHaveTheModel() async throws {
        let nodes = [
            fastNode(models: ["nomic-embed-text:latest"]), fastNode(), fastNode(models: ["llama3.2:latest"]),
        ]
        try await withCluster(nodes) { client, _ in
            for _ in 0..<6 {
                let answer = try await client.post(
                    "/api/generate",
                    #"{"model":"qwen2.5:0.5b","prompt":"hi","stream":false,"options":{"num_predict":2}}"#
                )
                #expect(answer.status == 200)
                #expect(answer.node == "sim-1")
                #expect(try answer.json()["eval_count"] == 2)
            }
            let embed = try await client.post("/api/embed", #"{"model":"nomic-embed-text","input":"x"}"#)
            #expect(["sim-0", "sim-1"].contains(embed.node ?? ""))
        }
    }

    @Test func streamsPassThroughUnchanged() async throws {
        try await withCluster([fastNode()]) { client, cluster in
            let body = #"{"model":"qwen2.5:0.5b","prompt":"same","options":{"seed":3,"num_predict":6}}"#
            let viaGateway = try await client.post("/api/generate", body)
            let direct = try await TestClient(base: cluster.nodeURLs[0]).post("/api/generate", body)
            #expect(viaGateway.headers.first(name: "content-type") == "application/x-ndjson")
            let strip: (JSONObject) -> JSONObject = { line in
                line.filter { !["created_at", "total_duration", "load_duration"].contains($0.key) }
            }
            #expect(try viaGateway.lines().map(strip) == direct.lines().map(strip))
            let sse = try await client.post(
                "/v1/chat/completions",
                #"{"model":"qwen2.5:0.5b","stream":true,"max_tokens":3,"messages":[{"role":"user","content":"x"}]}"#
            )
            #expect(sse.headers.first(name: "content-type") == "text/event-stream")
            #expect(sse.text.hasSuffix("data: [DONE]\n\n"))
        }
    }

    @Test func failingNodesAreRetriedBeforeTheFirstByteAndTheirCircuitOpens() async throws {
        var failing = fastNode()
        failing.faults.errorRate = 1
        try await withCluster(
            [failing, fastNode()],
            configure: {
                $0.strategy = .roundRobin
                $0.circuit.failureThreshold = 2
                // Open for the whole test: on a loaded machine six requests may take over the
                // default 10 s, and a half-open trial would count a third failure.
                $0.circuit.open = .seconds(3600)
                $0.retryBackoff = .seconds(0.001)
            }
        ) { client, cluster in
            for _ in 0..<6 {
                let answer = try await client.post(
                    "/api/chat",
                    #"{"model":"llama3.2","stream":false,"messages":[{"role":"user","content":"x"}],"options":{"num_predict":1}}"#
                )
                #expect(answer.status == 200)
                #expect(answer.node == "sim-1")
            }
            let failed = try #require(cluster.gateway.pool.status().first { $0.node.id == "sim-0" })
            #expect(failed.failures == 2)
            #expect(failed.node.circuit == .open)
            #expect(failed.lastError?.contains("simulated failure") == true)
        }
    }

    @Test func whenEveryNodeFailsTheLastErrorIsPassedThrough() async throws {
        var failing = fastNode()
        failing.faults.errorRate = 1
        try await withCluster([failing, failing], configure: { $0.retryBackoff = .seconds(0.001) }) { client, _ in
            let answer = try await client.post("/api/generate", #"{"model":"llama3.2","prompt":"x"}"#)
            #expect(answer.status == 500)
            #expect(try answer.json()["error"] == "simulated failure: the model runner crashed")
        }
    }

    @Test func aNodeErrorLineMidStreamIsRelayedAndTheStreamEnds() async throws {
        var breaking = fastNode()
        breaking.faults.midStreamFailureRate = 1
        try await withCluster([breaking]) { client, cluster in
            let lines = try await client.post(
                "/api/generate",
                #"{"model":"llama3.2","prompt":"x","options":{"num_predict":8}}"#
            ).lines()
            #expect(lines.count == 5)
            #expect(lines.last?["error"]?.stringValue?.contains("simulated failure") == true)
            let node = try #require(cluster.gateway.pool.status().first)
            #expect(node.failures == 1)
        }
    }

    @Test func aDroppedNodeConnectionEndsTheStreamWithAnOllamaErrorLine() async throws {
        var dropping = fastNode()
        dropping.faults.midStreamFailureRate = 1
        dropping.faults.midStreamFailureMode = .dropConnection
        try await withCluster([dropping]) { client, _ in
            let answer = try await client.post(
                "/api/generate",
                #"{"model":"llama3.2","prompt":"x","options":{"num_predict":8}}"#
            )
            #expect(answer.status == 200)
            let lines = try answer.lines()
            #expect(lines.dropLast().allSatisfy { $0["done"] == false })
            let error = try #require(lines.last?["error"]?.stringValue)
            #expect(error.hasPrefix("node sim-0 failed mid-stream"))
        }
    }

    @Test func unknownModelsGetOllamasOwn404() async throws {
        try await withCluster([fastNode(), fastNode()]) { client, _ in
            let generate = try await client.post("/api/generate", #"{"model":"ghost","prompt":"x"}"#)
            #expect(generate.status == 404)
            #expect(try generate.json()["error"] == "model 'ghost' not found")
            let embed = try await client.post("/api/embed", #"{"model":"ghost","input":"x"}"#)
            #expect(try embed.json()["error"] == "model \"ghost\" not found, try pulling it first")
            let openAI = try await client.post(
                "/v1/chat/completions",
                #"{"model":"ghost","messages":[{"role":"user","content":"x"}]}"#
            )
            #expect(openAI.status == 404)
            #expect(try openAI.decode(OpenAIErrorResponse.self).error.type == "not_found_error")
            let malformed = try await client.post("/api/chat", "{")
            #expect(malformed.status == 400)
            #expect(try malformed.json()["error"] == "unexpected EOF")
            let missing = try await client.get("/v1/models/ghost")
            #expect(missing.status == 404)
        }
    }

    @Test func noHealthyNodeWithTheModelIs503NamingIt() async throws {
        try await withCluster([fastNode(), fastNode(models: ["nomic-embed-text:latest"])]) { client, cluster in
            for _ in 0..<2 {
                cluster.gateway.pool.applyProbe(
                    "sim-0",
                    latency: nil,
                    version: nil,
                    models: nil,
                    resident: nil,
                    error: "probe failed"
                )
            }
            let answer = try await client.post("/api/generate", #"{"model":"llama3.2","prompt":"x"}"#)
            #expect(answer.status == 503)
            #expect(answer.headers.first(name: "Retry-After") == "1")
            #expect(try answer.json()["error"] == "no healthy node has model \"llama3.2\" right now")
            let openAI = try await client.post(
                "/v1/chat/completions",
                #"{"model":"llama3.2","messages":[{"role":"user","content":"x"}]}"#
            )
            #expect(try openAI.decode(OpenAIErrorResponse.self).error.message.contains("llama3.2"))
        }
    }

    @Test func aFullGatewayQueueAnswers503WithRetryAfter() async throws {
        try await withCluster(
            [fastNode(decodeRate: 10)],
            configure: {
                $0.nodes[0].maxInFlight = 1
                $0.queue.queueSize = 0
            }
        ) { client, cluster in
            let holder = try await client.open(
                "/api/generate",
                #"{"model":"llama3.2","prompt":"x","options":{"num_predict":50}}"#
            )
            #expect(holder.status == .ok)
            let refused = try await client.post("/api/generate", #"{"model":"llama3.2","prompt":"y"}"#)
            #expect(refused.status == 503)
            #expect(refused.headers.first(name: "Retry-After") == "1")
            #expect(try refused.json()["error"] == "server busy, please try again.  maximum pending requests exceeded")
            _ = holder
            #expect(cluster.gateway.pool.snapshot()[0].inFlight == 1)
        }
    }

    @Test func aClientThatLeavesCancelsTheNodeRequest() async throws {
        try await withCluster([fastNode(decodeRate: 20)]) { client, cluster in
            let task = Task {
                let response = try await client.open(
                    "/api/generate",
                    #"{"model":"llama3.2","prompt":"x","options":{"num_predict":200}}"#
                )
                var iterator = response.body.makeAsyncIterator()
                _ = try await iterator.next()
                // Leave after the first chunk: the response body is dropped, the connection closes.
            }
            try await task.value
            let scheduler = cluster.simulators[0].scheduler
            try await eventually("the node has no active request") {
                await scheduler.residents().first?.active == 0
            }
            let pool = cluster.gateway.pool
            try await eventually("the gateway has nothing in flight") { pool.snapshot()[0].inFlight == 0 }
            let status = try #require(pool.status().first)
            #expect(status.failures == 0)
            #expect(status.node.circuit == .closed)
        }
    }

    @Test func shutdownLetsRunningStreamsFinish() async throws {
        try await withCluster([fastNode(decodeRate: 40)]) { client, cluster in
            let response = try await client.open(
                "/api/generate",
                #"{"model":"llama3.2","prompt":"x","options":{"num_predict":20}}"#
            )
            var decoder = NDJSONDecoder()
            var lines: [[UInt8]] = []
            var shutdownStarted = false
            for try await chunk in response.body {
                lines += try decoder.feed(chunk.readableBytesView)
                if !shutdownStarted, !lines.isEmpty {
                    shutdownStarted = true
                    await cluster.shutdownGateway()
                }
            }
            let last = try JSONDecoder().decode(JSONObject.self, from: Data(try #require(lines.last)))
            #expect(last["done"] == true)
            #expect(last["eval_count"] == 20)
            #expect(lines.count == 21)
        }
    }

    @Test func requestIDsArePropagatedOrGenerated() async throws {
        try await withCluster([fastNode()]) { client, _ in
            let given = try await client.post(
                "/api/show",
                #"{"model":"llama3.2"}"#,
                headers: [("X-Request-ID", "req-123")]
            )
            #expect(given.headers.first(name: "X-Request-ID") == "req-123")
            let generated = try await client.post("/api/show", #"{"model":"llama3.2"}"#)
            #expect(generated.headers.first(name: "X-Request-ID")?.count == 36)
        }
    }

    @Test func oversizedBodiesGet413() async throws {
        try await withCluster([fastNode()], configure: { $0.maxBodyBytes = 512 }) { client, _ in
            let answer = try await client.post(
                "/api/generate",
                #"{"model":"llama3.2","prompt":""# + String(repeating: "a", count: 1024) + #""}"#
            )
            #expect(answer.status == 413)
            #expect(try answer.json()["error"] == "request body too large (limit 512 bytes)")
        }
    }
}

/// A node whose own queue is full answers 503 at once; the gateway retries elsewhere.
@Suite(.timeLimit(.minutes(3)))
struct GatewayBusyNodeTests {
    @Test func aNodeWithAFullQueueIsRetriedOnAnotherNode() async throws {
        var busy = fastNode(decodeRate: 20)
        busy.limits.numParallel = 1
        busy.limits.maxQueue = 1
        // Answers of exactly 400 tokens at 20 tokens/s hold the only slot for 20 s: long enough for
        // the four requests below even when the whole suite shares two cores. (The model's own
        // length caps num_predict, so asking for more tokens alone does not lengthen the hold.)
        busy.models = busy.models.map { model in
            var long = model
            long.minOutputTokens = 400
            long.maxOutputTokens = 400
            return long
        }
        try await withCluster(
            [busy, fastNode()],
            configure: {
                $0.strategy = .roundRobin
                $0.retryBackoff = .seconds(0.001)
            }
        ) { client, cluster in
            // Fill the busy node's only slot and its one queue place directly, behind the gateway's back.
            let direct = TestClient(base: cluster.nodeURLs[0])
            let slow = #"{"model":"llama3.2","prompt":"x","options":{"num_predict":400}}"#
            let holder = try await direct.open("/api/generate", slow)
            #expect(holder.status.code == 200)
            let scheduler = cluster.simulators[0].scheduler
            // Not awaited: leaving the scope cancels it, which closes its connection (and the holder's).
            async let _ = direct.open("/api/generate", slow)
            try await eventually("the busy node's queue is full") { await scheduler.pendingCount() == 1 }
            for _ in 0..<4 {
                let answer = try await client.post(
                    "/api/generate",
                    #"{"model":"llama3.2","prompt":"y","stream":false,"options":{"num_predict":1}}"#
                )
                #expect(answer.status == 200)
                #expect(answer.node == "sim-1")
            }
            let busyNode = try #require(cluster.gateway.pool.status().first { $0.node.id == "sim-0" })
            #expect(busyNode.failures >= 1)
            #expect(busyNode.lastError?.contains("503") == true)
        }
    }
}
