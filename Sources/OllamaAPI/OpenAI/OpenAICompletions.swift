/// `POST /v1/completions`; `prompt` must be a string.
public struct CompletionRequest: Sendable, Hashable, PreservesUnknownFields {
    public var model: String
    public var prompt: String
    public var suffix: String?
    public var stream: Bool?
    public var streamOptions: StreamOptions?
    public var maxTokens: Int?
    public var temperature: Double?
    public var topP: Double?
    public var seed: Int?
    public var stop: JSONValue?
    public var frequencyPenalty: Double?
    public var presencePenalty: Double?
    public var extra: JSONObject = [:]

    enum CodingKeys: String, CodingKey, CaseIterable {
        case model, prompt, suffix, stream, temperature, seed, stop
        case streamOptions = "stream_options"
        case maxTokens = "max_tokens"
        case topP = "top_p"
        case frequencyPenalty = "frequency_penalty"
        case presencePenalty = "presence_penalty"
    }

    public static let knownKeys = Set(CodingKeys.allCases.map(\.rawValue))

    public init(model: String, prompt: String, stream: Bool? = nil, maxTokens: Int? = nil) {
        self.model = model
        self.prompt = prompt
        self.stream = stream
        self.maxTokens = maxTokens
    }
}

/// A completion (`object: "text_completion"`), whole or as one streamed chunk.
public struct Completion: Sendable, Hashable, Codable {
    public var id: String
    public var object: String
    public var created: Int64
    public var model: String
    public var systemFingerprint: String?
    public var choices: [Choice]
    public var usage: Usage?

    /// The text of one answer, or its increment in a stream.
    public struct Choice: Sendable, Hashable, Codable {
        public var index: Int
        public var text: String
        public var finishReason: String?

        enum CodingKeys: String, CodingKey {
            case index, text
            case finishReason = "finish_reason"
        }

        public init(index: Int, text: String, finishReason: String?) {
            self.index = index
            self.text = text
            self.finishReason = finishReason
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(index, forKey: .index)
            try container.encode(text, forKey: .text)
            try container.encode(finishReason, forKey: .finishReason)
        }
    }

    enum CodingKeys: String, CodingKey {
        case id, object, created, model, choices, usage
        case systemFingerprint = "system_fingerprint"
    }

    public init(id: String, created: Int64, model: String, choices: [Choice], usage: Usage?) {
        self.id = id
        self.object = "text_completion"
        self.created = created
        self.model = model
        self.systemFingerprint = "fp_ollama"
        self.choices = choices
        self.usage = usage
    }
}

/// `POST /v1/embeddings`.
public struct OpenAIEmbeddingRequest: Sendable, Hashable, PreservesUnknownFields {
    public var model: String
    public var input: EmbedInput
    /// `float` (default) or `base64` (little-endian float32).
    public var encodingFormat: String?
    public var dimensions: Int?
    public var extra: JSONObject = [:]

    enum CodingKeys: String, CodingKey, CaseIterable {
        case model, input, dimensions
        case encodingFormat = "encoding_format"
    }

    public static let knownKeys = Set(CodingKeys.allCases.map(\.rawValue))

    public init(model: String, input: EmbedInput) {
        self.model = model
        self.input = input
    }
}

/// The `/v1/embeddings` response (`object: "list"`).
public struct OpenAIEmbeddingList: Sendable, Hashable, Codable {
    public var object: String
    public var data: [Embedding]
    public var model: String
    public var usage: EmbeddingUsage

    /// One vector; `embedding` is a float array, or a base64 string when asked for.
    public struct Embedding: Sendable, Hashable, Codable {
        public var object: String
        public var embedding: JSONValue
        public var index: Int

        public init(embedding: JSONValue, index: Int) {
            self.object = "embedding"
            self.embedding = embedding
            self.index = index
        }
    }

    /// Embeddings count only prompt tokens.
    public struct EmbeddingUsage: Sendable, Hashable, Codable {
        public var promptTokens: Int
        public var totalTokens: Int

        enum CodingKeys: String, CodingKey {
            case promptTokens = "prompt_tokens"
            case totalTokens = "total_tokens"
        }

        public init(promptTokens: Int) {
            self.promptTokens = promptTokens
            self.totalTokens = promptTokens
        }
    }

    public init(data: [Embedding], model: String, promptTokens: Int) {
        self.object = "list"
        self.data = data
        self.model = model
        self.usage = EmbeddingUsage(promptTokens: promptTokens)
    }
}

/// `GET /v1/models` (`object: "list"`).
public struct OpenAIModelList: Sendable, Hashable, Codable {
    public var object: String
    public var data: [OpenAIModel]

    public init(data: [OpenAIModel]) {
        self.object = "list"
        self.data = data
    }
}

/// One model in the OpenAI shape; `created` is the model's modification time in Unix seconds.
public struct OpenAIModel: Sendable, Hashable, Codable {
    public var id: String
    public var object: String
    public var created: Int64
    public var ownedBy: String

    enum CodingKeys: String, CodingKey {
        case id, object, created
        case ownedBy = "owned_by"
    }

    public init(id: String, created: Int64, ownedBy: String = "library") {
        self.id = id
        self.object = "model"
        self.created = created
        self.ownedBy = ownedBy
    }
}

/// The OpenAI error body: `{"error": {"message", "type", "param": null, "code": null}}`.
public struct OpenAIErrorResponse: Sendable, Hashable, Codable {
    public var error: Detail

    /// What went wrong; `type` follows the HTTP status.
    public struct Detail: Sendable, Hashable, Codable {
        public var message: String
        public var type: String
        public var param: String?
        public var code: String?

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(message, forKey: .message)
            try container.encode(type, forKey: .type)
            try container.encode(param, forKey: .param)
            try container.encode(code, forKey: .code)
        }
    }

    /// The error for an HTTP status: 400 `invalid_request_error`, 404 `not_found_error`, else `api_error`.
    public init(status: Int, message: String) {
        let type =
            switch status {
            case 400: "invalid_request_error"
            case 404: "not_found_error"
            default: "api_error"
            }
        self.error = Detail(message: message, type: type, param: nil, code: nil)
    }
}
