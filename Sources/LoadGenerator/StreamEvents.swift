/// What the named server-sent events of the Anthropic Messages and OpenAI Responses streams
/// mean to a load run: a token, the end of the answer, an error, or nothing to time.
enum StreamEvents {
    enum Kind: Equatable {
        case token, end, error, other
    }

    /// The kind of event `name` of `api`'s stream; `nil` (no name) is `other`.
    static func kind(of name: String?, api: LoadTarget.API) -> Kind {
        guard let name else { return .other }
        switch api {
        case .anthropic:
            switch name {
            case "content_block_delta": return .token
            case "message_stop": return .end
            case "error": return .error
            default: return .other
            }
        case .responses:
            if ResponsesEvents.tokenEvents.contains(name) { return .token }
            switch name {
            case "response.completed", "response.incomplete": return .end
            case "error", "response.failed": return .error
            default: return .other
            }
        case .ollama, .openai:
            return .other
        }
    }
}

/// The OpenAI Responses stream's content deltas, each one token as Ollama streams them: text,
/// reasoning as Ollama sends it (`response.reasoning_summary_text.delta`) and as OpenAI does
/// (`response.reasoning_text.delta`), refusals and function-call arguments.
public enum ResponsesEvents {
    /// The event names that carry a token.
    public static let tokenEvents: Set<String> = [
        "response.output_text.delta",
        "response.reasoning_summary_text.delta",
        "response.reasoning_text.delta",
        "response.refusal.delta",
        "response.function_call_arguments.delta",
    ]
}
