import Foundation
import NIOHTTP1
import NodeSimulator
import OllamaAPI
import TestHTTP
import Testing

extension HTTPAnswer {
    /// The body as `/v1/messages` stream events, with the `event:` name of each frame.
    func anthropicEvents() throws -> [(name: String?, event: AnthropicStreamEvent)] {
        var decoder = SSEDecoder()
        var frames = try decoder.feed(body)
        if let last = decoder.finish() { frames.append(last) }
        return try frames.map { ($0.event, try OllamaJSON.decode(AnthropicStreamEvent.self, from: Data($0.data.utf8))) }
    }
}

/// `POST /v1/messages` over real HTTP: the message and the event stream as Ollama writes them.
@Suite(.timeLimit(.minutes(3)))
struct AnthropicMessagesTests {
    static let hello = #"[{"role":"user","content":"hello"}]"#
    static let helloTokens = Tokenizer.count(messages: [(role: "user", content: "hello")])
    static let weather = #"""
        [{"name":"get_weather","description":"Get the weather","input_schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}]
        """#

    static func body(_ model: String, maxTokens: Int, stream: Bool, extra: String = "") -> String {
        #"{"model":"\#(model)","max_tokens":\#(maxTokens),"stream":\#(stream),"messages":\#(hello)\#(extra)}"#
    }

    @Test func aWholeAnswerIsOneMessageWithTextStopReasonAndUsage() async throws {
        try await withSimulator { client, _ in
            let result = try await client.post("/v1/messages", Self.body("qwen2.5:0.5b", maxTokens: 7, stream: false))
            #expect(result.status == 200)
            #expect(result.contentType == "application/json; charset=utf-8")
            let message = try result.decode(AnthropicMessagesResponse.self)
            #expect(message.id.hasPrefix("msg_"))
            #expect(message.id.count == 28)
            #expect(message.id.dropFirst(4).allSatisfy { $0.isHexDigit })
            #expect(message.type == "message")
            #expect(message.role == "assistant")
            #expect(message.model == "qwen2.5:0.5b")
            #expect(message.content.map(\.type) == ["text"])
            #expect(message.content[0].text?.isEmpty == false)
            #expect(message.stopReason == "max_tokens")
            #expect(message.usage == AnthropicUsage(inputTokens: Self.helloTokens, outputTokens: 7))
            // Ollama never sends stop_sequence.
            #expect(try result.json()["stop_sequence"] == nil)

            let natural = try await client.post("/v1/messages", Self.body("qwen2.5:0.5b", maxTokens: 1000, stream: false))
            let ended = try natural.decode(AnthropicMessagesResponse.self)
            #expect(ended.stopReason == "end_turn")
            #expect((40...60).contains(ended.usage.outputTokens))
        }
    }

    @Test func aStreamIsOllamasEventSequenceWithTheSameTextAsTheWholeAnswer() async throws {
        try await withSimulator { client, _ in
            let result = try await client.post("/v1/messages", Self.body("qwen2.5:0.5b", maxTokens: 5, stream: true))
            #expect(result.status == 200)
            #expect(result.contentType == "text/event-stream")
            #expect(result.headers.first(name: "cache-control") == "no-cache")
            let frames = try result.anthropicEvents()
            #expect(frames.allSatisfy { $0.name == $0.event.type })
            let names = frames.map(\.event.type)
            #expect(
                names == ["message_start", "content_block_start"] + Array(repeating: "content_block_delta", count: 5)
                    + ["content_block_stop", "message_delta", "message_stop"]
            )
            guard case .messageStart(let start) = frames[0].event else { throw SimulatorTestError("no message_start") }
            #expect(start.id.hasPrefix("msg_"))
            #expect(start.content == [])
            #expect(start.stopReason == nil)
            #expect(start.usage == AnthropicUsage(inputTokens: Self.helloTokens, outputTokens: 0))
            #expect(frames[1].event == .contentBlockStart(index: 0, block: .text("")))
            var text = ""
            for frame in frames[2..<7] {
                guard case .contentBlockDelta(0, let delta) = frame.event, delta.type == "text_delta", let piece = delta.text else {
                    throw SimulatorTestError("not a text delta at index 0: \(frame.event)")
                }
                text += piece
            }
            #expect(frames[7].event == .contentBlockStop(index: 0))
            let usage = AnthropicUsage(inputTokens: Self.helloTokens, outputTokens: 5)
            #expect(frames[8].event == .messageDelta(AnthropicMessageDelta(stopReason: "max_tokens"), usage: usage))
            let whole = try await client.post("/v1/messages", Self.body("qwen2.5:0.5b", maxTokens: 5, stream: false))
            #expect(try whole.decode(AnthropicMessagesResponse.self).content == [.text(text)])
        }
    }

    @Test func thinkingComesFirstInItsOwnBlockThenTheText() async throws {
        try await withSimulator { client, _ in
            let thinking = #","thinking":{"type":"enabled","budget_tokens":1024}"#
            let whole = try await client.post("/v1/messages", Self.body("qwen3:4b", maxTokens: 200, stream: false, extra: thinking))
            let message = try whole.decode(AnthropicMessagesResponse.self)
            #expect(message.content.map(\.type) == ["thinking", "text"])
            #expect(message.content[0].thinking?.isEmpty == false)
            // Ollama sends no signature.
            #expect(message.content[0].signature == nil)
            #expect(message.stopReason == "end_turn")

            let stream = try await client.post("/v1/messages", Self.body("qwen3:4b", maxTokens: 200, stream: true, extra: thinking))
            let events = try stream.anthropicEvents().map(\.event)
            var thought = ""
            var text = ""
            var shape: [String] = []
            for event in events {
                switch event {
                case .contentBlockStart(let index, let block): shape.append("start \(index) \(block.type)")
                case .contentBlockStop(let index): shape.append("stop \(index)")
                case .contentBlockDelta(0, let delta) where delta.type == "thinking_delta": thought += delta.thinking ?? ""
                case .contentBlockDelta(1, let delta) where delta.type == "text_delta": text += delta.text ?? ""
                case .contentBlockDelta(let index, let delta): Issue.record("unexpected \(delta.type) at \(index)")
                default: shape.append(event.type)
                }
            }
            #expect(shape == ["message_start", "start 0 thinking", "stop 0", "start 1 text", "stop 1", "message_delta", "message_stop"])
            #expect([AnthropicContentBlock.thinking(thought), .text(text)] == message.content)

            // Thinking off on a thinking model; on, relaxed, on a model that cannot think (no 400).
            let off = try await client.post(
                "/v1/messages",
                Self.body("qwen3:4b", maxTokens: 200, stream: false, extra: #","thinking":{"type":"disabled"}"#)
            )
            #expect(try off.decode(AnthropicMessagesResponse.self).content.map(\.type) == ["text"])
            let relaxed = try await client.post("/v1/messages", Self.body("qwen2.5:0.5b", maxTokens: 5, stream: false, extra: thinking))
            #expect(relaxed.status == 200)
            #expect(try relaxed.decode(AnthropicMessagesResponse.self).content.map(\.type) == ["text"])
        }
    }

    @Test func aToolCallIsAToolUseBlockAndItsResultGetsATextAnswer() async throws {
        try await withSimulator { client, _ in
            let tools = #","tools":\#(Self.weather)"#
            let whole = try await client.post("/v1/messages", Self.body("qwen2.5:0.5b", maxTokens: 100, stream: false, extra: tools))
            let message = try whole.decode(AnthropicMessagesResponse.self)
            #expect(message.stopReason == "tool_use")
            #expect(message.content.map(\.type) == ["tool_use"])
            let use = message.content[0]
            #expect(use.name == "get_weather")
            #expect(use.id?.hasPrefix("call_") == true)
            #expect(use.id?.count == 13)
            #expect(use.input?["city"]?.stringValue?.isEmpty == false)
            #expect(message.usage.outputTokens > 0)

            let stream = try await client.post("/v1/messages", Self.body("qwen2.5:0.5b", maxTokens: 100, stream: true, extra: tools))
            let events = try stream.anthropicEvents().map(\.event)
            #expect(
                events.map(\.type) == [
                    "message_start", "content_block_start", "content_block_delta", "content_block_stop", "message_delta", "message_stop",
                ]
            )
            guard case .contentBlockStart(0, let block) = events[1], case .contentBlockDelta(0, let delta) = events[2] else {
                throw SimulatorTestError("no tool_use block: \(events)")
            }
            #expect(block.type == "tool_use")
            #expect(block.name == "get_weather")
            #expect(block.input == [:])
            #expect(delta.type == "input_json_delta")
            let input = try OllamaJSON.decode(JSONObject.self, from: Data((delta.partialJSON ?? "").utf8))
            #expect(input == use.input)
            guard case .messageDelta(let end, let usage) = events[4] else { throw SimulatorTestError("no message_delta") }
            #expect(end.stopReason == "tool_use")
            #expect(usage.outputTokens == message.usage.outputTokens)

            let id = use.id ?? ""
            let roundTrip = #"""
                {"model":"qwen2.5:0.5b","max_tokens":5,"tools":\#(Self.weather),"messages":[
                 {"role":"user","content":"hello"},
                 {"role":"assistant","content":[{"type":"tool_use","id":"\#(id)","name":"get_weather","input":{"city":"Paris"}}]},
                 {"role":"user","content":[{"type":"tool_result","tool_use_id":"\#(id)","content":"Sunny"}]}]}
                """#
            let answer = try await client.post("/v1/messages", roundTrip)
            let answered = try answer.decode(AnthropicMessagesResponse.self)
            #expect(answered.content.map(\.type) == ["text"])
            #expect(answered.stopReason == "max_tokens")
        }
    }
}
