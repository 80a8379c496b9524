import Foundation
import OllamaAPI
import Testing

/// The `/v1/messages` wire types against bodies from Ollama's docs and tests: what decodes,
/// what is kept, and what is written back.
struct AnthropicWireTests {
    static func tree(_ json: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(json.utf8))
    }

    static func tree(of value: some Encodable) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: OllamaJSON.encode(value))
    }

    static let toolRoundTrip = #"""
        {"model": "test-model", "max_tokens": 1024,
         "system": [{"type": "text", "text": "You are "}, {"type": "text", "text": "helpful.", "cache_control": {"type": "ephemeral"}}],
         "temperature": 0.7, "top_p": 0.9, "top_k": 40, "stop_sequences": ["\n", "END"],
         "messages": [
           {"role": "user", "content": "What's the weather?"},
           {"role": "assistant", "content": [
             {"type": "thinking", "thinking": "Call the tool.", "signature": "sig"},
             {"type": "tool_use", "id": "call_123", "name": "get_weather", "input": {"location": "Paris"}}]},
           {"role": "user", "content": [
             {"type": "tool_result", "tool_use_id": "call_123", "content": "Sunny, 22°C"},
             {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo="}}]}],
         "tools": [{"name": "get_weather", "description": "Get current weather",
                    "input_schema": {"type": "object", "properties": {"location": {"type": "string"}}, "required": ["location"]}}],
         "tool_choice": {"type": "auto"}, "thinking": {"type": "enabled", "budget_tokens": 1000},
         "metadata": {"user_id": "u1"}, "output_config": {"effort": "high"}}
        """#

    @Test func aRequestWithEveryFieldOllamaReadsDecodesAndRoundTrips() throws {
        let request = try OllamaJSON.decode(AnthropicMessagesRequest.self, from: Data(Self.toolRoundTrip.utf8))
        #expect(request.model == "test-model")
        #expect(request.maxTokens == 1024)
        #expect(request.system?.text == "You are helpful.")
        #expect(request.temperature == 0.7)
        #expect(request.topP == 0.9)
        #expect(request.topK == 40)
        #expect(request.stopSequences == ["\n", "END"])
        #expect(request.toolChoice == AnthropicToolChoice(type: "auto"))
        #expect(request.thinking == AnthropicThinking(type: "enabled", budgetTokens: 1000))
        #expect(request.metadata == AnthropicMetadata(userID: "u1"))
        #expect(request.extra == ["output_config": .object(["effort": .string("high")])])
        #expect(request.tools?.first?.name == "get_weather")
        #expect(request.messages.count == 3)
        #expect(request.messages[0].content == .text("What's the weather?"))
        #expect(request.messages[0].content.blocks == [.text("What's the weather?")])
        let assistant = request.messages[1].content.blocks
        let call = AnthropicContentBlock.toolUse(id: "call_123", name: "get_weather", input: ["location": .string("Paris")])
        #expect(assistant == [.thinking("Call the tool.", signature: "sig"), call])
        let user = request.messages[2].content.blocks
        #expect(user[0] == .toolResult(toolUseID: "call_123", content: .string("Sunny, 22°C")))
        #expect(user[1].source == AnthropicImageSource(type: "base64", mediaType: "image/png", data: "iVBORw0KGgo="))
        #expect(try Self.tree(of: request) == Self.tree(Self.toolRoundTrip))
    }

    @Test func unknownBlockAndToolFieldsAreKept() throws {
        let json = #"{"type":"text","text":"hi","cache_control":{"type":"ephemeral"},"citations":[]}"#
        let block = try OllamaJSON.decode(AnthropicContentBlock.self, from: Data(json.utf8))
        #expect(block.extra == ["cache_control": .object(["type": .string("ephemeral")]), "citations": .array([])])
        #expect(try Self.tree(of: block) == Self.tree(json))
        let tool = #"{"type":"web_search_20250305","name":"web_search","max_uses":5}"#
        let decoded = try OllamaJSON.decode(AnthropicTool.self, from: Data(tool.utf8))
        #expect(decoded.extra == ["max_uses": .int(5)])
        #expect(try Self.tree(of: decoded) == Self.tree(tool))
    }

    @Test func aNonStreamedAnswerIsWrittenAsOllamaWritesIt() throws {
        let response = AnthropicMessagesResponse(
            id: "msg_0123456789abcdef01234567",
            model: "qwen3:4b",
            content: [
                .thinking("Let me think."), .text("Hello!"),
                .toolUse(id: "call_ab12cd34", name: "get_weather", input: ["city": .string("Paris")]),
            ],
            stopReason: "tool_use",
            usage: AnthropicUsage(inputTokens: 12, outputTokens: 7)
        )
        let expected = #"""
            {"id":"msg_0123456789abcdef01234567","type":"message","role":"assistant","model":"qwen3:4b",
             "content":[{"type":"thinking","thinking":"Let me think."},{"type":"text","text":"Hello!"},
                        {"type":"tool_use","id":"call_ab12cd34","name":"get_weather","input":{"city":"Paris"}}],
             "stop_reason":"tool_use","usage":{"input_tokens":12,"output_tokens":7}}
            """#
        #expect(try Self.tree(of: response) == Self.tree(expected))
        #expect(try OllamaJSON.decode(AnthropicMessagesResponse.self, from: Data(expected.utf8)) == response)
    }

    @Test func streamEventsHaveOllamasShapes() throws {
        let start = AnthropicStreamEvent.messageStart(
            AnthropicMessagesResponse(id: "msg_1", model: "m", content: [], stopReason: nil, usage: AnthropicUsage(inputTokens: 5, outputTokens: 0))
        )
        let frames: [(AnthropicStreamEvent, String)] = [
            (
                start,
                #"{"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"m","content":[],"usage":{"input_tokens":5,"output_tokens":0}}}"#
            ),
            (.contentBlockStart(index: 0, block: .text("")), #"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#),
            (
                .contentBlockDelta(index: 0, delta: .text("Hi")),
                #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}"#
            ),
            (
                .contentBlockDelta(index: 1, delta: .thinking("hm")),
                #"{"type":"content_block_delta","index":1,"delta":{"type":"thinking_delta","thinking":"hm"}}"#
            ),
            (
                .contentBlockDelta(index: 2, delta: .inputJSON(#"{"a":1}"#)),
                #"{"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"{\"a\":1}"}}"#
            ),
            (.contentBlockStop(index: 0), #"{"type":"content_block_stop","index":0}"#),
            (
                .messageDelta(AnthropicMessageDelta(stopReason: "end_turn"), usage: AnthropicUsage(inputTokens: 5, outputTokens: 9)),
                #"{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"input_tokens":5,"output_tokens":9}}"#
            ),
            (.messageStop, #"{"type":"message_stop"}"#),
            (.ping, #"{"type":"ping"}"#),
            (
                .error(AnthropicErrorResponse.Detail(type: "api_error", message: "boom")),
                #"{"type":"error","error":{"type":"api_error","message":"boom"}}"#
            ),
        ]
        for (event, json) in frames {
            #expect(try Self.tree(of: event) == Self.tree(json), "\(event.type)")
            #expect(try OllamaJSON.decode(AnthropicStreamEvent.self, from: Data(json.utf8)) == event)
            let sse = try event.sseEvent()
            #expect(sse.event == event.type)
            #expect(try Self.tree(sse.data) == Self.tree(json))
        }
    }

    @Test func anUnknownStreamEventDecodesAsOtherAndRoundTrips() throws {
        let json = #"{"type":"content_block_citation","index":3}"#
        let event = try OllamaJSON.decode(AnthropicStreamEvent.self, from: Data(json.utf8))
        #expect(event == .other(type: "content_block_citation", ["index": .int(3)]))
        #expect(try Self.tree(of: event) == Self.tree(json))
    }

    @Test func usageMissingACountDecodesItAsZero() throws {
        let json = #"{"type":"message_delta","delta":{"stop_reason":"max_tokens","stop_sequence":null},"usage":{"output_tokens":15}}"#
        let event = try OllamaJSON.decode(AnthropicStreamEvent.self, from: Data(json.utf8))
        #expect(event == .messageDelta(AnthropicMessageDelta(stopReason: "max_tokens"), usage: AnthropicUsage(inputTokens: 0, outputTokens: 15)))
    }
}
