/// `POST /v1/messages`: the Anthropic Messages API as Ollama serves it.
///
/// Ollama reads `model`, `max_tokens`, `messages`, `system`, `stream`, `temperature`, `top_p`,
/// `top_k`, `stop_sequences`, `tools`, `thinking`; it accepts and ignores `tool_choice` and
/// `metadata`. Other fields (`output_config`, `service_tier`, ...) stay in `extra`.
public struct AnthropicMessagesRequest: Sendable, Hashable, PreservesUnknownFields {
    public var model: String
    /// The answer's token limit (Ollama's `num_predict`); required and positive.
    public var maxTokens: Int
    public var messages: [AnthropicMessageParam]
    /// A system prompt ahead of the messages.
    public var system: AnthropicSystem?
    /// `true` for server-sent events; Ollama's default is one JSON object.
    public var stream: Bool?
    public var temperature: Double?
    public var topP: Double?
    public var topK: Int?
    /// Ollama's `stop` option.
    public var stopSequences: [String]?
    public var tools: [AnthropicTool]?
    public var toolChoice: AnthropicToolChoice?
    public var thinking: AnthropicThinking?
    public var metadata: AnthropicMetadata?
    public var extra: JSONObject = [:]

    enum CodingKeys: String, CodingKey, CaseIterable {
        case model, messages, system, stream, temperature, tools, thinking, metadata
        case maxTokens = "max_tokens"
        case topP = "top_p"
        case topK = "top_k"
        case stopSequences = "stop_sequences"
        case toolChoice = "tool_choice"
    }

    public static let knownKeys = Set(CodingKeys.allCases.map(\.rawValue))

    /// - Parameters:
    ///   - model: the model name.
    ///   - maxTokens: the answer's token limit.
    ///   - messages: the conversation, alternating `user` and `assistant`.
    ///   - stream: `true` for server-sent events.
    public init(model: String, maxTokens: Int, messages: [AnthropicMessageParam], stream: Bool? = nil) {
        self.model = model
        self.maxTokens = maxTokens
        self.messages = messages
        self.stream = stream
    }
}

/// One message of the conversation: a role and its content.
public struct AnthropicMessageParam: Sendable, Hashable, Codable {
    /// `user` or `assistant`.
    public var role: String
    public var content: AnthropicContent

    public init(role: String, content: AnthropicContent) {
        self.role = role
        self.content = content
    }
}

/// Message content: a string (one text block) or a list of content blocks.
public enum AnthropicContent: Sendable, Hashable, Codable {
    case text(String)
    case blocks([AnthropicContentBlock])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self = .text(text)
        } else {
            self = .blocks(try container.decode([AnthropicContentBlock].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .text(let text): try container.encode(text)
        case .blocks(let blocks): try container.encode(blocks)
        }
    }

    /// The content as blocks, as Ollama reads it: a string is one `text` block.
    public var blocks: [AnthropicContentBlock] {
        switch self {
        case .text(let text): [.text(text)]
        case .blocks(let blocks): blocks
        }
    }
}

/// `system`: a string, or a list of `text` blocks that Ollama joins into one system message.
public enum AnthropicSystem: Sendable, Hashable, Codable {
    case text(String)
    case blocks([AnthropicContentBlock])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self = .text(text)
        } else {
            self = .blocks(try container.decode([AnthropicContentBlock].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .text(let text): try container.encode(text)
        case .blocks(let blocks): try container.encode(blocks)
        }
    }

    /// The system prompt as Ollama builds it: the string, or the `text` blocks' texts joined with nothing between.
    public var text: String {
        switch self {
        case .text(let text): text
        case .blocks(let blocks): blocks.filter { $0.type == "text" }.compactMap(\.text).joined()
        }
    }
}

/// A tool the model may call: `name`, `description` and a JSON schema in `input_schema`.
/// `type` is absent or `custom` for a client tool; other fields (`cache_control`, ...) stay in `extra`.
public struct AnthropicTool: Sendable, Hashable, Codable {
    public var type: String?
    public var name: String
    public var description: String?
    public var inputSchema: JSONValue?
    public var extra: JSONObject = [:]

    enum CodingKeys: String, CodingKey, CaseIterable {
        case type, name, description
        case inputSchema = "input_schema"
    }

    public init(name: String, description: String? = nil, inputSchema: JSONValue? = nil) {
        self.name = name
        self.description = description
        self.inputSchema = inputSchema
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        type = try container.decodeIfPresent(String.self, forKey: .type)
        name = try container.decode(String.self, forKey: .name)
        description = try container.decodeIfPresent(String.self, forKey: .description)
        inputSchema = try container.decodeIfPresent(JSONValue.self, forKey: .inputSchema)
        extra = try AnyCodingKey.extra(from: decoder, known: Set(CodingKeys.allCases.map(\.rawValue)))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(type, forKey: .type)
        try container.encode(name, forKey: .name)
        try container.encodeIfPresent(description, forKey: .description)
        try container.encodeIfPresent(inputSchema, forKey: .inputSchema)
        try AnyCodingKey.encode(extra, to: encoder, known: Set(CodingKeys.allCases.map(\.rawValue)))
    }
}

/// `tool_choice`: `auto`, `any`, `tool` (with `name`) or `none`. Ollama accepts it and ignores it.
public struct AnthropicToolChoice: Sendable, Hashable, Codable {
    public var type: String
    public var name: String?
    public var disableParallelToolUse: Bool?

    enum CodingKeys: String, CodingKey {
        case type, name
        case disableParallelToolUse = "disable_parallel_tool_use"
    }

    public init(type: String, name: String? = nil) {
        self.type = type
        self.name = name
    }
}

/// `thinking`: `{"type": "enabled", "budget_tokens": N}` turns thinking on, `disabled` off.
/// Ollama ignores the budget, and relaxes `enabled` to "model default" on a model that cannot think.
public struct AnthropicThinking: Sendable, Hashable, Codable {
    public var type: String
    public var budgetTokens: Int?

    enum CodingKeys: String, CodingKey {
        case type
        case budgetTokens = "budget_tokens"
    }

    public init(type: String, budgetTokens: Int? = nil) {
        self.type = type
        self.budgetTokens = budgetTokens
    }
}

/// `metadata`: `user_id`. Ollama accepts it and ignores it.
public struct AnthropicMetadata: Sendable, Hashable, Codable {
    public var userID: String?

    enum CodingKeys: String, CodingKey {
        case userID = "user_id"
    }

    public init(userID: String?) {
        self.userID = userID
    }
}
