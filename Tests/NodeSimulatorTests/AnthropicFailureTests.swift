import AsyncHTTPClient
import Foundation
import NIOCore
import NodeSimulator
import OllamaAPI
import TestHTTP
import Testing

/// `/v1/messages` refusals with Ollama's statuses and texts in Anthropic's shape, capacity and
/// faults as on the other inference routes, and tokens at their planned times.
@Suite(.timeLimit(.minutes(3)))
struct AnthropicFailureTests {
    static let hi = #"[{"role":"user","content":"hi"}]"#

    /// Bodies Ollama refuses, with its status and message.
    static let refusals: [(body: String, status: Int, message: String)] = [
        ("", 400, "EOF"),
        ("x", 400, "invalid character 'x' looking for beginning of value"),
        ("[1]", 400, "json: cannot unmarshal array into Go value of type anthropic.MessagesRequest"),
        (
            #"{"model":"qwen2.5:0.5b","max_tokens":"many","messages":\#(hi)}"#, 400,
            "json: cannot unmarshal string into Go struct field MessagesRequest.max_tokens of type int"
        ),
        (#"{"max_tokens":5,"messages":\#(hi)}"#, 400, "model is required"),
        (#"{"model":"qwen2.5:0.5b","messages":\#(hi)}"#, 400, "max_tokens is required and must be positive"),
        (#"{"model":"qwen2.5:0.5b","max_tokens":-1,"messages":\#(hi)}"#, 400, "max_tokens is required and must be positive"),
        (#"{"model":"qwen2.5:0.5b","max_tokens":5}"#, 400, "messages is required"),
        (
            #"{"model":"qwen2.5:0.5b","max_tokens":5,"messages":[{"role":"assistant","content":[{"type":"tool_use","name":"f"}]}]}"#, 400,
            "tool_use block missing required 'id' field"
        ),
        (
            #"{"model":"qwen2.5:0.5b","max_tokens":5,"messages":[{"role":"assistant","content":[{"type":"tool_use","id":"c"}]}]}"#, 400,
            "tool_use block missing required 'name' field"
        ),
        (#"{"model":"qwen2.5:0.5b","max_tokens":5,"messages":[{"role":"user","content":[{"type":"image"}]}]}"#, 400, "invalid image source"),
        (
            #"{"model":"qwen2.5:0.5b","max_tokens":5,"messages":[{"role":"user","content":[{"type":"image","source":{"type":"url","url":"https://x/y.png"}}]}]}"#,
            400, "invalid image source type: url. Only base64 images are supported."
        ),
        (
            #"{"model":"qwen2.5:0.5b","max_tokens":5,"messages":[{"role":"user","content":[{"type":"image","source":{"type":"base64","media_type":"image/png","data":"ab!d"}}]}]}"#,
            400, "invalid base64 image data: illegal base64 data at input byte 2"
        ),
        (
            #"{"model":"qwen2.5:0.5b","max_tokens":5,"messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":"c","content":[{"type":"image","source":"x"}]}]}]}"#,
            400, "invalid tool_result image source"
        ),
        (
            #"{"model":"qwen2.5:0.5b","max_tokens":5,"messages":\#(hi),"tools":[{"name":"f","input_schema":"x"}]}"#, 400,
            #"invalid input_schema for tool "f": json: cannot unmarshal string into Go value of type api.ToolFunctionParameters"#
        ),
        (#"{"model":"ghost","max_tokens":5,"messages":\#(hi)}"#, 404, "model 'ghost' not found"),
        (#"{"model":"nomic-embed-text","max_tokens":5,"messages":\#(hi)}"#, 400, #""nomic-embed-text" does not support chat"#),
    ]

    @Test func refusalsUseOllamasStatusesAndTextsInAnthropicsShape() async throws {
        try await withSimulator { client, _ in
            for refusal in Self.refusals {
                let result = try await client.post("/v1/messages", refusal.body)
                #expect(result.status == refusal.status, "\(refusal.body)")
                let error = try result.decode(AnthropicErrorResponse.self)
                #expect(error.type == "error")
                #expect(error.error.message == refusal.message, "\(refusal.body)")
                #expect(error.error.type == (refusal.status == 404 ? "not_found_error" : "invalid_request_error"))
                #expect(error.requestID?.hasPrefix("req_") == true)
            }
        }
    }

    @Test func aBodyOverTheLimitIsRequestTooLarge() async throws {
        var configuration = SimulatorConfiguration.testing
        configuration.maxBodyBytes = 64
        try await withSimulator(configuration) { client, _ in
            let system = String(repeating: "x", count: 100)
            let result = try await client.post(
                "/v1/messages",
                #"{"model":"qwen2.5:0.5b","max_tokens":5,"messages":\#(Self.hi),"system":"\#(system)"}"#
            )
            #expect(result.status == 413)
            #expect(try result.decode(AnthropicErrorResponse.self).error.type == "request_too_large")
        }
    }

    @Test func aCrashBeforeTheFirstTokenIsA500ApiError() async throws {
        var configuration = SimulatorConfiguration.testing
        configuration.faults.errorRate = 1
        try await withSimulator(configuration) { client, _ in
            let result = try await client.post("/v1/messages", #"{"model":"llama3.2","max_tokens":5,"stream":true,"messages":\#(Self.hi)}"#)
            #expect(result.status == 500)
            let error = try result.decode(AnthropicErrorResponse.self).error
            #expect(error == AnthropicErrorResponse.Detail(type: "api_error", message: "simulated failure: the model runner crashed"))
        }
    }

    @Test func aFullQueueAnswers503Overloaded() async throws {
        var configuration = SimulatorConfiguration.testing
        configuration.limits.numParallel = 1
        configuration.limits.maxQueue = 1
        configuration.models[1].decodeTokensPerSecond = 5
        try await withSimulator(configuration) { client, simulator in
            let slow = #"{"model":"qwen2.5:0.5b","max_tokens":500,"stream":true,"messages":\#(Self.hi)}"#
            // Both held requests are cancelled at the end, which ends each stream at its next token;
            // no client deadline races the third request on a busy machine.
            let holder = Task { try await client.post("/v1/messages", slow, timeout: .seconds(300)) }
            await yieldUntil("the first request holds the model") { await simulator.scheduler.residents().first?.active == 1 }
            let waiter = Task { try await client.post("/v1/messages", slow, timeout: .seconds(300)) }
            await yieldUntil("the second request is queued") { await simulator.scheduler.pendingCount() >= 1 }
            let refused = try await client.post("/v1/messages", slow)
            #expect(refused.status == 503)
            let error = try refused.decode(AnthropicErrorResponse.self).error
            let busy = "server busy, please try again.  maximum pending requests exceeded"
            #expect(error == AnthropicErrorResponse.Detail(type: "overloaded_error", message: busy))
            holder.cancel()
            waiter.cancel()
            _ = try? await holder.value
            _ = try? await waiter.value
        }
    }

    @Test func aMidStreamFailureEndsWithAnAnthropicErrorEvent() async throws {
        var configuration = SimulatorConfiguration.testing
        configuration.faults.midStreamFailureRate = 1
        try await withSimulator(configuration) { client, _ in
            let body = #"{"model":"qwen2.5:0.5b","max_tokens":10,"stream":true,"messages":\#(Self.hi)}"#
            let result = try await client.post("/v1/messages", body)
            #expect(result.status == 200)
            let events = try result.anthropicEvents()
            // Half the tokens, then the error event in place of the closing events.
            let expected = ["message_start", "content_block_start"] + Array(repeating: "content_block_delta", count: 5) + ["error"]
            #expect(events.map(\.event.type) == expected)
            #expect(events.last?.name == "error")
            let message = "simulated failure: the model runner stopped in the middle of the answer"
            #expect(events.last?.event == .error(AnthropicErrorResponse.Detail(type: "api_error", message: message)))
            let raw = try #require(String(decoding: result.body, as: UTF8.self).components(separatedBy: "event: error\n").last)
            #expect(raw == #"data: {"error":{"message":"\#(message)","type":"api_error"},"type":"error"}"# + "\n\n")

            let whole = try await client.post("/v1/messages", body.replacingOccurrences(of: #""stream":true"#, with: #""stream":false"#))
            #expect(whole.status == 500)
            #expect(try whole.decode(AnthropicErrorResponse.self).error == AnthropicErrorResponse.Detail(type: "api_error", message: message))
        }
    }

    @Test func aDroppedConnectionCutsTheStream() async throws {
        var configuration = SimulatorConfiguration.testing
        configuration.faults.midStreamFailureRate = 1
        configuration.faults.midStreamFailureMode = .dropConnection
        try await withSimulator(configuration) { client, _ in
            do {
                let result = try await client.post("/v1/messages", #"{"model":"qwen2.5:0.5b","max_tokens":10,"stream":true,"messages":\#(Self.hi)}"#)
                Issue.record("a dropped connection must fail the read, got \(result.status): \(result.text)")
            } catch {
                // The body ended without its closing events: the client sees a broken connection.
            }
            let version = try await client.get("/api/version")
            #expect(version.status == 200)
        }
    }

    @Test func textDeltasArriveAtTheirPlannedTimes() async throws {
        var configuration = SimulatorConfiguration.testing
        let gap = Duration.milliseconds(40)
        configuration.models[1].decodeTokensPerSecond = 25
        try await withSimulator(configuration) { client, _ in
            let tokens = 6
            let start = ContinuousClock.now
            let response = try await client.open(
                "/v1/messages",
                #"{"model":"qwen2.5:0.5b","max_tokens":\#(tokens),"stream":true,"messages":\#(Self.hi)}"#
            )
            var decoder = SSEDecoder()
            var arrivals: [(name: String, at: Duration)] = []
            for try await buffer in response.body {
                let now = ContinuousClock.now - start
                for event in try decoder.feed(Array(buffer.readableBytesView)) { arrivals.append((event.event ?? "", now)) }
            }
            let deltas = arrivals.filter { $0.name == AnthropicStreamEvent.contentDeltaType }.map(\.at)
            #expect(deltas.count == tokens)
            // Token k is sent at its deadline, k gaps after the slot was taken (prefill is
            // negligible here), never before. No upper bound: on a busy machine a read can come
            // seconds late (how close the gateway keeps the gaps is a benchmark, docs/benchmarks.md).
            for (index, arrival) in deltas.enumerated() {
                let planned = gap * (index + 1)
                #expect(arrival >= planned, "token \(index + 1) at \(arrival), planned \(planned)")
            }
            // message_start comes with the first token, as Ollama writes it with the first chunk.
            let started = try #require(arrivals.first { $0.name == "message_start" }?.at)
            #expect(started >= gap)
            #expect(arrivals.last?.name == "message_stop")
        }
    }
}
