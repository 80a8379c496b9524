import Foundation
import NodeSimulator
import OllamaAPI
import TestHTTP
import Testing

/// One named server-sent event of a `/v1/responses` stream.
struct NamedFrame {
    var name: String?
    var data: JSONObject

    var type: String? { data["type"]?.stringValue }
}

extension HTTPAnswer {
    /// The body as named SSE events with JSON data.
    func namedFrames() throws -> [NamedFrame] {
        var decoder = SSEDecoder()
        var events = try decoder.feed(body)
        if let last = decoder.finish() { events.append(last) }
        return try events.map { NamedFrame(name: $0.event, data: try JSONDecoder().decode(JSONObject.self, from: Data($0.data.utf8))) }
    }
}

/// `POST /v1/responses` over real HTTP: the response object and the event stream as Ollama writes them.
@Suite(.timeLimit(.minutes(3)))
struct ResponsesEndpointTests {
    static let hello = [(role: "user", content: "hello")]

    @Test func aWholeAnswerIsTheResponseObjectWithTheMessageAndUsage() async throws {
        try await withSimulator { client, _ in
            let result = try await client.post("/v1/responses", #"{"model":"qwen2.5:0.5b","input":"hello","max_output_tokens":7}"#)
            #expect(result.status == 200)
            #expect(result.contentType == "application/json; charset=utf-8")
            let response = try result.decode(ResponsesObject.self)
            #expect(response.object == "response")
            #expect(response.id.hasPrefix("resp_"))
            #expect(response.status == "completed")
            #expect(response.model == "qwen2.5:0.5b")
            #expect(response.completedAt != nil)
            #expect(response.output.count == 1)
            let message = response.output[0]
            #expect(message.type == "message" && message.role == "assistant" && message.status == "completed")
            #expect(message.id.hasPrefix("msg_"))
            #expect(message.content?.map(\.type) == ["output_text"])
            #expect(Tokenizer.count(response.outputText) > 0)
            let prompt = Tokenizer.count(messages: Self.hello)
            #expect(response.usage == ResponsesUsage(inputTokens: prompt, outputTokens: 7))
            #expect(response.maxOutputTokens == 7)
            #expect(response.temperature == 1 && response.topP == 1 && response.truncation == "disabled")
            let object = try result.json()
            #expect(object["previous_response_id"] == .null)
            #expect(object["incomplete_details"] == .null)
            #expect(object["tool_choice"] == "auto")
        }
    }

    @Test func instructionsAreASystemMessageAheadOfTheInput() async throws {
        try await withSimulator { client, _ in
            let body = #"{"model":"qwen2.5:0.5b","instructions":"Answer like a pirate.","input":"hello","max_output_tokens":2}"#
            let response = try await client.post("/v1/responses", body).decode(ResponsesObject.self)
            let expected = Tokenizer.count(messages: [("system", "Answer like a pirate."), ("user", "hello")])
            #expect(response.usage?.inputTokens == expected)
            #expect(expected > Tokenizer.count(messages: Self.hello))
            #expect(response.instructions == "Answer like a pirate.")
        }
    }

    @Test func aStreamSendsOllamasEventsInOrderNumberedFromZero() async throws {
        try await withSimulator { client, _ in
            let body = #"{"model":"qwen2.5:0.5b","input":"hello","max_output_tokens":5,"stream":true}"#
            let result = try await client.post("/v1/responses", body)
            #expect(result.status == 200)
            #expect(result.contentType == "text/event-stream")
            let frames = try result.namedFrames()
            let names = frames.map(\.name)
            let expected: [String] =
                ["response.created", "response.in_progress", "response.output_item.added", "response.content_part.added"]
                + Array(repeating: "response.output_text.delta", count: 5)
                + ["response.output_text.done", "response.content_part.done", "response.output_item.done", "response.completed"]
            #expect(names == expected)
            #expect(frames.map(\.type) == names)
            #expect(frames.map { $0.data["sequence_number"]?.intValue } == Array(0..<expected.count))
            #expect(!result.text.contains("[DONE]"))
            let deltas = frames.filter { $0.name == "response.output_text.delta" }
            let streamed = deltas.compactMap { $0.data["delta"]?.stringValue }.joined()
            let messageID = try #require(frames[2].data["item"]?.objectValue?["id"]?.stringValue)
            #expect(deltas.allSatisfy { $0.data["item_id"]?.stringValue == messageID && $0.data["output_index"] == 0 })
            #expect(frames[9].data["text"]?.stringValue == streamed)
            let completed = try OllamaJSON.decode(ResponsesStreamEvent.self, from: JSONEncoder().encode(frames.last?.data ?? [:]))
            let response = try #require(completed.response)
            #expect(response.status == "completed")
            #expect(response.outputText == streamed)
            #expect(response.output.first?.id == messageID)
            #expect(response.usage == ResponsesUsage(inputTokens: Tokenizer.count(messages: Self.hello), outputTokens: 5))
            #expect(frames[0].data["response"]?.objectValue?["status"] == "in_progress")
            #expect(frames[0].data["response"]?.objectValue?["id"]?.stringValue == response.id)
            // The same prompt gives the same answer whole.
            let whole = try await client.post("/v1/responses", body.replacingOccurrences(of: #""stream":true"#, with: #""stream":false"#))
            #expect(try whole.decode(ResponsesObject.self).outputText == streamed)
        }
    }

    @Test func aThinkingModelOpensAReasoningItemBeforeTheMessage() async throws {
        try await withSimulator { client, _ in
            let body = #"{"model":"qwen3:4b","input":"hello","reasoning":{"effort":"high"},"stream":true}"#
            let frames = try await client.post("/v1/responses", body).namedFrames()
            let names = frames.map { $0.name ?? "" }
            let thinking = names.filter { $0 == "response.reasoning_summary_text.delta" }.count
            #expect(thinking >= 4)
            let reasoningEnd = 3 + thinking
            #expect(names[2] == "response.output_item.added" && frames[2].data["item"]?.objectValue?["type"] == "reasoning")
            #expect(names[3..<reasoningEnd].allSatisfy { $0 == "response.reasoning_summary_text.delta" })
            #expect(names[reasoningEnd] == "response.reasoning_summary_text.done")
            #expect(names[reasoningEnd + 1] == "response.output_item.done")
            #expect(names[reasoningEnd + 2] == "response.output_item.added")
            #expect(frames[reasoningEnd + 2].data["output_index"] == 1)
            #expect(frames[reasoningEnd + 2].data["item"]?.objectValue?["type"] == "message")
            let summary = frames[3..<reasoningEnd].compactMap { $0.data["delta"]?.stringValue }.joined()
            #expect(frames[reasoningEnd].data["text"]?.stringValue == summary)
            let response = try #require(frames.last?.data["response"]?.objectValue)
            let types = response["output"]?.arrayValue?.compactMap { $0.objectValue?["type"]?.stringValue }
            #expect(types == ["reasoning", "message"])
            #expect(response["reasoning"] == .object(["effort": "high"]))

            let whole = try await client.post("/v1/responses", #"{"model":"qwen3:4b","input":"hello"}"#).decode(ResponsesObject.self)
            #expect(whole.output.map(\.type) == ["reasoning", "message"])
            #expect(whole.output[0].id == "rs_\(whole.id)")
            #expect(whole.output[0].summary?.first?.text == whole.output[0].encryptedContent)
            let none = try await client.post("/v1/responses", #"{"model":"qwen3:4b","input":"hello","reasoning":{"effort":"none"}}"#)
                .decode(ResponsesObject.self)
            #expect(none.output.map(\.type) == ["message"])
        }
    }

    static let weatherTool =
        #"{"type":"function","name":"get_weather","description":"Weather","#
        + #""parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}"#

    @Test func toolsBecomeFunctionCallItemsAndTheCallsOutputIsAnswered() async throws {
        try await withSimulator { client, _ in
            let ask = #"{"model":"llama3.2","input":"weather?","tools":[\#(Self.weatherTool)]}"#
            let response = try await client.post("/v1/responses", ask).decode(ResponsesObject.self)
            #expect(response.output.count == 1)
            let call = response.output[0]
            #expect(call.type == "function_call" && call.status == "completed" && call.name == "get_weather")
            #expect(call.id == "\(response.id.replacingOccurrences(of: "resp_", with: "fc_resp_"))_0")
            let callID = try #require(call.callID)
            #expect(callID.hasPrefix("call_") && callID.count == 13)
            let arguments = try JSONDecoder().decode(JSONObject.self, from: Data((call.arguments ?? "").utf8))
            #expect(arguments["city"]?.stringValue != nil)
            #expect(response.tools.map(\.name) == ["get_weather"])

            let frames = try await client.post("/v1/responses", ask.replacingOccurrences(of: "\"input\"", with: "\"stream\":true,\"input\""))
                .namedFrames()
            #expect(
                frames.map(\.name) == [
                    "response.created", "response.in_progress", "response.output_item.added", "response.function_call_arguments.delta",
                    "response.function_call_arguments.done", "response.output_item.done", "response.completed",
                ]
            )
            let added = try #require(frames[2].data["item"]?.objectValue)
            #expect(added["status"] == "in_progress" && added["arguments"] == "" && added["name"] == "get_weather")
            let streamedArguments = try #require(frames[3].data["delta"]?.stringValue)
            #expect(frames[4].data["arguments"]?.stringValue == streamedArguments)
            #expect(frames[5].data["item"]?.objectValue?["arguments"]?.stringValue == streamedArguments)

            let answer = #"""
                {"model":"llama3.2","tools":[\#(Self.weatherTool)],"input":[{"role":"user","content":"weather?"},
                 {"type":"function_call","call_id":"\#(callID)","name":"get_weather","arguments":"{\"city\":\"Paris\"}"},
                 {"type":"function_call_output","call_id":"\#(callID)","output":"sunny"}]}
                """#
            let answered = try await client.post("/v1/responses", answer).decode(ResponsesObject.self)
            #expect(answered.output.map(\.type) == ["message"])
            #expect(!answered.outputText.isEmpty)
            // The call joins an assistant message, its output is a tool message; the tools count too.
            let messages = [("user", "weather?"), ("assistant", ""), ("tool", "sunny")]
            let schema = try JSONDecoder().decode(JSONObject.self, from: Data(Self.weatherTool.utf8))["parameters"]
            let tool = Tool(function: .init(name: "get_weather", description: "Weather", parameters: schema))
            let toolTokens = Tokenizer.count(String(decoding: try OllamaJSON.encode([tool]), as: UTF8.self))
            #expect(answered.usage?.inputTokens == Tokenizer.count(messages: messages) + toolTokens)
        }
    }

    @Test func anEmptyInputLoadsTheModelAndAnswersAnEmptyMessage() async throws {
        try await withSimulator { client, simulator in
            let whole = try await client.post("/v1/responses", #"{"model":"qwen2.5:0.5b"}"#).decode(ResponsesObject.self)
            #expect(whole.outputText.isEmpty)
            #expect(whole.output.map(\.type) == ["message"])
            #expect(whole.usage == ResponsesUsage(inputTokens: 0, outputTokens: 0))
            #expect(await simulator.scheduler.residents().map(\.model.name) == ["qwen2.5:0.5b"])
            let frames = try await client.post("/v1/responses", #"{"model":"qwen2.5:0.5b","input":"","stream":true}"#).namedFrames()
            #expect(frames.map(\.name) == ["response.created", "response.in_progress", "response.completed"])
            #expect(frames.last?.data["response"]?.objectValue?["output"] == .array([]))
        }
    }
}
