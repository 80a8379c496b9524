import Foundation
import NodeSimulator
import OllamaAPI
import PerfStats
import Testing

/// The pure parts of the simulator: plans, tokens, embeddings, names.
struct ModelTests {
    static let model = SimulatedModel(
        name: "m",
        prefillTokensPerSecond: 1000,
        decodeTokensPerSecond: 50,
        jitter: 0,
        minOutputTokens: 10,
        maxOutputTokens: 20
    )

    @Test func aLimitCutsTheAnswerAndSaysLength() {
        let plan = GenerationPlan.make(model: Self.model, input: GenerationInput(promptTokens: 100, limit: 5, seed: 1))
        #expect(plan.content.count == 5)
        #expect(plan.evalCount == 5)
        #expect(plan.doneReason == "length")
        #expect(plan.prefillSeconds == 0.1)
        #expect(plan.gaps == Array(repeating: 0.02, count: 5))
        #expect(plan.evalSeconds == 0.1)
    }

    @Test func withoutALimitTheAnswerHasItsNaturalLength() {
        for seed in 1...50 as ClosedRange<UInt64> {
            let plan = GenerationPlan.make(model: Self.model, input: GenerationInput(promptTokens: 3, limit: nil, seed: seed))
            #expect((10...20).contains(plan.evalCount))
            #expect(plan.doneReason == "stop")
            let unlimited = GenerationPlan.make(model: Self.model, input: GenerationInput(promptTokens: 3, limit: -1, seed: seed))
            #expect(unlimited == plan)
        }
    }

    @Test func theSameSeedGivesTheSameAnswerAndTiming() {
        var jittery = Self.model
        jittery.jitter = 0.2
        let input = GenerationInput(promptTokens: 10, limit: nil, seed: 42)
        let first = GenerationPlan.make(model: jittery, input: input)
        #expect(first == GenerationPlan.make(model: jittery, input: input))
        let other = GenerationPlan.make(model: jittery, input: GenerationInput(promptTokens: 10, limit: nil, seed: 43))
        #expect(other.text != first.text)
        #expect(Set(first.gaps).count > 1)
        let mean = first.gaps.reduce(0, +) / Double(first.gaps.count)
        #expect(abs(mean - 0.02) < 0.01)
        #expect(first.gaps.allSatisfy { $0 > 0 })
    }

    @Test func thinkingComesBeforeTheAnswerAndCountsAsTokens() {
        let plan = GenerationPlan.make(
            model: Self.model,
            input: GenerationInput(promptTokens: 1, limit: nil, seed: 5, think: true)
        )
        #expect(!plan.thinking.isEmpty)
        #expect(plan.evalCount == plan.thinking.count + plan.content.count)
    }

    @Test func toolCallsCostTheTokensOfTheirJSON() throws {
        let tool = Tool(function: .init(name: "f", parameters: ["type": "object", "properties": ["q": ["type": "string"]]]))
        let plan = GenerationPlan.make(
            model: Self.model,
            input: GenerationInput(promptTokens: 1, limit: nil, seed: 5, tools: [tool])
        )
        let call = try #require(plan.toolCalls.first)
        #expect(call.function.name == "f")
        #expect(plan.content.isEmpty)
        let json = String(decoding: try OllamaJSON.encode(plan.toolCalls), as: UTF8.self)
        #expect(plan.evalCount == Tokenizer.count(json))
        let cut = GenerationPlan.make(
            model: Self.model,
            input: GenerationInput(promptTokens: 1, limit: 2, seed: 5, tools: [tool])
        )
        #expect(cut.toolCalls.isEmpty)
        #expect(cut.doneReason == "length")
        #expect(cut.evalCount == 2)
    }

    @Test func formatsProduceJSONThatFollowsTheSchema() throws {
        let schema: JSONObject = [
            "type": "object",
            "properties": [
                "name": ["type": "string"], "age": ["type": "integer"], "tags": ["type": "array", "items": ["type": "string"]],
                "kind": ["enum": ["a", "b"]],
            ],
        ]
        let plan = GenerationPlan.make(
            model: Self.model,
            input: GenerationInput(promptTokens: 1, limit: nil, seed: 9, format: .schema(schema))
        )
        let object = try JSONDecoder().decode(JSONObject.self, from: Data(plan.text.utf8))
        #expect(object["name"]?.stringValue != nil)
        #expect(object["age"]?.intValue != nil)
        #expect(object["tags"]?.arrayValue?.first?.stringValue != nil)
        #expect(object["kind"] == "a")
        #expect(
            plan
                == GenerationPlan.make(
                    model: Self.model,
                    input: GenerationInput(promptTokens: 1, limit: nil, seed: 9, format: .schema(schema))
                )
        )
    }

    @Test func tokenCountsGrowWithTheText() {
        #expect(Tokenizer.count("") == 0)
        #expect(Tokenizer.count("a") == 1)
        #expect(Tokenizer.count("hello") == 2)
        #expect(Tokenizer.count("one two three four") == 5)
        #expect(Tokenizer.count(String(repeating: "x", count: 400)) == 100)
        #expect(Tokenizer.count(messages: [("user", "hello")]) == 2 + 4 + 1)
        #expect(Tokenizer.count(messages: []) == 0)
    }

    @Test func embeddingsAreUnitLengthAndStable() {
        let vector = EmbeddingGenerator.embed("hello", dimensions: 32)
        let norm = vector.reduce(0) { $0 + Double($1) * Double($1) }.squareRoot()
        #expect(abs(norm - 1) < 1e-6)
        #expect(vector == EmbeddingGenerator.embed("hello", dimensions: 32))
        #expect(vector != EmbeddingGenerator.embed("hellp", dimensions: 32))
        let short = EmbeddingGenerator.embed("hello", dimensions: 32, truncateTo: 8)
        #expect(short.count == 8)
        #expect(abs(short.reduce(0) { $0 + Double($1) * Double($1) } - 1) < 1e-6)
    }

    @Test func namesDefaultToTheLatestTag() {
        #expect(ModelName.normalize("llama3.2") == "llama3.2:latest")
        #expect(ModelName.normalize("llama3.2:1b") == "llama3.2:1b")
        #expect(ModelName.normalize("registry.local:5000/library/llama3") == "registry.local:5000/library/llama3:latest")
        #expect(ModelName.matches("Llama3.2", "llama3.2:latest"))
        #expect(!ModelName.matches("llama3.2:1b", "llama3.2"))
        #expect(SimulatedModel(name: "x").digest.count == 64)
        #expect(SimulatedModel(name: "x").digest == SimulatedModel(name: "x").digest)
    }

    @Test func hashesAreStableAcrossRuns() {
        // FNV-1a of "hello": a fixed value, unlike Swift's per-process Hasher.
        #expect(stableHash("hello") == 0xA430_D846_80AA_BD0B)
        var random = SplitMix64(seed: 0)
        #expect(random.next() == 0xE220_A839_7B1D_CDAF)
    }
}
