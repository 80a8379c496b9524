/// `POST /api/embed`: embeddings for one input or a batch.
public struct EmbedRequest: Sendable, Hashable, PreservesUnknownFields {
    public var model: String
    public var input: EmbedInput?
    /// Truncate inputs longer than the context (default `true`).
    public var truncate: Bool?
    public var options: JSONObject?
    public var keepAlive: KeepAlive?
    /// Shorten the vectors to this many dimensions (then renormalise).
    public var dimensions: Int?
    public var extra: JSONObject = [:]

    enum CodingKeys: String, CodingKey, CaseIterable {
        case model, input, truncate, options, dimensions
        case keepAlive = "keep_alive"
    }

    public static let knownKeys = Set(CodingKeys.allCases.map(\.rawValue))

    public init(model: String, input: EmbedInput?) {
        self.model = model
        self.input = input
    }
}

/// The `/api/embed` response: one unit-length vector per input.
public struct EmbedResponse: Sendable, Hashable, Codable {
    public var model: String
    public var embeddings: [[Float]]
    public var totalDuration: Int64?
    public var loadDuration: Int64?
    public var promptEvalCount: Int?

    enum CodingKeys: String, CodingKey {
        case model, embeddings
        case totalDuration = "total_duration"
        case loadDuration = "load_duration"
        case promptEvalCount = "prompt_eval_count"
    }

    public init(
        model: String,
        embeddings: [[Float]],
        totalDuration: Int64? = nil,
        loadDuration: Int64? = nil,
        promptEvalCount: Int? = nil
    ) {
        self.model = model
        self.embeddings = embeddings
        self.totalDuration = totalDuration
        self.loadDuration = loadDuration
        self.promptEvalCount = promptEvalCount
    }
}

/// `POST /api/embeddings`, the legacy single-prompt endpoint.
public struct EmbeddingsRequest: Sendable, Hashable, PreservesUnknownFields {
    public var model: String
    public var prompt: String?
    public var options: JSONObject?
    public var keepAlive: KeepAlive?
    public var extra: JSONObject = [:]

    enum CodingKeys: String, CodingKey, CaseIterable {
        case model, prompt, options
        case keepAlive = "keep_alive"
    }

    public static let knownKeys = Set(CodingKeys.allCases.map(\.rawValue))

    public init(model: String, prompt: String?) {
        self.model = model
        self.prompt = prompt
    }
}

/// The legacy `/api/embeddings` response.
public struct EmbeddingsResponse: Sendable, Hashable, Codable {
    public var embedding: [Double]

    public init(embedding: [Double]) {
        self.embedding = embedding
    }
}
