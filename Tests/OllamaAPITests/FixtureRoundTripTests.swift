import Foundation
import OllamaAPI
import Testing

/// Every wire type decodes its documented JSON and encodes it back to the same JSON.
struct FixtureRoundTripTests {
    static func fixture(_ name: String) throws -> Data {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures"))
        return try Data(contentsOf: url)
    }

    /// Parses JSON into a value tree, dropping `null` members (absent and null mean the same to
    /// Go's decoder, and our encoder omits absent optionals).
    static func tree(_ data: Data) throws -> JSONValue {
        func strip(_ value: JSONValue) -> JSONValue {
            switch value {
            case .object(let object): .object(object.filter { $0.value != .null }.mapValues(strip))
            case .array(let array): .array(array.map(strip))
            case .double(let number) where number == number.rounded() && abs(number) < 1e15: .int(Int64(number))
            default: value
            }
        }
        return strip(try JSONDecoder().decode(JSONValue.self, from: data))
    }

    func roundTrip<T: Codable>(_ type: T.Type, _ name: String) throws {
        let original = try Self.fixture(name)
        let decoded = try OllamaJSON.decode(T.self, from: original)
        let encoded = try OllamaJSON.encode(decoded)
        #expect(try Self.tree(encoded) == Self.tree(original), "\(name) changed in a round trip")
    }

    @Test func ollamaRequestsRoundTrip() throws {
        try roundTrip(GenerateRequest.self, "generate_request")
        try roundTrip(ChatRequest.self, "chat_request")
        try roundTrip(EmbedRequest.self, "embed_request")
        try roundTrip(EmbeddingsRequest.self, "embeddings_request")
        try roundTrip(CreateRequest.self, "create_request")
        try roundTrip(CopyRequest.self, "copy_request")
        try roundTrip(DeleteRequest.self, "delete_request")
    }

    @Test func ollamaResponsesRoundTrip() throws {
        try roundTrip(GenerateResponse.self, "generate_chunk")
        try roundTrip(GenerateResponse.self, "generate_final")
        try roundTrip(ChatResponse.self, "chat_final")
        try roundTrip(ChatResponse.self, "chat_tool_call")
        try roundTrip(EmbedResponse.self, "embed_response")
        try roundTrip(EmbeddingsResponse.self, "embeddings_response")
        try roundTrip(ListResponse.self, "tags")
        try roundTrip(ProcessResponse.self, "ps")
        try roundTrip(ShowResponse.self, "show_response")
        try roundTrip(ProgressResponse.self, "pull_progress")
        try roundTrip(VersionResponse.self, "version")
        try roundTrip(ErrorResponse.self, "error")
    }

    @Test func openAITypesRoundTrip() throws {
        try roundTrip(ChatCompletionRequest.self, "chat_completion_request")
        try roundTrip(ChatCompletion.self, "chat_completion")
        try roundTrip(ChatCompletionChunk.self, "chat_completion_chunk")
        try roundTrip(ChatCompletionChunk.self, "chat_completion_usage_chunk")
        try roundTrip(CompletionRequest.self, "completion_request")
        try roundTrip(Completion.self, "completion")
        try roundTrip(OpenAIEmbeddingRequest.self, "openai_embedding_request")
        try roundTrip(OpenAIEmbeddingList.self, "openai_embeddings")
        try roundTrip(OpenAIModelList.self, "openai_models")
        try roundTrip(OpenAIErrorResponse.self, "openai_error")
    }

    @Test func finalChunkStatisticsDecodeAsNanoseconds() throws {
        let final = try OllamaJSON.decode(GenerateResponse.self, from: Self.fixture("generate_final"))
        let metrics = try #require(final.metrics)
        #expect(metrics.evalCount == 259)
        #expect(metrics.evalDuration == 4_232_710_000)
        #expect(metrics.totalDuration == 10_706_818_083)
        #expect(final.doneReason == "stop")
        let speed = try #require(metrics.tokensPerSecond)
        #expect(abs(speed - 259 / 4.23271) < 1e-9)
        let chunk = try OllamaJSON.decode(GenerateResponse.self, from: Self.fixture("generate_chunk"))
        #expect(chunk.metrics == nil)
    }

    @Test func fieldsWithTwoShapesDecodeToTheRightCase() throws {
        let generate = try OllamaJSON.decode(GenerateRequest.self, from: Self.fixture("generate_request"))
        #expect(generate.think == .level("high"))
        #expect(generate.keepAlive?.seconds == 600)
        guard case .schema(let schema)? = generate.format else {
            Issue.record("format should be a schema")
            return
        }
        #expect(schema["required"] == ["age"])
        let chat = try OllamaJSON.decode(ChatRequest.self, from: Self.fixture("chat_request"))
        #expect(chat.think == .enabled(true))
        #expect(chat.format == .json)
        #expect(chat.keepAlive?.seconds == 300)
        #expect(chat.messages?[2].toolCalls?.first?.function.arguments["city"] == "Toronto")
        let embed = try OllamaJSON.decode(EmbedRequest.self, from: Self.fixture("embed_request"))
        #expect(embed.input?.texts == ["Why is the sky blue?", "Why is the grass green?"])
        #expect(embed.keepAlive?.seconds == -1)
        let openAI = try OllamaJSON.decode(ChatCompletionRequest.self, from: Self.fixture("chat_completion_request"))
        #expect(openAI.messages[1].content?.text == "What is in this image?")
        #expect(openAI.messages[2].content == nil)
        #expect(openAI.streamOptions?.includeUsage == true)
    }

    @Test func unknownRequestFieldsSurviveARoundTrip() throws {
        let body = #"{"model":"m","prompt":"p","future_flag":true,"nested_future":{"a":[1,2,{"b":null}]},"num":1.5}"#
        let request = try OllamaJSON.decode(GenerateRequest.self, from: Data(body.utf8))
        #expect(request.extra["future_flag"] == true)
        #expect(request.extra["num"] == .double(1.5))
        #expect(request.extra.count == 3)
        let again = try JSONDecoder().decode(JSONValue.self, from: OllamaJSON.encode(request))
        #expect(again == (try JSONDecoder().decode(JSONValue.self, from: Data(body.utf8))))
    }

    @Test func unknownFieldsAreKeptForEveryRequestType() throws {
        func keeps<T: PreservesUnknownFields>(_ type: T.Type, _ body: String) throws {
            let value = try OllamaJSON.decode(T.self, from: Data(body.utf8))
            #expect(value.extra["x_new"] == "kept", "\(T.self) dropped an unknown field")
            let encoded = try JSONDecoder().decode(JSONObject.self, from: OllamaJSON.encode(value))
            #expect(encoded["x_new"] == "kept")
        }
        try keeps(ChatRequest.self, #"{"model":"m","messages":[],"x_new":"kept"}"#)
        try keeps(EmbedRequest.self, #"{"model":"m","input":"a","x_new":"kept"}"#)
        try keeps(EmbeddingsRequest.self, #"{"model":"m","x_new":"kept"}"#)
        try keeps(ShowRequest.self, #"{"model":"m","x_new":"kept"}"#)
        try keeps(PullRequest.self, #"{"model":"m","x_new":"kept"}"#)
        try keeps(PushRequest.self, #"{"model":"m","x_new":"kept"}"#)
        try keeps(CreateRequest.self, #"{"model":"m","x_new":"kept"}"#)
        try keeps(CopyRequest.self, #"{"source":"a","destination":"b","x_new":"kept"}"#)
        try keeps(DeleteRequest.self, #"{"model":"m","x_new":"kept"}"#)
        try keeps(ChatCompletionRequest.self, #"{"model":"m","messages":[],"x_new":"kept"}"#)
        try keeps(CompletionRequest.self, #"{"model":"m","prompt":"p","x_new":"kept"}"#)
        try keeps(OpenAIEmbeddingRequest.self, #"{"model":"m","input":["a"],"x_new":"kept"}"#)
    }

    @Test func openAIChunksWriteAnExplicitNullFinishReason() throws {
        let chunk = ChatCompletionChunk(
            id: "c",
            created: 1,
            model: "m",
            choices: [.init(index: 0, delta: OpenAIMessageDelta(role: "assistant", content: "x"), finishReason: nil)]
        )
        let text = String(decoding: try OllamaJSON.encode(chunk), as: UTF8.self)
        #expect(text.contains(#""finish_reason":null"#))
        let error = OpenAIErrorResponse(status: 404, message: "gone")
        #expect(
            String(decoding: try OllamaJSON.encode(error), as: UTF8.self)
                == #"{"error":{"code":null,"message":"gone","param":null,"type":"not_found_error"}}"#
        )
        #expect(OpenAIErrorResponse(status: 400, message: "").error.type == "invalid_request_error")
        #expect(OpenAIErrorResponse(status: 503, message: "").error.type == "api_error")
    }
}
