import AsyncHTTPClient
import Foundation
import NIOCore
import NodeSimulator
import OllamaAPI
import TestHTTP
import Testing

/// `/v1/responses` refusals with Ollama's statuses and texts in the OpenAI shape, capacity and
/// faults as on the other inference routes, and tokens at their planned times.
@Suite(.timeLimit(.minutes(3)))
struct ResponsesFailureTests {
    /// Bodies Ollama refuses, with its status and message.
    static let refusals: [(body: String, status: Int, message: String)] = [
        ("", 400, "EOF"),
        ("x", 400, "invalid character 'x' looking for beginning of value"),
        (
            #"{"model":"qwen2.5:0.5b","temperature":"hot"}"#, 400,
            "json: cannot unmarshal string into Go struct field ResponsesRequest.temperature of type float64"
        ),
        (
            #"{"model":"qwen2.5:0.5b","input":5}"#, 400,
            "input must be a string or array: json: cannot unmarshal number into Go value of type []json.RawMessage"
        ),
        (
            #"{"model":"qwen2.5:0.5b","input":[{"role":"user","content":"a"},{"type":"bogus"}]}"#, 400,
            #"input[1]: unknown input item type: "bogus""#
        ),
        (#"{"model":"qwen2.5:0.5b","input":[{"content":"a"}]}"#, 400, "input[0]: input item missing required 'type' field"),
        (
            #"{"model":"qwen2.5:0.5b","input":[{"role":"user","content":[{"type":"input_audio"}]}]}"#, 400,
            "input[0]: content[0]: unknown content type: input_audio"
        ),
        (
            #"{"model":"qwen2.5:0.5b","input":[{"type":"function_call_output","call_id":"c","output":[{"type":"x"}]}]}"#, 400,
            "input[0]: output[0]: unknown content type: x"
        ),
        (
            #"{"model":"qwen2.5:0.5b","input":[{"role":"user","content":[{"type":"input_file","file_data":"abc"}]}]}"#, 400,
            "file inputs are not currently supported"
        ),
        (
            #"{"model":"qwen2.5:0.5b","input":[{"role":"user","content":[{"type":"input_image","image_url":"https://x/y.png"}]}]}"#, 400,
            "image URLs are not currently supported, please use base64 encoded data instead"
        ),
        (
            #"{"model":"qwen2.5:0.5b","input":[{"role":"user","content":[{"type":"input_image","image_url":"data:image/gif;base64,R0lG"}]}]}"#,
            400, "invalid image input"
        ),
        (
            #"{"model":"qwen2.5:0.5b","input":[{"type":"function_call","call_id":"c","name":"f","arguments":"x"}]}"#, 400,
            "failed to parse function call arguments: invalid character 'x' looking for beginning of value"
        ),
        (
            #"{"model":"qwen3:4b","input":"a","reasoning":{"effort":"extreme"}}"#, 400,
            #"invalid reasoning value: "extreme" (must be "minimal", "low", "medium", "high", "xhigh", "ultra", "max", or "none")"#
        ),
        (#"{"input":"a"}"#, 400, "model is required"),
        (#"{"model":"ghost","input":"a"}"#, 404, "model 'ghost' not found"),
        (#"{"model":"qwen2.5:0.5b","input":"a","reasoning":{"effort":"high"}}"#, 400, #""qwen2.5:0.5b" does not support thinking"#),
        (#"{"model":"nomic-embed-text","input":"a"}"#, 400, #""nomic-embed-text" does not support chat"#),
    ]

    @Test func refusalsUseOllamasStatusesAndTextsInTheOpenAIShape() async throws {
        try await withSimulator { client, _ in
            for refusal in Self.refusals {
                let result = try await client.post("/v1/responses", refusal.body)
                #expect(result.status == refusal.status, "\(refusal.body)")
                let error = try result.decode(OpenAIErrorResponse.self).error
                #expect(error.message == refusal.message, "\(refusal.body)")
                #expect(error.type == (refusal.status == 404 ? "not_found_error" : "invalid_request_error"))
            }
            // Ollama keeps no responses: a previous_response_id is ignored, not refused.
            let stateless = try await client.post("/v1/responses", #"{"model":"qwen2.5:0.5b","input":"a","previous_response_id":"resp_1"}"#)
            #expect(stateless.status == 200)
            #expect(try stateless.json()["previous_response_id"] == .null)
        }
    }

    @Test func aCrashBeforeTheFirstTokenIsA500() async throws {
        var configuration = SimulatorConfiguration.testing
        configuration.faults.errorRate = 1
        try await withSimulator(configuration) { client, _ in
            let result = try await client.post("/v1/responses", #"{"model":"llama3.2","input":"x","stream":true}"#)
            #expect(result.status == 500)
            let error = try result.decode(OpenAIErrorResponse.self).error
            #expect(error.message == "simulated failure: the model runner crashed")
            #expect(error.type == "api_error")
        }
    }

    @Test func aFullQueueAnswers503InTheOpenAIShape() async throws {
        var configuration = SimulatorConfiguration.testing
        configuration.limits.numParallel = 1
        configuration.limits.maxQueue = 1
        configuration.models[1].decodeTokensPerSecond = 5
        try await withSimulator(configuration) { client, simulator in
            // One request holds the only slot for 10 s (50 tokens at 5 a second), a short one waits
            // in the queue; their clients wait longer than that, so neither leaves early.
            let slow = #"{"model":"qwen2.5:0.5b","input":"x","max_output_tokens":50,"stream":true}"#
            async let holder = client.post("/v1/responses", slow)
            await yieldUntil("the first request holds the model") { await simulator.scheduler.residents().first?.active == 1 }
            async let waiter = client.post("/v1/responses", #"{"model":"qwen2.5:0.5b","input":"x","max_output_tokens":1}"#)
            await yieldUntil("the second request is queued") { await simulator.scheduler.pendingCount() >= 1 }
            let refused = try await client.post("/v1/responses", slow)
            #expect(refused.status == 503)
            let error = try refused.decode(OpenAIErrorResponse.self).error
            #expect(error.message == "server busy, please try again.  maximum pending requests exceeded")
            #expect(error.type == "api_error")
            #expect(try await holder.status == 200)
            #expect(try await waiter.status == 200)
        }
    }

    @Test func aMidStreamFailureEndsWithAnErrorEventNumberedNext() async throws {
        var configuration = SimulatorConfiguration.testing
        configuration.faults.midStreamFailureRate = 1
        try await withSimulator(configuration) { client, _ in
            let body = #"{"model":"qwen2.5:0.5b","input":"x","max_output_tokens":10,"stream":true}"#
            let result = try await client.post("/v1/responses", body)
            #expect(result.status == 200)
            let frames = try result.namedFrames()
            // Half the tokens, then the error event in place of the closing events.
            let expected: [String] =
                ["response.created", "response.in_progress", "response.output_item.added", "response.content_part.added"]
                + Array(repeating: "response.output_text.delta", count: 5) + ["error"]
            #expect(frames.map(\.name) == expected)
            #expect(
                frames.last?.data == [
                    "type": "error", "code": "api_error", "param": .null, "sequence_number": 9,
                    "message": "simulated failure: the model runner stopped in the middle of the answer",
                ]
            )
            let whole = try await client.post("/v1/responses", body.replacingOccurrences(of: #""stream":true"#, with: #""stream":false"#))
            #expect(whole.status == 500)
            #expect(try whole.decode(OpenAIErrorResponse.self).error.type == "api_error")
        }
    }

    @Test func aDroppedConnectionCutsTheStream() async throws {
        var configuration = SimulatorConfiguration.testing
        configuration.faults.midStreamFailureRate = 1
        configuration.faults.midStreamFailureMode = .dropConnection
        try await withSimulator(configuration) { client, _ in
            do {
                let result = try await client.post("/v1/responses", #"{"model":"qwen2.5:0.5b","input":"x","max_output_tokens":10,"stream":true}"#)
                Issue.record("a dropped connection must fail the read, got \(result.status): \(result.text)")
            } catch {
                // The body ended without its closing events: the client sees a broken connection.
            }
            let version = try await client.get("/api/version")
            #expect(version.status == 200)
        }
    }

    @Test func tokensArriveAtTheirPlannedTimes() async throws {
        var configuration = SimulatorConfiguration.testing
        let gap = Duration.milliseconds(100)
        configuration.models[1].decodeTokensPerSecond = 10
        try await withSimulator(configuration) { client, _ in
            let tokens = 8
            let start = ContinuousClock.now
            let response = try await client.open(
                "/v1/responses",
                #"{"model":"qwen2.5:0.5b","input":"x","max_output_tokens":\#(tokens),"stream":true}"#
            )
            var decoder = SSEDecoder()
            var arrivals: [(name: String, at: Duration)] = []
            for try await buffer in response.body {
                let now = ContinuousClock.now - start
                for event in try decoder.feed(Array(buffer.readableBytesView)) { arrivals.append((event.event ?? "", now)) }
            }
            let deltas = arrivals.filter { $0.name == "response.output_text.delta" }.map(\.at)
            #expect(deltas.count == tokens)
            // Token k is sent at its deadline, k gaps after the slot was taken (prefill is
            // negligible here), never before. No upper bound: on a busy machine a read can come
            // seconds late (how close the gateway keeps the gaps is a benchmark, docs/benchmarks.md).
            for (index, arrival) in deltas.enumerated() {
                let planned = gap * (index + 1)
                #expect(arrival >= planned, "token \(index + 1) at \(arrival), planned \(planned)")
            }
            // response.created comes with the first token, as Ollama writes it with the first chunk.
            let created = try #require(arrivals.first { $0.name == "response.created" }?.at)
            #expect(created >= gap)
        }
    }
}
