import Foundation
import NodeSimulator
import OllamaAPI
import TestHTTP
import Testing

/// Prompts longer than the context window are truncated as Ollama truncates them, so
/// `prompt_eval_count` never exceeds the context and the prefill is of what was kept.
@Suite(.timeLimit(.minutes(3)))
struct ContextWindowTests {
    static var model: SimulatedModel {
        SimulatorConfiguration.testing.models.first { $0.name == "llama3.2:latest" }!
    }

    @Test func aOneMebibytePromptIsAnsweredWithinTheContext() async throws {
        let prompt = String(repeating: "lorem ipsum ", count: (1 << 20) / 12)
        try await withSimulator { client, _ in
            let context = Self.model.contextLength
            let body = try String(decoding: JSONEncoder().encode(["model": "llama3.2", "prompt": prompt]), as: UTF8.self)
            let generated = try await client.post("/api/generate", String(body.dropLast()) + #","stream":false}"#)
            #expect(generated.status == 200)
            let count = try #require(try generated.json()["prompt_eval_count"]?.intValue)
            #expect(count <= context)
            #expect(count == ContextWindow(model: Self.model).promptTokens(Tokenizer.count(prompt)))
            let duration = try #require(try generated.json()["prompt_eval_duration"]?.intValue)
            #expect(Double(duration) <= Double(context) / Self.model.prefillTokensPerSecond * 1e9 + 1)

            // num_ctx narrows the window; a chat too.
            let chat = try String(
                decoding: JSONEncoder().encode(
                    ChatProbe(model: "llama3.2", messages: [["role": "user", "content": prompt]], options: ["num_ctx": 2048])
                ),
                as: UTF8.self
            )
            let chatted = try await client.post("/api/chat", chat)
            #expect(chatted.status == 200)
            let chatCount = try #require(try chatted.lines().last?["prompt_eval_count"]?.intValue)
            #expect(chatCount <= 2048)
            // OpenAI's route: usage within the model's context.
            let openAI = try String(
                decoding: JSONEncoder().encode(ChatProbe(model: "llama3.2", messages: [["role": "user", "content": prompt]], options: nil)),
                as: UTF8.self
            )
            let completed = try await client.post("/v1/chat/completions", openAI)
            #expect(completed.status == 200)
            let usage = try #require(try completed.json()["usage"]?.objectValue?["prompt_tokens"]?.intValue)
            #expect(usage <= context)
        }
    }

    struct ChatProbe: Encodable {
        var model: String
        var messages: [[String: String]]
        var options: [String: Int]?
        var stream = false
    }

    @Test func truncationKeepsNumKeepAndLeavesHalfTheRestToGenerate() {
        var window = ContextWindow(model: Self.model, numCtx: 4096)
        #expect(window.length == 4096)
        // Ollama's own cases (llm/llama_server_test.go): 4096 and num_keep 4 (+ BOS) keep 2051.
        #expect(window.promptTokens(5000) == 2051)
        #expect(window.promptTokens(4095) == 4095)
        #expect(window.promptTokens(4096) == 2051)
        window.keep = -1
        #expect(window.promptTokens(10_000) == 4095)
        // num_ctx over the model's context is capped at it.
        #expect(ContextWindow(model: Self.model, numCtx: 1 << 30).length == Self.model.contextLength)
    }

    @Test func aChatDropsItsOldestMessagesButKeepsSystemMessagesAndTheLast() {
        let window = ContextWindow(model: Self.model, numCtx: 100)
        let long = String(repeating: "word ", count: 60)
        let messages: [(role: String, content: String)] = [
            ("system", "be brief"), ("user", long), ("assistant", long), ("user", "and now?"),
        ]
        let kept = window.fitting(messages, extraTokens: 0)
        #expect(kept.map(\.role) == ["system", "assistant", "user"])
        let tight = window.fitting(messages, extraTokens: 50)
        #expect(tight.map(\.role) == ["system", "user"])
        #expect(tight.last?.content == "and now?")
        let short = [(role: "user", content: "hi")]
        #expect(window.fitting(short, extraTokens: 0).map(\.content) == ["hi"])
    }
}
