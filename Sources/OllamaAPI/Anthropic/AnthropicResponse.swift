/// The answer to `POST /v1/messages` when not streamed, and the `message` of `message_start`:
/// `{"id": "msg_...", "type": "message", "role": "assistant", "model", "content", "stop_reason", "usage"}`.
///
/// `stop_reason` is `end_turn`, `max_tokens`, `tool_use` or `stop_sequence`; Ollama omits it
/// while streaming has not ended and never sends `stop_sequence`, so both are omitted when nil.
public struct AnthropicMessagesResponse: Sendable, Hashable, Codable {
    public var id: String
    /// Always `message`.
    public var type: String
    /// Always `assistant`.
    public var role: String
    public var model: String
    /// Thinking first, then text, then tool calls, as Ollama orders them.
    public var content: [AnthropicContentBlock]
    public var stopReason: String?
    public var stopSequence: String?
    public var usage: AnthropicUsage

    enum CodingKeys: String, CodingKey {
        case id, type, role, model, content, usage
        case stopReason = "stop_reason"
        case stopSequence = "stop_sequence"
    }

    /// - Parameters:
    ///   - id: the message id, `msg_` and 24 hex digits in Ollama.
    ///   - model: the model name as the request gave it.
    ///   - content: the answer's blocks.
    ///   - stopReason: why the answer ended, or nil while it has not.
    ///   - usage: the token counts.
    public init(id: String, model: String, content: [AnthropicContentBlock], stopReason: String?, usage: AnthropicUsage) {
        self.id = id
        self.type = "message"
        self.role = "assistant"
        self.model = model
        self.content = content
        self.stopReason = stopReason
        self.usage = usage
    }
}

/// Token counts: `input_tokens` is Ollama's `prompt_eval_count`, `output_tokens` its `eval_count`.
/// A count the JSON lacks decodes as 0 (Anthropic's own `message_delta` sends only `output_tokens`).
public struct AnthropicUsage: Sendable, Hashable, Codable {
    public var inputTokens: Int
    public var outputTokens: Int

    enum CodingKeys: String, CodingKey {
        case inputTokens = "input_tokens"
        case outputTokens = "output_tokens"
    }

    public init(inputTokens: Int, outputTokens: Int) {
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        inputTokens = try container.decodeIfPresent(Int.self, forKey: .inputTokens) ?? 0
        outputTokens = try container.decodeIfPresent(Int.self, forKey: .outputTokens) ?? 0
    }
}
