/// `POST /v1/chat/completions`.
public struct ChatCompletionRequest: Sendable, Hashable, PreservesUnknownFields {
    public var model: String
    public var messages: [OpenAIMessage]
    public var stream: Bool?
    public var streamOptions: StreamOptions?
    public var maxTokens: Int?
    public var maxCompletionTokens: Int?
    public var temperature: Double?
    public var topP: Double?
    public var seed: Int?
    public var stop: JSONValue?
    public var frequencyPenalty: Double?
    public var presencePenalty: Double?
    public var responseFormat: JSONValue?
    public var tools: [Tool]?
    public var reasoningEffort: String?
    public var extra: JSONObject = [:]

    enum CodingKeys: String, CodingKey, CaseIterable {
        case model, messages, stream, temperature, seed, stop, tools
        case streamOptions = "stream_options"
        case maxTokens = "max_tokens"
        case maxCompletionTokens = "max_completion_tokens"
        case topP = "top_p"
        case frequencyPenalty = "frequency_penalty"
        case presencePenalty = "presence_penalty"
        case responseFormat = "response_format"
        case reasoningEffort = "reasoning_effort"
    }

    public static let knownKeys = Set(CodingKeys.allCases.map(\.rawValue))

    public init(model: String, messages: [OpenAIMessage], stream: Bool? = nil, maxTokens: Int? = nil) {
        self.model = model
        self.messages = messages
        self.stream = stream
        self.maxTokens = maxTokens
    }
}

/// `stream_options`: with `include_usage`, one last chunk carries the token usage.
public struct StreamOptions: Sendable, Hashable, Codable {
    public var includeUsage: Bool?

    enum CodingKeys: String, CodingKey {
        case includeUsage = "include_usage"
    }

    public init(includeUsage: Bool?) {
        self.includeUsage = includeUsage
    }
}

/// A chat message in the OpenAI shape: `content` is a string, a list of parts, or absent.
public struct OpenAIMessage: Sendable, Hashable, Codable {
    public var role: String
    public var content: OpenAIContent?
    public var name: String?
    public var toolCalls: [OpenAIToolCall]?
    public var toolCallID: String?
    public var reasoning: String?

    enum CodingKeys: String, CodingKey {
        case role, content, name, reasoning
        case toolCalls = "tool_calls"
        case toolCallID = "tool_call_id"
    }

    public init(role: String, content: OpenAIContent?, toolCalls: [OpenAIToolCall]? = nil) {
        self.role = role
        self.content = content
        self.toolCalls = toolCalls
    }
}

/// Message content: plain text, or parts such as `{"type":"text"}` and `{"type":"image_url"}`.
public enum OpenAIContent: Sendable, Hashable, Codable {
    case text(String)
    case parts([JSONObject])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self = .text(text)
        } else {
            self = .parts(try container.decode([JSONObject].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .text(let text): try container.encode(text)
        case .parts(let parts): try container.encode(parts)
        }
    }

    /// The text of the content: the string, or the `text` parts joined.
    public var text: String {
        switch self {
        case .text(let text): text
        case .parts(let parts): parts.compactMap { $0["text"]?.stringValue }.joined(separator: "\n")
        }
    }
}

/// A tool call in the OpenAI shape: `arguments` is a JSON-encoded string.
public struct OpenAIToolCall: Sendable, Hashable, Codable {
    public var index: Int?
    public var id: String?
    public var type: String?
    public var function: Function

    /// The function called and its JSON-encoded arguments.
    public struct Function: Sendable, Hashable, Codable {
        public var name: String?
        public var arguments: String?

        public init(name: String?, arguments: String?) {
            self.name = name
            self.arguments = arguments
        }
    }

    public init(index: Int?, id: String?, type: String?, function: Function) {
        self.index = index
        self.id = id
        self.type = type
        self.function = function
    }
}

/// Token counts; `prompt_tokens` and `completion_tokens` equal Ollama's `prompt_eval_count` and `eval_count`.
public struct Usage: Sendable, Hashable, Codable {
    public var promptTokens: Int
    public var completionTokens: Int
    public var totalTokens: Int

    enum CodingKeys: String, CodingKey {
        case promptTokens = "prompt_tokens"
        case completionTokens = "completion_tokens"
        case totalTokens = "total_tokens"
    }

    public init(promptTokens: Int, completionTokens: Int) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.totalTokens = promptTokens + completionTokens
    }
}

/// A non-streaming chat completion (`object: "chat.completion"`).
public struct ChatCompletion: Sendable, Hashable, Codable {
    public var id: String
    public var object: String
    public var created: Int64
    public var model: String
    public var systemFingerprint: String?
    public var choices: [Choice]
    public var usage: Usage?

    /// One answer; Ollama always sends exactly one.
    public struct Choice: Sendable, Hashable, Codable {
        public var index: Int
        public var message: OpenAIMessage
        public var finishReason: String?

        enum CodingKeys: String, CodingKey {
            case index, message
            case finishReason = "finish_reason"
        }

        public init(index: Int, message: OpenAIMessage, finishReason: String?) {
            self.index = index
            self.message = message
            self.finishReason = finishReason
        }
    }

    enum CodingKeys: String, CodingKey {
        case id, object, created, model, choices, usage
        case systemFingerprint = "system_fingerprint"
    }

    public init(id: String, created: Int64, model: String, choices: [Choice], usage: Usage?) {
        self.id = id
        self.object = "chat.completion"
        self.created = created
        self.model = model
        self.systemFingerprint = "fp_ollama"
        self.choices = choices
        self.usage = usage
    }
}

/// A streamed chat completion chunk (`object: "chat.completion.chunk"`).
///
/// The usage chunk, sent last when `include_usage` is set, has no choices and a `usage`.
public struct ChatCompletionChunk: Sendable, Hashable, Codable {
    public var id: String
    public var object: String
    public var created: Int64
    public var model: String
    public var systemFingerprint: String?
    public var choices: [Choice]
    public var usage: Usage?

    /// The increment of one answer.
    public struct Choice: Sendable, Hashable, Codable {
        public var index: Int
        public var delta: OpenAIMessageDelta
        public var finishReason: String?

        enum CodingKeys: String, CodingKey {
            case index, delta
            case finishReason = "finish_reason"
        }

        public init(index: Int, delta: OpenAIMessageDelta, finishReason: String?) {
            self.index = index
            self.delta = delta
            self.finishReason = finishReason
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(index, forKey: .index)
            try container.encode(delta, forKey: .delta)
            // OpenAI sends an explicit null until the last chunk.
            try container.encode(finishReason, forKey: .finishReason)
        }
    }

    enum CodingKeys: String, CodingKey {
        case id, object, created, model, choices, usage
        case systemFingerprint = "system_fingerprint"
    }

    public init(id: String, created: Int64, model: String, choices: [Choice], usage: Usage? = nil) {
        self.id = id
        self.object = "chat.completion.chunk"
        self.created = created
        self.model = model
        self.systemFingerprint = "fp_ollama"
        self.choices = choices
        self.usage = usage
    }
}

/// The `delta` of a chunk: only what is new.
public struct OpenAIMessageDelta: Sendable, Hashable, Codable {
    public var role: String?
    public var content: String?
    public var reasoning: String?
    public var toolCalls: [OpenAIToolCall]?

    enum CodingKeys: String, CodingKey {
        case role, content, reasoning
        case toolCalls = "tool_calls"
    }

    public init(role: String? = nil, content: String? = nil, reasoning: String? = nil, toolCalls: [OpenAIToolCall]? = nil) {
        self.role = role
        self.content = content
        self.reasoning = reasoning
        self.toolCalls = toolCalls
    }
}
