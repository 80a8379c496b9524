import Foundation
import LocalCluster
import NIOHTTP1
import NodeSimulator
import OllamaAPI
import Telemetry
import TestHTTP
import Testing

@testable import Gateway

extension HTTPAnswer {
    /// The body as SSE frames: each event's name and its data as JSON.
    func frames() throws -> [(name: String?, data: JSONObject)] {
        var decoder = SSEDecoder()
        var events = try decoder.feed(body)
        if let last = decoder.finish() { events.append(last) }
        return try events.map { ($0.event, try JSONDecoder().decode(JSONObject.self, from: Data($0.data.utf8))) }
    }
}

/// `/v1/messages` (Anthropic Messages) and `/v1/responses` (OpenAI Responses) through the
/// gateway over real simulated nodes: relayed as the node sends them, errors in each route's
/// shape, broken streams ended with the route's own error event, and the LLM metrics.
@Suite(.timeLimit(.minutes(3)))
struct MessagesAndResponsesTests {
    static func messages(_ model: String = "llama3.2", tokens: Int = 6, stream: Bool) -> String {
        #"{"model":"\#(model)","max_tokens":\#(tokens),"stream":\#(stream),"messages":[{"role":"user","content":"hello"}]}"#
    }

    static func responses(_ model: String = "llama3.2", tokens: Int = 6, stream: Bool) -> String {
        #"{"model":"\#(model)","input":"hello","max_output_tokens":\#(tokens),"stream":\#(stream)}"#
    }

    /// The frames with the fields that differ per request (ids, times) left out.
    static func comparable(_ frames: [(name: String?, data: JSONObject)]) -> [JSONValue] {
        frames.map { frame in
            var data = frame.data
            for key in ["id", "item_id", "created_at", "response", "message", "item"] { data[key] = nil }
            return .object(["event": frame.name.map { .string($0) } ?? .null, "data": .object(data)])
        }
    }

    @Test func messagesPassThroughWholeAndStreamedAndAreCounted() async throws {
        try await withCluster([fastNode()], configure: { $0.monitoring.enabled = true }) { client, cluster in
            let node = TestClient(base: cluster.nodeURLs[0])
            let whole = try await client.post("/v1/messages", Self.messages(stream: false))
            let direct = try await node.post("/v1/messages", Self.messages(stream: false))
            #expect(whole.status == 200)
            #expect(whole.node == "sim-0")
            let message = try whole.json()
            #expect(message["content"] == (try direct.json())["content"])
            #expect(message["usage"] == (try direct.json())["usage"])
            let input = try #require(message["usage"]?.objectValue?["input_tokens"]?.intValue)
            #expect(message["usage"]?.objectValue?["output_tokens"]?.intValue == 6)

            let streamed = try await client.post("/v1/messages", Self.messages(stream: true))
            #expect(streamed.status == 200)
            #expect(streamed.contentType == "text/event-stream")
            let frames = try streamed.frames()
            #expect(frames.first?.name == "message_start")
            #expect(frames.last?.name == "message_stop")
            #expect(frames.filter { $0.name == "content_block_delta" }.count == 6)
            let directFrames = try await node.post("/v1/messages", Self.messages(stream: true)).frames()
            #expect(Self.comparable(frames) == Self.comparable(directFrames))

            let families = try await GatewayMetricsTests.scrape(client)
            let labels = ["node": "sim-0", "model": "llama3.2:latest"]
            #expect(families.value("ollamamax_prompt_tokens_total", labels) == Double(2 * input))
            #expect(families.value("ollamamax_output_tokens_total", labels) == 12)
            #expect(families.value("ollamamax_llm_requests_total", labels.merging(["outcome": "success"]) { $1 }) == 2)
            #expect(families.value("ollamamax_time_to_first_token_seconds_count", labels) == 1)
            // A gap ends at each token chunk after the first: at most five for six deltas (fewer
            // when reads join deltas), never one for the events around them.
            #expect((families.value("ollamamax_inter_token_latency_seconds_count", labels) ?? 0) <= 5)
            #expect(families.value("http_requests_total", ["method": "POST", "route": "/v1/messages", "status": "200"]) == 2)
        }
    }

    @Test func responsesPassThroughWholeAndStreamedAndAreCounted() async throws {
        try await withCluster([fastNode()], configure: { $0.monitoring.enabled = true }) { client, cluster in
            let node = TestClient(base: cluster.nodeURLs[0])
            let whole = try await client.post("/v1/responses", Self.responses(stream: false))
            #expect(whole.status == 200)
            let response = try whole.decode(ResponsesObject.self)
            let direct = try await node.post("/v1/responses", Self.responses(stream: false)).decode(ResponsesObject.self)
            #expect(response.outputText == direct.outputText)
            #expect(response.usage == direct.usage)
            let input = try #require(response.usage?.inputTokens)
            #expect(response.usage?.outputTokens == 6)

            let streamed = try await client.post("/v1/responses", Self.responses(stream: true))
            #expect(streamed.status == 200)
            let frames = try streamed.frames()
            #expect(frames.first?.name == "response.created")
            #expect(frames.last?.name == "response.completed")
            #expect(frames.filter { $0.name == "response.output_text.delta" }.count == 6)
            let directFrames = try await node.post("/v1/responses", Self.responses(stream: true)).frames()
            #expect(Self.comparable(frames) == Self.comparable(directFrames))

            let families = try await GatewayMetricsTests.scrape(client)
            let labels = ["node": "sim-0", "model": "llama3.2:latest"]
            #expect(families.value("ollamamax_prompt_tokens_total", labels) == Double(2 * input))
            #expect(families.value("ollamamax_output_tokens_total", labels) == 12)
            #expect(families.value("ollamamax_llm_requests_total", labels.merging(["outcome": "success"]) { $1 }) == 2)
            #expect(families.value("ollamamax_time_to_first_token_seconds_count", labels) == 1)
            #expect(families.value("http_requests_total", ["method": "POST", "route": "/v1/responses", "status": "200"]) == 2)
        }
    }

    @Test func anUnknownModelIsTheNodesOwnNotFoundInEachRoutesShape() async throws {
        try await withCluster([fastNode()]) { client, _ in
            let messages = try await client.post("/v1/messages", Self.messages("nope", stream: true))
            #expect(messages.status == 404)
            let anthropic = try messages.json()
            #expect(anthropic["type"] == "error")
            #expect(anthropic["error"]?.objectValue?["type"] == "not_found_error")
            let responses = try await client.post("/v1/responses", Self.responses("nope", stream: true))
            #expect(responses.status == 404)
            #expect(try responses.json()["error"]?.objectValue?["message"]?.stringValue?.contains("nope") == true)
        }
    }

    @Test func gatewayMadeErrorsAreInEachRoutesShape() async throws {
        try await withCluster([fastNode()], configure: { $0.maxBodyBytes = 200 }) { client, cluster in
            let large =
                #"{"model":"llama3.2","max_tokens":5,"messages":[{"role":"user","content":""#
                + String(repeating: "x", count: 300) + #""}]}"#
            // Head and body in one write: the gateway answers and closes, and the client reads it all.
            let port = try #require(URLComponents(string: cluster.gatewayURL)?.port)
            let raw = try await DataPlaneTests.exchange(port: port, DataPlaneTests.post("/v1/messages", large, close: true))
            #expect(raw.hasPrefix("HTTP/1.1 413 Payload Too Large\r\n"))
            let head = try #require(raw.range(of: "\r\n\r\n"))
            let body = try JSONDecoder().decode(JSONObject.self, from: Data(raw[head.upperBound...].utf8))
            #expect(body["type"] == "error")
            #expect(body["error"]?.objectValue?["type"] == "request_too_large")
            #expect(body["error"]?.objectValue?["message"] == "request body too large (limit 200 bytes)")
            let id = raw.split(separator: "\r\n").first { $0.lowercased().hasPrefix("x-request-id: ") }?.dropFirst(14)
            #expect(body["request_id"]?.stringValue == id.map(String.init))

            // The only node down: no healthy node, 503 overloaded_error (and the OpenAI object on /v1/responses).
            for _ in 0..<2 {
                cluster.gateway.pool.applyProbe("sim-0", latency: nil, version: nil, models: nil, resident: nil, error: "probe failed")
            }
            let down = try await client.post("/v1/messages", Self.messages(stream: true))
            #expect(down.status == 503)
            #expect(down.headers.first(name: "Retry-After") == "1")
            let anthropic = try down.json()
            #expect(anthropic["error"]?.objectValue?["type"] == "overloaded_error")
            #expect(anthropic["error"]?.objectValue?["message"]?.stringValue?.hasPrefix("no healthy") == true)
            let responses = try await client.post("/v1/responses", Self.responses(stream: true))
            #expect(responses.status == 503)
            let openAI = try responses.json()["error"]?.objectValue
            #expect(openAI?["message"]?.stringValue?.hasPrefix("no healthy") == true)
            #expect(openAI?["type"] != nil)
        }
    }

    @Test func queueRefusalsAreInEachRoutesShape() async throws {
        try await withCluster(
            [fastNode(decodeRate: 10)],
            configure: {
                DataPlaneQueueTests.oneSlot(&$0)
                $0.queue.queueTimeout = .seconds(0.3)
            }
        ) { client, _ in
            let holder = try await DataPlaneQueueTests.Holder.hold(client)
            let timedOut = try await client.post("/v1/messages", Self.messages(stream: true))
            #expect(timedOut.status == 503)
            #expect(timedOut.headers.first(name: "Retry-After") == "1")
            let anthropic = try timedOut.json()
            #expect(anthropic["type"] == "error")
            #expect(anthropic["error"]?.objectValue?["type"] == "overloaded_error")
            #expect(
                anthropic["error"]?.objectValue?["message"] == "server busy, please try again.  timed out after 0.3s in the gateway queue"
            )
            let responses = try await client.post("/v1/responses", Self.responses(stream: true))
            #expect(responses.status == 503)
            #expect(
                try responses.json()["error"]?.objectValue?["message"]
                    == "server busy, please try again.  timed out after 0.3s in the gateway queue"
            )
            try await holder.end()
        }
    }

    @Test func aNodeThatNeverAnswersIsA502InAnthropicsShape() async throws {
        var hanging = fastNode()
        hanging.faults.hangRate = 1
        try await withCluster([hanging], configure: { $0.responseTimeout = .seconds(0.2) }) { client, _ in
            let answer = try await client.post("/v1/messages", Self.messages(stream: true))
            #expect(answer.status == 502)
            let body = try answer.json()
            #expect(body["error"]?.objectValue?["type"] == "api_error")
            #expect(body["error"]?.objectValue?["message"] == "no node could serve the request: sim-0: no answer within 0.2s")
        }
    }

    @Test func aNodeThatBreaksMidStreamEndsMessagesWithAnAnthropicErrorEvent() async throws {
        var breaking = fastNode()
        breaking.faults.midStreamFailureRate = 1
        breaking.faults.midStreamFailureMode = .dropConnection
        try await withCluster([breaking], configure: { $0.monitoring.enabled = true }) { client, cluster in
            let answer = try await client.post("/v1/messages", Self.messages(tokens: 40, stream: true))
            #expect(answer.status == 200)
            let frames = try answer.frames()
            #expect(frames.first?.name == "message_start")
            let last = try #require(frames.last)
            #expect(last.name == "error")
            #expect(last.data["type"] == "error")
            #expect(last.data["error"]?.objectValue?["type"] == "api_error")
            #expect(last.data["error"]?.objectValue?["message"]?.stringValue?.hasPrefix("node sim-0 failed mid-stream: ") == true)
            let families = try await GatewayMetricsTests.scrape(client)
            let labels = ["node": "sim-0", "model": "llama3.2:latest", "outcome": "failure"]
            #expect(families.value("ollamamax_llm_requests_total", labels) == 1)
            #expect(cluster.gateway.pool.status().first?.failures == 1)
        }
    }

    @Test func aNodeThatBreaksMidStreamEndsResponsesWithTheNextNumberedErrorEvent() async throws {
        var breaking = fastNode()
        breaking.faults.midStreamFailureRate = 1
        breaking.faults.midStreamFailureMode = .dropConnection
        try await withCluster([breaking]) { client, _ in
            let answer = try await client.post("/v1/responses", Self.responses(tokens: 40, stream: true))
            #expect(answer.status == 200)
            let frames = try answer.frames()
            let last = try #require(frames.last)
            #expect(last.name == "error")
            #expect(last.data["type"] == "error")
            #expect(last.data["code"] == "api_error")
            #expect(last.data["param"] == .null)
            #expect(last.data["message"]?.stringValue?.hasPrefix("node sim-0 failed mid-stream: ") == true)
            // Numbered after the node's own events, one by one.
            let before = frames.dropLast().compactMap { $0.data["sequence_number"]?.intValue }
            let first = try #require(before.first)
            #expect(before == Array(first..<first + before.count))
            #expect(last.data["sequence_number"]?.intValue == first + before.count)
        }
    }

    @Test func aNodesOwnErrorEventInAStreamCountsAsAFailure() async throws {
        var failing = fastNode()
        failing.faults.midStreamFailureRate = 1
        failing.faults.midStreamFailureMode = .errorLine
        try await withCluster([failing], configure: { $0.monitoring.enabled = true }) { client, _ in
            let messages = try await client.post("/v1/messages", Self.messages(tokens: 40, stream: true)).frames()
            #expect(messages.last?.name == "error")
            let responses = try await client.post("/v1/responses", Self.responses(tokens: 40, stream: true)).frames()
            #expect(responses.last?.name == "error")
            let families = try await GatewayMetricsTests.scrape(client)
            let labels = ["node": "sim-0", "model": "llama3.2:latest", "outcome": "failure"]
            #expect(families.value("ollamamax_llm_requests_total", labels) == 2)
        }
    }
}
