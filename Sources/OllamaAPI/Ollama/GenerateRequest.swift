/// `POST /api/generate`: a completion for a prompt.
public struct GenerateRequest: Sendable, Hashable, PreservesUnknownFields {
    public var model: String
    public var prompt: String?
    public var suffix: String?
    /// Base64-encoded images for multimodal models.
    public var images: [String]?
    public var think: Think?
    public var format: ResponseFormat?
    /// Modelfile parameters such as `temperature`, `seed`, `num_predict`, `num_ctx`.
    public var options: JSONObject?
    public var system: String?
    public var template: String?
    /// Absent means streaming, as in Ollama.
    public var stream: Bool?
    public var raw: Bool?
    public var keepAlive: KeepAlive?
    /// Deprecated token context from an earlier response.
    public var context: [Int]?
    public var logprobs: Bool?
    public var topLogprobs: Int?
    public var extra: JSONObject = [:]

    enum CodingKeys: String, CodingKey, CaseIterable {
        case model, prompt, suffix, images, think, format, options, system, template, stream, raw, context, logprobs
        case keepAlive = "keep_alive"
        case topLogprobs = "top_logprobs"
    }

    public static let knownKeys = Set(CodingKeys.allCases.map(\.rawValue))

    public init(model: String, prompt: String? = nil, stream: Bool? = nil, options: JSONObject? = nil) {
        self.model = model
        self.prompt = prompt
        self.stream = stream
        self.options = options
    }
}

/// One `/api/generate` response object: a streamed chunk, or the final (or only) object.
public struct GenerateResponse: Sendable, Hashable, Codable {
    public var model: String
    /// RFC 3339 time with nanoseconds, as Go writes it.
    public var createdAt: String
    public var response: String
    public var thinking: String?
    public var done: Bool
    public var doneReason: String?
    public var context: [Int]?
    public var metrics: GenerationMetrics?

    enum CodingKeys: String, CodingKey {
        case model, response, thinking, done, context
        case createdAt = "created_at"
        case doneReason = "done_reason"
    }

    public init(
        model: String,
        createdAt: String,
        response: String,
        thinking: String? = nil,
        done: Bool,
        doneReason: String? = nil,
        context: [Int]? = nil,
        metrics: GenerationMetrics? = nil
    ) {
        self.model = model
        self.createdAt = createdAt
        self.response = response
        self.thinking = thinking
        self.done = done
        self.doneReason = doneReason
        self.context = context
        self.metrics = metrics
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        model = try container.decode(String.self, forKey: .model)
        createdAt = try container.decode(String.self, forKey: .createdAt)
        response = try container.decodeIfPresent(String.self, forKey: .response) ?? ""
        thinking = try container.decodeIfPresent(String.self, forKey: .thinking)
        done = try container.decode(Bool.self, forKey: .done)
        doneReason = try container.decodeIfPresent(String.self, forKey: .doneReason)
        context = try container.decodeIfPresent([Int].self, forKey: .context)
        metrics = try GenerationMetrics.decodeIfPresent(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(model, forKey: .model)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(response, forKey: .response)
        try container.encodeIfPresent(thinking, forKey: .thinking)
        try container.encode(done, forKey: .done)
        try container.encodeIfPresent(doneReason, forKey: .doneReason)
        try container.encodeIfPresent(context, forKey: .context)
        try metrics?.encode(to: encoder)
    }
}
