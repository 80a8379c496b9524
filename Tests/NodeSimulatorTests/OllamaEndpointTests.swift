import Foundation
import NIOHTTP1
import NodeSimulator
import OllamaAPI
import TestHTTP
import Testing

/// The Ollama-native endpoints over real HTTP: shapes, content types, statistics.
@Suite(.timeLimit(.minutes(3)))
struct OllamaEndpointTests {
    @Test func rootAndVersionAnswerLikeOllama() async throws {
        try await withSimulator { client, _ in
            let root = try await client.get("/")
            #expect(root.status == 200)
            #expect(root.text == "Ollama is running")
            #expect(root.contentType == "text/plain; charset=utf-8")
            let head = try await client.send(.HEAD, "/")
            #expect(head.status == 200)
            #expect(head.body.isEmpty)
            let version = try await client.get("/api/version")
            #expect(version.contentType == "application/json; charset=utf-8")
            #expect(try version.decode(VersionResponse.self).version == "0.32.15")
            #expect(try await client.send(.HEAD, "/api/version").status == 200)
            let missing = try await client.get("/api/nothing")
            #expect(missing.status == 404)
            #expect(missing.text == "404 page not found")
        }
    }

    @Test func streamingGenerateSendsTokensThenFinalStatistics() async throws {
        try await withSimulator { client, _ in
            let result = try await client.post(
                "/api/generate",
                #"{"model":"qwen2.5:0.5b","prompt":"Why is the sky blue?","options":{"num_predict":12}}"#
            )
            #expect(result.status == 200)
            #expect(result.contentType == "application/x-ndjson")
            let lines = try result.lines()
            #expect(lines.count == 13)
            for chunk in lines.dropLast() {
                #expect(chunk["done"] == false)
                #expect(chunk["model"] == "qwen2.5:0.5b")
                #expect(chunk["response"]?.stringValue?.isEmpty == false)
                #expect(chunk["created_at"]?.stringValue?.hasSuffix("Z") == true)
            }
            let final = try #require(lines.last)
            #expect(final["done"] == true)
            #expect(final["done_reason"] == "length")
            #expect(final["eval_count"] == 12)
            #expect(final["prompt_eval_count"] == .int(Int64(Tokenizer.count(messages: [("user", "Why is the sky blue?")]))))
            // 12 tokens at 2000 tokens/s with no jitter: exactly 6 ms of generation.
            #expect(final["eval_duration"] == 6_000_000)
            let total = try #require(final["total_duration"]?.intValue)
            let parts = [final["load_duration"], final["prompt_eval_duration"], final["eval_duration"]].compactMap { $0?.intValue }
            #expect(parts.count == 3)
            #expect(total >= parts.reduce(0, +))
            #expect(final["context"]?.arrayValue?.count == 12 + Tokenizer.count(messages: [("user", "Why is the sky blue?")]))
        }
    }

    @Test func nonStreamingGenerateEqualsTheJoinedStream() async throws {
        try await withSimulator { client, _ in
            let body = #"{"model":"qwen2.5:0.5b","prompt":"hello","options":{"seed":7,"num_predict":9}}"#
            let streamed = try await client.post("/api/generate", body).lines()
            let joined = streamed.compactMap { $0["response"]?.stringValue }.joined()
            let whole = try await client.post("/api/generate", String(body.dropLast()) + #","stream":false}"#)
            #expect(whole.contentType == "application/json; charset=utf-8")
            let object = try whole.json()
            #expect(object["response"]?.stringValue == joined)
            #expect(object["done"] == true)
            #expect(object["eval_count"] == 9)
        }
    }

    @Test func generateEndsWithStopWhenTheAnswerIsShorterThanTheLimit() async throws {
        try await withSimulator { client, _ in
            let object = try await client.post(
                "/api/generate",
                #"{"model":"qwen2.5:0.5b","prompt":"hi","stream":false,"options":{"num_predict":1000}}"#
            ).json()
            #expect(object["done_reason"] == "stop")
            let count = try #require(object["eval_count"]?.intValue)
            #expect((40...60).contains(count))
        }
    }

    @Test func chatStreamsAssistantMessages() async throws {
        try await withSimulator { client, _ in
            let lines = try await client.post(
                "/api/chat",
                #"{"model":"llama3.2","messages":[{"role":"user","content":"Hi there"}],"options":{"num_predict":5}}"#
            ).lines()
            #expect(lines.count == 6)
            for chunk in lines.dropLast() {
                #expect(chunk["message"]?.objectValue?["role"] == "assistant")
                #expect(chunk["message"]?.objectValue?["content"]?.stringValue?.isEmpty == false)
            }
            let final = try #require(lines.last)
            #expect(final["done"] == true)
            #expect(final["message"]?.objectValue?["content"] == "")
            #expect(final["eval_count"] == 5)
            #expect(final["prompt_eval_count"] == .int(Int64(Tokenizer.count(messages: [("user", "Hi there")]))))
        }
    }

    @Test func chatWithToolsReturnsAToolCallThenAnswersTheToolResult() async throws {
        try await withSimulator { client, _ in
            let tools =
                #"[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"},"days":{"type":"integer"}}}}}]"#
            let call = try await client.post(
                "/api/chat",
                #"{"model":"llama3.2","stream":false,"tools":"# + tools
                    + #","messages":[{"role":"user","content":"Weather in Paris?"}]}"#
            ).decode(ChatResponse.self)
            let toolCall = try #require(call.message.toolCalls?.first)
            #expect(toolCall.function.name == "get_weather")
            #expect(toolCall.function.arguments["city"]?.stringValue != nil)
            #expect(toolCall.function.arguments["days"]?.intValue != nil)
            #expect(call.message.content == "")
            let answer = try await client.post(
                "/api/chat",
                #"{"model":"llama3.2","stream":false,"tools":"# + tools
                    + #","messages":[{"role":"user","content":"Weather?"},{"role":"tool","content":"11 C","tool_name":"get_weather"}]}"#
            ).decode(ChatResponse.self)
            #expect(answer.message.toolCalls == nil)
            #expect(!answer.message.content.isEmpty)
            let refused = try await client.post(
                "/api/chat",
                #"{"model":"nomic-embed-text","tools":"# + tools + #","messages":[{"role":"user","content":"x"}]}"#
            )
            #expect(refused.status == 400)
        }
    }

    @Test func thinkingModelsThinkAndOthersRefuse() async throws {
        try await withSimulator { client, _ in
            let thought = try await client.post(
                "/api/chat",
                #"{"model":"qwen3:4b","stream":false,"think":true,"messages":[{"role":"user","content":"Why?"}]}"#
            ).decode(ChatResponse.self)
            #expect(thought.message.thinking?.isEmpty == false)
            #expect(!thought.message.content.isEmpty)
            let silent = try await client.post(
                "/api/chat",
                #"{"model":"qwen3:4b","stream":false,"think":false,"messages":[{"role":"user","content":"Why?"}]}"#
            ).decode(ChatResponse.self)
            #expect(silent.message.thinking == nil)
            let refused = try await client.post(
                "/api/generate",
                #"{"model":"llama3.2","prompt":"x","think":true}"#
            )
            #expect(refused.status == 400)
            #expect(try refused.json()["error"] == "\"llama3.2\" does not support thinking")
        }
    }

    @Test func formatJSONAndSchemasProduceValidJSON() async throws {
        try await withSimulator { client, _ in
            let json = try await client.post(
                "/api/generate",
                #"{"model":"llama3.2","prompt":"json please","format":"json","stream":false}"#
            ).json()
            let text = try #require(json["response"]?.stringValue)
            #expect(throws: Never.self) { try JSONDecoder().decode(JSONObject.self, from: Data(text.utf8)) }
            let schema = try await client.post(
                "/api/chat",
                #"{"model":"llama3.2","stream":false,"format":{"type":"object","properties":{"age":{"type":"integer"},"name":{"type":"string"}}},"messages":[{"role":"user","content":"x"}]}"#
            ).decode(ChatResponse.self)
            let object = try JSONDecoder().decode(JSONObject.self, from: Data(schema.message.content.utf8))
            #expect(object["age"]?.intValue != nil)
            #expect(object["name"]?.stringValue != nil)
        }
    }

    @Test func embedReturnsDeterministicUnitVectors() async throws {
        try await withSimulator { client, _ in
            let single = try await client.post("/api/embed", #"{"model":"nomic-embed-text","input":"hello"}"#)
                .decode(EmbedResponse.self)
            #expect(single.embeddings.count == 1)
            #expect(single.embeddings[0].count == 768)
            let norm = single.embeddings[0].reduce(0) { $0 + Double($1) * Double($1) }.squareRoot()
            #expect(abs(norm - 1) < 1e-5)
            #expect(single.promptEvalCount == Tokenizer.count("hello"))
            let batch = try await client.post(
                "/api/embed",
                #"{"model":"nomic-embed-text","input":["hello","world"],"dimensions":64}"#
            ).decode(EmbedResponse.self)
            #expect(batch.embeddings.count == 2)
            #expect(batch.embeddings.allSatisfy { $0.count == 64 })
            #expect(batch.embeddings[0] != batch.embeddings[1])
            let again = try await client.post("/api/embed", #"{"model":"nomic-embed-text","input":["hello"]}"#)
                .decode(EmbedResponse.self)
            #expect(again.embeddings[0] == single.embeddings[0])
            let legacy = try await client.post("/api/embeddings", #"{"model":"nomic-embed-text","prompt":"hello"}"#)
                .decode(EmbeddingsResponse.self)
            #expect(legacy.embedding.count == 768)
            #expect(zip(legacy.embedding, single.embeddings[0]).allSatisfy { abs($0 - Double($1)) < 1e-6 })
            let badInput = try await client.post("/api/embed", #"{"model":"nomic-embed-text","input":[1,2]}"#)
            #expect(badInput.status == 400)
            #expect(try badInput.json()["error"] == "invalid input type")
        }
    }

    @Test func tagsShowAndPsDescribeModels() async throws {
        try await withSimulator { client, _ in
            let tags = try await client.get("/api/tags").decode(ListResponse.self)
            #expect(Set(tags.models.map(\.name)) == Set(SimulatedModel.defaults.map(\.name)))
            #expect(tags.models.allSatisfy { $0.digest.count == 64 && $0.details.format == "gguf" })
            let show = try await client.post("/api/show", #"{"model":"qwen3:4b"}"#).decode(ShowResponse.self)
            #expect(show.capabilities == ["completion", "tools", "thinking"])
            #expect(show.details.family == "qwen3")
            #expect(show.modelInfo["qwen3.context_length"] == 40960)
            #expect(show.modelInfo["general.architecture"] == "qwen3")
            let missing = try await client.post("/api/show", #"{"model":"ghost"}"#)
            #expect(missing.status == 404)
            #expect(try missing.json()["error"] == "model 'ghost' not found")
            #expect(try await client.post("/api/show", "{}").status == 400)
        }
    }

    @Test func loadAndUnloadAreVisibleInPs() async throws {
        try await withSimulator { client, _ in
            #expect(try await client.get("/api/ps").decode(ProcessResponse.self).models.isEmpty)
            let load = try await client.post("/api/generate", #"{"model":"llama3.2"}"#).json()
            #expect(load["done_reason"] == "load")
            #expect(load["done"] == true)
            let loaded = try await client.get("/api/ps").decode(ProcessResponse.self).models
            #expect(loaded.map(\.name) == ["llama3.2:latest"])
            let expires = try #require(ISO8601DateFormatter.withFraction.date(from: loaded[0].expiresAt))
            // Default keep-alive is 5 minutes from the end of the request.
            #expect(expires.timeIntervalSinceNow > 240 && expires.timeIntervalSinceNow <= 301)
            _ = try await client.post("/api/chat", #"{"model":"qwen2.5:0.5b","messages":[],"keep_alive":"1h"}"#)
            let both = try await client.get("/api/ps").decode(ProcessResponse.self).models
            #expect(both.map(\.name) == ["qwen2.5:0.5b", "llama3.2:latest"])
            let unload = try await client.post("/api/generate", #"{"model":"llama3.2","keep_alive":0}"#).json()
            #expect(unload["done_reason"] == "unload")
            #expect(try await client.get("/api/ps").decode(ProcessResponse.self).models.map(\.name) == ["qwen2.5:0.5b"])
            _ = try await client.post("/api/chat", #"{"model":"qwen2.5:0.5b","messages":[],"keep_alive":0}"#)
            #expect(try await client.get("/api/ps").decode(ProcessResponse.self).models.isEmpty)
        }
    }

    @Test func keepAliveZeroUnloadsAfterTheRequest() async throws {
        try await withSimulator { client, _ in
            _ = try await client.post(
                "/api/generate",
                #"{"model":"qwen2.5:0.5b","prompt":"x","keep_alive":0,"options":{"num_predict":2}}"#
            )
            #expect(try await client.get("/api/ps").decode(ProcessResponse.self).models.isEmpty)
            _ = try await client.post(
                "/api/generate",
                #"{"model":"qwen2.5:0.5b","prompt":"x","keep_alive":-1,"options":{"num_predict":2}}"#
            )
            let forever = try await client.get("/api/ps").decode(ProcessResponse.self).models
            #expect(forever.first?.expiresAt.hasPrefix("2") == true)
            let expires = try #require(ISO8601DateFormatter.withFraction.date(from: forever[0].expiresAt))
            #expect(expires.timeIntervalSinceNow > 100 * 365 * 86400)
        }
    }

    @Test func modelManagementChangesTheModelList() async throws {
        try await withSimulator { client, _ in
            let pull = try await client.post("/api/pull", #"{"model":"mistral:7b"}"#)
            #expect(pull.contentType == "application/x-ndjson")
            let statuses = try pull.lines().compactMap { $0["status"]?.stringValue }
            #expect(statuses.first == "pulling manifest")
            #expect(statuses.last == "success")
            #expect(statuses.contains("verifying sha256 digest"))
            let progress = try pull.lines().filter { $0["total"] != nil }
            #expect(progress.last?["completed"] == progress.last?["total"])
            var names = try await client.get("/api/tags").decode(ListResponse.self).models.map(\.name)
            #expect(names.contains("mistral:7b"))
            let failed = try await client.post("/api/pull", #"{"model":"nonexistent:1b"}"#).lines()
            #expect(failed.last?["error"] == "pull model manifest: file does not exist")
            let whole = try await client.post("/api/pull", #"{"model":"phi3:mini","stream":false}"#)
            #expect(try whole.json()["status"] == "success")
            let copy = try await client.post("/api/copy", #"{"source":"llama3.2","destination":"llama-backup"}"#)
            #expect(copy.status == 200)
            #expect(copy.body.isEmpty)
            #expect(try await client.post("/api/copy", #"{"source":"ghost","destination":"x"}"#).status == 404)
            let delete = try await client.send(.DELETE, "/api/delete", #"{"model":"llama-backup"}"#)
            #expect(delete.status == 200)
            let again = try await client.send(.DELETE, "/api/delete", #"{"model":"llama-backup"}"#)
            #expect(again.status == 404)
            #expect(try again.json()["error"] == "model 'llama-backup' not found")
            let created = try await client.post(
                "/api/create",
                #"{"model":"mario","from":"llama3.2","system":"You are Mario","stream":false}"#
            )
            #expect(try created.json()["status"] == "success")
            names = try await client.get("/api/tags").decode(ListResponse.self).models.map(\.name)
            #expect(names.contains("mario:latest"))
            #expect(!names.contains("llama-backup:latest"))
        }
    }
}

extension ISO8601DateFormatter {
    nonisolated(unsafe) static let withFraction: ISO8601DateFormatter = {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }()
}
