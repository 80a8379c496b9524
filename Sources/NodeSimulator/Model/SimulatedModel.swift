/// One model a simulated node has, with the numbers that drive its timing.
public struct SimulatedModel: Sendable, Hashable {
    /// Full name with tag, e.g. `llama3.2:latest`.
    public var name: String
    public var family: String
    public var parameterSize: String
    public var quantizationLevel: String
    /// Bytes on disk and in memory (reported by `/api/tags` and `/api/ps`).
    public var sizeBytes: Int64
    /// Time to load into memory on first use or after expiry (`load_seconds` in a file).
    public var loadTime: Duration
    /// Prompt processing speed, tokens per second: prompt tokens / this = time to first token.
    public var prefillTokensPerSecond: Double
    /// Generation speed, tokens per second.
    public var decodeTokensPerSecond: Double
    /// Relative standard deviation of each inter-token gap (0.1 = 10%); 0 gives exact gaps.
    public var jitter: Double
    /// Natural answer length when the request sets no limit: drawn in this range per prompt.
    public var minOutputTokens: Int
    public var maxOutputTokens: Int
    public var contextLength: Int
    public var embeddingLength: Int
    /// `completion`, `embedding`, `tools`, `thinking`, `vision`, `insert`.
    public var capabilities: [String]
    /// RFC 3339 modification time, as `/api/tags` reports it.
    public var modifiedAt: String
    /// How concurrent requests of this model slow each other's decoding (``Contention``);
    /// `none` by default.
    public var contention: Contention

    /// The keys of a model in a simulator file (``SimulatorFile/ModelEntry``).
    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, family, jitter, capabilities, contention
        case parameterSize = "parameter_size"
        case quantizationLevel = "quantization_level"
        case sizeBytes = "size_bytes"
        case loadSeconds = "load_seconds"
        case prefillTokensPerSecond = "prefill_tokens_per_second"
        case decodeTokensPerSecond = "decode_tokens_per_second"
        case minOutputTokens = "min_output_tokens"
        case maxOutputTokens = "max_output_tokens"
        case contextLength = "context_length"
        case embeddingLength = "embedding_length"
        case modifiedAt = "modified_at"
    }

    public init(
        name: String,
        family: String = "llama",
        parameterSize: String = "3.2B",
        quantizationLevel: String = "Q4_K_M",
        sizeBytes: Int64 = 2_019_393_189,
        loadTime: Duration = .milliseconds(1500),
        prefillTokensPerSecond: Double = 2000,
        decodeTokensPerSecond: Double = 60,
        jitter: Double = 0.05,
        minOutputTokens: Int = 24,
        maxOutputTokens: Int = 96,
        contextLength: Int = 4096,
        embeddingLength: Int = 3072,
        capabilities: [String] = ["completion", "tools"],
        modifiedAt: String = "2026-01-15T10:00:00Z",
        contention: Contention = .none
    ) {
        self.name = ModelName.normalize(name)
        self.family = family
        self.parameterSize = parameterSize
        self.quantizationLevel = quantizationLevel
        self.sizeBytes = sizeBytes
        self.loadTime = loadTime
        self.prefillTokensPerSecond = prefillTokensPerSecond
        self.decodeTokensPerSecond = decodeTokensPerSecond
        self.jitter = jitter
        self.minOutputTokens = minOutputTokens
        self.maxOutputTokens = maxOutputTokens
        self.contextLength = contextLength
        self.embeddingLength = embeddingLength
        self.capabilities = capabilities
        self.modifiedAt = modifiedAt
        self.contention = contention
    }

    /// A stable digest derived from the name, as `/api/tags` shows one.
    public var digest: String {
        var text = ""
        var hash = stableHash(name)
        for _ in 0..<4 {
            text += String(hash, radix: 16).leftPadded(to: 16)
            hash = stableHash(name, seed: hash)
        }
        return text
    }

    /// The same model under another name (for `/api/copy` and `/api/create`).
    public func renamed(_ newName: String) -> SimulatedModel {
        var copy = self
        copy.name = ModelName.normalize(newName)
        return copy
    }

    public func has(_ capability: String) -> Bool {
        capabilities.contains(capability)
    }

    /// The models a node has unless configured otherwise: a chat model, a small fast one, a
    /// thinking model and an embedding model.
    public static let defaults: [SimulatedModel] = [
        SimulatedModel(name: "llama3.2:latest"),
        SimulatedModel(
            name: "qwen2.5:0.5b",
            family: "qwen2",
            parameterSize: "494.03M",
            sizeBytes: 397_821_319,
            loadTime: .milliseconds(500),
            prefillTokensPerSecond: 6000,
            decodeTokensPerSecond: 180,
            contextLength: 32768,
            embeddingLength: 896
        ),
        SimulatedModel(
            name: "qwen3:4b",
            family: "qwen3",
            parameterSize: "4.0B",
            sizeBytes: 2_497_293_918,
            loadTime: .seconds(2),
            prefillTokensPerSecond: 1500,
            decodeTokensPerSecond: 45,
            contextLength: 40960,
            embeddingLength: 2560,
            capabilities: ["completion", "tools", "thinking"]
        ),
        SimulatedModel(
            name: "nomic-embed-text:latest",
            family: "nomic-bert",
            parameterSize: "137M",
            quantizationLevel: "F16",
            sizeBytes: 274_302_450,
            loadTime: .milliseconds(300),
            prefillTokensPerSecond: 20000,
            decodeTokensPerSecond: 1,
            contextLength: 2048,
            embeddingLength: 768,
            capabilities: ["embedding"]
        ),
    ]

    /// Models the simulated registry offers to `/api/pull` besides the ones a node has.
    public static let registry: [SimulatedModel] = [
        SimulatedModel(
            name: "mistral:7b",
            family: "llama",
            parameterSize: "7.2B",
            sizeBytes: 4_113_301_824,
            loadTime: .seconds(3),
            prefillTokensPerSecond: 900,
            decodeTokensPerSecond: 30
        ),
        SimulatedModel(
            name: "phi3:mini",
            family: "phi3",
            parameterSize: "3.8B",
            sizeBytes: 2_176_178_913,
            loadTime: .milliseconds(1500),
            prefillTokensPerSecond: 1800,
            decodeTokensPerSecond: 55,
            contextLength: 131072
        ),
    ]
}

/// Model names as Ollama treats them: the tag defaults to `latest`, matching ignores case.
public enum ModelName {
    /// `llama3.2` becomes `llama3.2:latest`; a name with a tag is kept.
    public static func normalize(_ name: String) -> String {
        let trimmed = name.trimming(" \t\n")
        let lastComponent = trimmed.split(separator: "/").last ?? Substring(trimmed)
        return lastComponent.contains(":") ? trimmed : trimmed + ":latest"
    }

    /// Whether two names refer to the same model.
    public static func matches(_ lhs: String, _ rhs: String) -> Bool {
        normalize(lhs).lowercased() == normalize(rhs).lowercased()
    }
}

extension String {
    func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }

    func trimming(_ set: String) -> String {
        var view = Substring(self)
        while let first = view.first, set.contains(first) { view = view.dropFirst() }
        while let last = view.last, set.contains(last) { view = view.dropLast() }
        return String(view)
    }
}
