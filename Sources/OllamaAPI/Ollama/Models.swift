/// Model metadata as `/api/tags`, `/api/ps` and `/api/show` report it.
public struct ModelDetails: Sendable, Hashable, Codable {
    public var parentModel: String
    public var format: String
    public var family: String
    public var families: [String]?
    public var parameterSize: String
    public var quantizationLevel: String

    enum CodingKeys: String, CodingKey {
        case format, family, families
        case parentModel = "parent_model"
        case parameterSize = "parameter_size"
        case quantizationLevel = "quantization_level"
    }

    public init(
        parentModel: String = "",
        format: String,
        family: String,
        families: [String]?,
        parameterSize: String,
        quantizationLevel: String
    ) {
        self.parentModel = parentModel
        self.format = format
        self.family = family
        self.families = families
        self.parameterSize = parameterSize
        self.quantizationLevel = quantizationLevel
    }
}

/// `GET /api/tags`: the models a server has.
public struct ListResponse: Sendable, Hashable, Codable {
    public var models: [ListedModel]

    public init(models: [ListedModel]) {
        self.models = models
    }
}

/// One entry of `/api/tags`.
public struct ListedModel: Sendable, Hashable, Codable {
    public var name: String
    public var model: String
    public var modifiedAt: String
    public var size: Int64
    public var digest: String
    public var details: ModelDetails

    enum CodingKeys: String, CodingKey {
        case name, model, size, digest, details
        case modifiedAt = "modified_at"
    }

    public init(name: String, model: String, modifiedAt: String, size: Int64, digest: String, details: ModelDetails) {
        self.name = name
        self.model = model
        self.modifiedAt = modifiedAt
        self.size = size
        self.digest = digest
        self.details = details
    }
}

/// `GET /api/ps`: the models loaded in memory.
public struct ProcessResponse: Sendable, Hashable, Codable {
    public var models: [RunningModel]

    public init(models: [RunningModel]) {
        self.models = models
    }
}

/// One entry of `/api/ps`.
public struct RunningModel: Sendable, Hashable, Codable {
    public var name: String
    public var model: String
    public var size: Int64
    public var digest: String
    public var details: ModelDetails
    /// When the model unloads unless used again (RFC 3339).
    public var expiresAt: String
    public var sizeVRAM: Int64
    public var contextLength: Int?

    enum CodingKeys: String, CodingKey {
        case name, model, size, digest, details
        case expiresAt = "expires_at"
        case sizeVRAM = "size_vram"
        case contextLength = "context_length"
    }

    public init(
        name: String,
        model: String,
        size: Int64,
        digest: String,
        details: ModelDetails,
        expiresAt: String,
        sizeVRAM: Int64,
        contextLength: Int?
    ) {
        self.name = name
        self.model = model
        self.size = size
        self.digest = digest
        self.details = details
        self.expiresAt = expiresAt
        self.sizeVRAM = sizeVRAM
        self.contextLength = contextLength
    }
}

/// `POST /api/show`.
public struct ShowRequest: Sendable, Hashable, PreservesUnknownFields {
    public var model: String?
    /// Older clients send `name`.
    public var name: String?
    public var verbose: Bool?
    public var extra: JSONObject = [:]

    enum CodingKeys: String, CodingKey, CaseIterable {
        case model, name, verbose
    }

    public static let knownKeys = Set(CodingKeys.allCases.map(\.rawValue))

    public init(model: String) {
        self.model = model
    }
}

/// The `/api/show` response.
public struct ShowResponse: Sendable, Hashable, Codable {
    public var modelfile: String
    public var parameters: String?
    public var template: String
    public var details: ModelDetails
    public var modelInfo: JSONObject
    public var capabilities: [String]
    public var modifiedAt: String?

    enum CodingKeys: String, CodingKey {
        case modelfile, parameters, template, details, capabilities
        case modelInfo = "model_info"
        case modifiedAt = "modified_at"
    }

    public init(
        modelfile: String,
        parameters: String?,
        template: String,
        details: ModelDetails,
        modelInfo: JSONObject,
        capabilities: [String],
        modifiedAt: String?
    ) {
        self.modelfile = modelfile
        self.parameters = parameters
        self.template = template
        self.details = details
        self.modelInfo = modelInfo
        self.capabilities = capabilities
        self.modifiedAt = modifiedAt
    }
}

/// `GET /api/version`.
public struct VersionResponse: Sendable, Hashable, Codable {
    public var version: String

    public init(version: String) {
        self.version = version
    }
}

/// Ollama's error body: `{"error": "..."}`, also sent as a line inside a stream.
public struct ErrorResponse: Sendable, Hashable, Codable, Error {
    public var error: String

    public init(error: String) {
        self.error = error
    }
}
