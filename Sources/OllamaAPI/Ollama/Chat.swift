/// A chat message, in requests and in responses.
public struct Message: Sendable, Hashable, Codable {
    /// `system`, `user`, `assistant` or `tool`.
    public var role: String
    public var content: String
    public var thinking: String?
    public var images: [String]?
    public var toolCalls: [ToolCall]?
    public var toolName: String?

    enum CodingKeys: String, CodingKey {
        case role, content, thinking, images
        case toolCalls = "tool_calls"
        case toolName = "tool_name"
    }

    public init(role: String, content: String, thinking: String? = nil, toolCalls: [ToolCall]? = nil) {
        self.role = role
        self.content = content
        self.thinking = thinking
        self.toolCalls = toolCalls
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        role = try container.decode(String.self, forKey: .role)
        content = try container.decodeIfPresent(String.self, forKey: .content) ?? ""
        thinking = try container.decodeIfPresent(String.self, forKey: .thinking)
        images = try container.decodeIfPresent([String].self, forKey: .images)
        toolCalls = try container.decodeIfPresent([ToolCall].self, forKey: .toolCalls)
        toolName = try container.decodeIfPresent(String.self, forKey: .toolName)
    }
}

/// A tool the model may call: `{"type": "function", "function": {name, description, parameters}}`.
public struct Tool: Sendable, Hashable, Codable {
    public var type: String
    public var function: Function

    /// The callable part of a tool; `parameters` is a JSON schema.
    public struct Function: Sendable, Hashable, Codable {
        public var name: String
        public var description: String?
        public var parameters: JSONValue?

        public init(name: String, description: String? = nil, parameters: JSONValue? = nil) {
            self.name = name
            self.description = description
            self.parameters = parameters
        }
    }

    public init(function: Function) {
        self.type = "function"
        self.function = function
    }
}

/// A call the model made to a tool; Ollama sends `arguments` as an object.
public struct ToolCall: Sendable, Hashable, Codable {
    public var id: String?
    public var function: Function

    /// Which function, with which arguments.
    public struct Function: Sendable, Hashable, Codable {
        public var index: Int?
        public var name: String
        public var arguments: JSONObject

        public init(index: Int? = nil, name: String, arguments: JSONObject) {
            self.index = index
            self.name = name
            self.arguments = arguments
        }
    }

    public init(id: String? = nil, function: Function) {
        self.id = id
        self.function = function
    }
}

/// `POST /api/chat`.
public struct ChatRequest: Sendable, Hashable, PreservesUnknownFields {
    public var model: String
    public var messages: [Message]?
    public var tools: [Tool]?
    public var think: Think?
    public var format: ResponseFormat?
    public var options: JSONObject?
    public var stream: Bool?
    public var keepAlive: KeepAlive?
    public var logprobs: Bool?
    public var topLogprobs: Int?
    public var extra: JSONObject = [:]

    enum CodingKeys: String, CodingKey, CaseIterable {
        case model, messages, tools, think, format, options, stream, logprobs
        case keepAlive = "keep_alive"
        case topLogprobs = "top_logprobs"
    }

    public static let knownKeys = Set(CodingKeys.allCases.map(\.rawValue))

    public init(model: String, messages: [Message]? = nil, stream: Bool? = nil, options: JSONObject? = nil) {
        self.model = model
        self.messages = messages
        self.stream = stream
        self.options = options
    }
}

/// One `/api/chat` response object: a streamed chunk, or the final (or only) object.
public struct ChatResponse: Sendable, Hashable, Codable {
    public var model: String
    public var createdAt: String
    public var message: Message
    public var done: Bool
    public var doneReason: String?
    public var metrics: GenerationMetrics?

    enum CodingKeys: String, CodingKey {
        case model, message, done
        case createdAt = "created_at"
        case doneReason = "done_reason"
    }

    public init(
        model: String,
        createdAt: String,
        message: Message,
        done: Bool,
        doneReason: String? = nil,
        metrics: GenerationMetrics? = nil
    ) {
        self.model = model
        self.createdAt = createdAt
        self.message = message
        self.done = done
        self.doneReason = doneReason
        self.metrics = metrics
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        model = try container.decode(String.self, forKey: .model)
        createdAt = try container.decode(String.self, forKey: .createdAt)
        message = try container.decode(Message.self, forKey: .message)
        done = try container.decode(Bool.self, forKey: .done)
        doneReason = try container.decodeIfPresent(String.self, forKey: .doneReason)
        metrics = try GenerationMetrics.decodeIfPresent(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(model, forKey: .model)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(message, forKey: .message)
        try container.encode(done, forKey: .done)
        try container.encodeIfPresent(doneReason, forKey: .doneReason)
        try metrics?.encode(to: encoder)
    }
}
