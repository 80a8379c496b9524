import Foundation
import NodeSimulator
import OllamaAPI
import TestHTTP
import Testing

/// The OpenAI-compatible endpoints over real HTTP.
@Suite(.timeLimit(.minutes(3)))
struct OpenAIEndpointTests {
    @Test func chatCompletionWhole() async throws {
        try await withSimulator { client, _ in
            let result = try await client.post(
                "/v1/chat/completions",
                #"{"model":"qwen2.5:0.5b","max_tokens":7,"seed":3,"messages":[{"role":"user","content":"hello"}]}"#
            )
            #expect(result.status == 200)
            let completion = try result.decode(ChatCompletion.self)
            #expect(completion.object == "chat.completion")
            #expect(completion.id.hasPrefix("chatcmpl-"))
            #expect(completion.systemFingerprint == "fp_ollama")
            #expect(completion.choices.count == 1)
            #expect(completion.choices[0].finishReason == "length")
            #expect(completion.choices[0].message.role == "assistant")
            #expect(completion.usage?.completionTokens == 7)
            #expect(completion.usage?.promptTokens == Tokenizer.count(messages: [("user", "hello")]))
            #expect(completion.usage?.totalTokens == 7 + Tokenizer.count(messages: [("user", "hello")]))
        }
    }

    @Test func chatCompletionStreamEndsWithUsageAndDone() async throws {
        try await withSimulator { client, _ in
            let body =
                #"{"model":"qwen2.5:0.5b","max_tokens":5,"seed":3,"stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"hello"}]}"#
            let result = try await client.post("/v1/chat/completions", body)
            #expect(result.contentType == "text/event-stream")
            let events = try result.events()
            #expect(events.last == "[DONE]")
            let chunks = try events.dropLast().map { try OllamaJSON.decode(ChatCompletionChunk.self, from: Data($0.utf8)) }
            #expect(chunks.count == 7)
            #expect(chunks.allSatisfy { $0.object == "chat.completion.chunk" && $0.id == chunks[0].id })
            #expect(chunks[0..<5].allSatisfy { $0.choices.first?.finishReason == nil })
            #expect(chunks[5].choices.first?.finishReason == "length")
            #expect(chunks[6].choices.isEmpty)
            #expect(chunks[6].usage?.completionTokens == 5)
            let streamedText = chunks.compactMap { $0.choices.first?.delta.content }.joined()
            let whole = try await client.post("/v1/chat/completions", body.replacingOccurrences(of: #""stream":true"#, with: #""stream":false"#))
                .decode(ChatCompletion.self)
            #expect(whole.choices[0].message.content?.text == streamedText)
            let withoutUsage = try await client.post(
                "/v1/chat/completions",
                body.replacingOccurrences(of: #""include_usage":true"#, with: #""include_usage":false"#)
            ).events()
            #expect(withoutUsage.count == 7)
        }
    }

    @Test func chatCompletionToolCallsCarryJSONArguments() async throws {
        try await withSimulator { client, _ in
            let completion = try await client.post(
                "/v1/chat/completions",
                #"{"model":"llama3.2","messages":[{"role":"user","content":"weather?"}],"tools":[{"type":"function","function":{"name":"lookup","parameters":{"type":"object","properties":{"q":{"type":"string"}}}}}]}"#
            ).decode(ChatCompletion.self)
            #expect(completion.choices[0].finishReason == "tool_calls")
            let call = try #require(completion.choices[0].message.toolCalls?.first)
            #expect(call.type == "function")
            #expect(call.function.name == "lookup")
            let arguments = try JSONDecoder().decode(JSONObject.self, from: Data((call.function.arguments ?? "").utf8))
            #expect(arguments["q"]?.stringValue != nil)
        }
    }

    @Test func completionsWholeAndStreamed() async throws {
        try await withSimulator { client, _ in
            let whole = try await client.post(
                "/v1/completions",
                #"{"model":"qwen2.5:0.5b","prompt":"Say this is a test","max_tokens":4,"seed":9}"#
            ).decode(Completion.self)
            #expect(whole.object == "text_completion")
            #expect(whole.id.hasPrefix("cmpl-"))
            #expect(whole.choices[0].finishReason == "length")
            #expect(whole.usage?.completionTokens == 4)
            let events = try await client.post(
                "/v1/completions",
                #"{"model":"qwen2.5:0.5b","prompt":"Say this is a test","max_tokens":4,"seed":9,"stream":true}"#
            ).events()
            #expect(events.last == "[DONE]")
            let chunks = try events.dropLast().map { try OllamaJSON.decode(Completion.self, from: Data($0.utf8)) }
            #expect(chunks.map { $0.choices.first?.text ?? "" }.joined() == whole.choices[0].text)
        }
    }

    @Test func embeddingsAsFloatsAndBase64() async throws {
        try await withSimulator { client, _ in
            let floats = try await client.post("/v1/embeddings", #"{"model":"nomic-embed-text","input":["a","b"]}"#)
                .decode(OpenAIEmbeddingList.self)
            #expect(floats.object == "list")
            #expect(floats.data.map(\.index) == [0, 1])
            let values = floats.data[0].embedding.arrayValue?.compactMap { $0.doubleValue }
            let first = try #require(values)
            #expect(first.count == 768)
            let base64 = try await client.post(
                "/v1/embeddings",
                #"{"model":"nomic-embed-text","input":"a","encoding_format":"base64"}"#
            ).decode(OpenAIEmbeddingList.self)
            let encoded = try #require(base64.data[0].embedding.stringValue)
            let bytes = try #require(Data(base64Encoded: encoded))
            #expect(bytes.count == 768 * 4)
            let decoded = stride(from: 0, to: bytes.count, by: 4).map { offset in
                Float(bitPattern: bytes[offset..<offset + 4].enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (8 * $1.offset) })
            }
            #expect(zip(decoded, first).allSatisfy { abs(Double($0) - $1) < 1e-6 })
            let bad = try await client.post("/v1/embeddings", #"{"model":"nomic-embed-text","input":"a","encoding_format":"hex"}"#)
            #expect(bad.status == 400)
        }
    }

    @Test func modelsListAndRetrieve() async throws {
        try await withSimulator { client, _ in
            let list = try await client.get("/v1/models").decode(OpenAIModelList.self)
            #expect(Set(list.data.map(\.id)) == Set(SimulatedModel.defaults.map(\.name)))
            #expect(list.data.allSatisfy { $0.ownedBy == "library" && $0.object == "model" && $0.created > 1_700_000_000 })
            let one = try await client.get("/v1/models/qwen2.5:0.5b").decode(OpenAIModel.self)
            #expect(one.id == "qwen2.5:0.5b")
            let missing = try await client.get("/v1/models/ghost")
            #expect(missing.status == 404)
            #expect(try missing.decode(OpenAIErrorResponse.self).error.type == "not_found_error")
        }
    }

    @Test func openAIErrorsUseTheOpenAIShape() async throws {
        try await withSimulator { client, _ in
            let unknown = try await client.post("/v1/chat/completions", #"{"model":"ghost","messages":[{"role":"user","content":"x"}]}"#)
            #expect(unknown.status == 404)
            let body = try unknown.decode(OpenAIErrorResponse.self)
            #expect(body.error.message == "model 'ghost' not found")
            #expect(body.error.type == "not_found_error")
            let malformed = try await client.post("/v1/chat/completions", "{")
            #expect(malformed.status == 400)
            #expect(try malformed.decode(OpenAIErrorResponse.self).error.type == "invalid_request_error")
            let noMessages = try await client.post("/v1/chat/completions", #"{"model":"llama3.2","messages":[]}"#)
            #expect(noMessages.status == 400)
        }
    }
}
