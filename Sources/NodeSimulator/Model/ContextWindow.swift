/// How Ollama fits a prompt into the model's context window (`num_ctx`, at most the model's
/// `context_length`), so `prompt_eval_count` never exceeds it and the prefill is of what is kept.
///
/// Two steps, as Ollama takes them: a chat first drops its oldest messages until the prompt fits,
/// keeping the system messages and always the last message (`chatPrompt`, server/prompt.go);
/// then a prompt still longer than `num_ctx - 1` tokens keeps its first `num_keep` tokens (plus
/// the BOS token) and its last ones, down to a length that leaves half of the rest of the window
/// to generate in (`completionPromptForRequest` and `contextShiftPromptLimit`,
/// llm/llama_server.go). Embeddings truncate each input on their own (``SimulatorHandlers``).
public struct ContextWindow: Sendable, Hashable {
    /// The window in tokens.
    public var length: Int
    /// `num_keep`: prompt tokens kept from the start when truncating (negative: all that fit).
    public var keep: Int

    /// Ollama's default `num_keep`.
    public static let defaultKeep = 4

    /// The window of `model` for a request's `num_ctx` and `num_keep` options: `num_ctx` when
    /// given, capped at the model's context length as Ollama caps it.
    public init(model: SimulatedModel, numCtx: Int? = nil, numKeep: Int? = nil) {
        length = min(numCtx ?? model.contextLength, model.contextLength)
        keep = numKeep ?? Self.defaultKeep
    }

    /// The tokens of a prompt of `tokens` once truncated to fit.
    public func promptTokens(_ tokens: Int) -> Int {
        guard length > 1, tokens > length - 1 else { return tokens }
        let keep = min((self.keep < 0 ? tokens : self.keep) + 1, length - 1)  // + the BOS token
        return length - max((length - keep) / 2, 1)
    }

    /// The messages a chat prompt keeps: from the first message on whose prompt (with the system
    /// messages before it and `extraTokens`, the tools) fits the window, the last message at least.
    public func fitting(_ messages: [(role: String, content: String)], extraTokens: Int) -> [(role: String, content: String)] {
        guard Tokenizer.count(messages: messages) + extraTokens > length else { return messages }
        for start in messages.indices {
            let kept = messages[..<start].filter { $0.role == "system" } + messages[start...]
            if start == messages.count - 1 || Tokenizer.count(messages: kept) + extraTokens <= length { return kept }
        }
        return messages
    }
}
