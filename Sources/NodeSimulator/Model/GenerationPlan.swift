import Foundation
import OllamaAPI
import PerfStats

/// What a simulated model will answer to one request, and when: a pure function of the model,
/// the prompt and the request options. The server only sleeps to the planned times.
public struct GenerationPlan: Sendable, Hashable {
    /// Prompt tokens (`prompt_eval_count`).
    public var promptTokens: Int
    /// Time to process the prompt (`prompt_eval_duration`), in seconds.
    public var prefillSeconds: Double
    /// Reasoning pieces, streamed in `thinking` before the answer.
    public var thinking: [String]
    /// Answer pieces, one per generated token.
    public var content: [String]
    /// Tool calls the model makes instead of answering.
    public var toolCalls: [ToolCall]
    /// Seconds before each generated token: thinking, then content, then the tokens of the
    /// tool calls, which are sent whole after the last of them.
    public var gaps: [Double]
    /// `stop`, or `length` when the token limit cut the answer.
    public var doneReason: String

    /// Generated tokens (`eval_count`).
    public var evalCount: Int { gaps.count }
    /// Time spent generating (`eval_duration`), in seconds.
    public var evalSeconds: Double { gaps.reduce(0, +) }
    /// The whole answer text.
    public var text: String { content.joined() }
}

/// The inputs of a plan that come from the request.
public struct GenerationInput: Sendable {
    public var promptTokens: Int
    /// `num_predict` or `max_tokens`; `nil` or negative means the model's natural length.
    public var limit: Int?
    /// `options.seed`, or a hash of the prompt: the same prompt gives the same answer.
    public var seed: UInt64
    public var think: Bool
    public var format: ResponseFormat?
    public var tools: [Tool]

    public init(
        promptTokens: Int,
        limit: Int?,
        seed: UInt64,
        think: Bool = false,
        format: ResponseFormat? = nil,
        tools: [Tool] = []
    ) {
        self.promptTokens = promptTokens
        self.limit = limit
        self.seed = seed
        self.think = think
        self.format = format
        self.tools = tools
    }
}

extension GenerationPlan {
    /// Plans the answer of `model` to `input`.
    public static func make(model: SimulatedModel, input: GenerationInput) -> GenerationPlan {
        var text = TextGenerator(seed: input.seed)
        var timing = SplitMix64(seed: input.seed ^ 0x7A3D_11C5)
        let span = max(0, model.maxOutputTokens - model.minOutputTokens)
        let natural = model.minOutputTokens + Int(timing.next() % UInt64(span + 1))
        let limit = input.limit.flatMap { $0 >= 0 ? $0 : nil }

        var thinking: [String] = []
        if input.think {
            thinking = text.tokens(max(4, natural / 3))
        }
        var content: [String]
        var toolCalls: [ToolCall] = []
        if let tool = input.tools.first {
            toolCalls = [ToolCall(function: .init(index: 0, name: tool.function.name, arguments: sampleArguments(tool, &text)))]
            content = []
        } else if let format = input.format {
            content = chunked(JSONSample.text(for: format, using: &text), size: 4)
        } else {
            content = text.tokens(natural)
        }

        // A tool call costs the tokens of its JSON, like a real model writing it out.
        let toolTokens = toolCalls.isEmpty ? 0 : max(1, Tokenizer.count(toolCallText(toolCalls)))
        var doneReason = "stop"
        let produced = thinking.count + content.count + toolTokens
        var generated = produced
        if let limit, produced > limit {
            doneReason = "length"
            let keepThinking = min(thinking.count, limit)
            thinking = Array(thinking.prefix(keepThinking))
            content = Array(content.prefix(limit - keepThinking))
            // A call cut short is no call: the tokens were spent, the JSON is incomplete.
            toolCalls = []
            generated = limit
        }
        let base = 1 / model.decodeTokensPerSecond
        let gaps = (0..<generated).map { _ in base * max(0.05, 1 + model.jitter * timing.nextGaussian()) }
        return GenerationPlan(
            promptTokens: input.promptTokens,
            prefillSeconds: Double(input.promptTokens) / model.prefillTokensPerSecond,
            thinking: thinking,
            content: content,
            toolCalls: toolCalls,
            gaps: gaps,
            doneReason: doneReason
        )
    }

    private static func toolCallText(_ calls: [ToolCall]) -> String {
        String(decoding: (try? OllamaJSON.encode(calls)) ?? Data(), as: UTF8.self)
    }

    private static func sampleArguments(_ tool: Tool, _ text: inout TextGenerator) -> JSONObject {
        guard case .object(let schema)? = tool.function.parameters else { return [:] }
        return JSONSample.value(for: schema, using: &text).objectValue ?? [:]
    }
}

/// Values that satisfy a JSON schema, for `format` and tool arguments.
enum JSONSample {
    static func text(for format: ResponseFormat, using text: inout TextGenerator) -> String {
        let value: JSONValue =
            switch format {
            case .schema(let schema): Self.value(for: schema, using: &text)
            case .json, .other: ["answer": .string(text.word() + " " + text.word())]
            }
        return (try? String(decoding: OllamaJSON.encode(value), as: UTF8.self)) ?? "{}"
    }

    static func value(for schema: JSONObject, using text: inout TextGenerator, depth: Int = 0) -> JSONValue {
        if let options = schema["enum"]?.arrayValue, let first = options.first { return first }
        guard depth < 8 else { return .null }
        switch schema["type"]?.stringValue {
        case "object":
            var object: JSONObject = [:]
            for (key, property) in schema["properties"]?.objectValue ?? [:] {
                object[key] = value(for: property.objectValue ?? [:], using: &text, depth: depth + 1)
            }
            return .object(object)
        case "array":
            let item = value(for: schema["items"]?.objectValue ?? [:], using: &text, depth: depth + 1)
            return .array([item])
        case "integer": return .int(Int64(text.smallInteger()))
        case "number": return .double(Double(text.smallInteger()) + 0.5)
        case "boolean": return .bool(true)
        case "null": return .null
        default: return .string(text.word())
        }
    }
}
