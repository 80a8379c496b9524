/// `POST /api/pull`.
public struct PullRequest: Sendable, Hashable, PreservesUnknownFields {
    public var model: String?
    public var name: String?
    public var insecure: Bool?
    public var stream: Bool?
    public var extra: JSONObject = [:]

    enum CodingKeys: String, CodingKey, CaseIterable {
        case model, name, insecure, stream
    }

    public static let knownKeys = Set(CodingKeys.allCases.map(\.rawValue))

    public init(model: String, stream: Bool? = nil) {
        self.model = model
        self.stream = stream
    }

    /// `model`, or the older `name`.
    public var modelName: String { model ?? name ?? "" }
}

/// `POST /api/push`.
public struct PushRequest: Sendable, Hashable, PreservesUnknownFields {
    public var model: String?
    public var name: String?
    public var insecure: Bool?
    public var stream: Bool?
    public var extra: JSONObject = [:]

    enum CodingKeys: String, CodingKey, CaseIterable {
        case model, name, insecure, stream
    }

    public static let knownKeys = Set(CodingKeys.allCases.map(\.rawValue))

    public init(model: String, stream: Bool? = nil) {
        self.model = model
        self.stream = stream
    }
}

/// `POST /api/create`: a model from another model, files or parameters.
public struct CreateRequest: Sendable, Hashable, PreservesUnknownFields {
    public var model: String?
    public var from: String?
    public var files: [String: String]?
    public var adapters: [String: String]?
    public var template: String?
    public var license: JSONValue?
    public var system: String?
    public var parameters: JSONObject?
    public var messages: [Message]?
    public var stream: Bool?
    public var quantize: String?
    public var extra: JSONObject = [:]

    enum CodingKeys: String, CodingKey, CaseIterable {
        case model, from, files, adapters, template, license, system, parameters, messages, stream, quantize
    }

    public static let knownKeys = Set(CodingKeys.allCases.map(\.rawValue))

    public init(model: String, from: String? = nil, stream: Bool? = nil) {
        self.model = model
        self.from = from
        self.stream = stream
    }
}

/// One object of the pull, push and create status streams; the last says `"success"`.
public struct ProgressResponse: Sendable, Hashable, Codable {
    public var status: String
    public var digest: String?
    public var total: Int64?
    public var completed: Int64?

    public init(status: String, digest: String? = nil, total: Int64? = nil, completed: Int64? = nil) {
        self.status = status
        self.digest = digest
        self.total = total
        self.completed = completed
    }
}

/// `POST /api/copy`.
public struct CopyRequest: Sendable, Hashable, PreservesUnknownFields {
    public var source: String
    public var destination: String
    public var extra: JSONObject = [:]

    enum CodingKeys: String, CodingKey, CaseIterable {
        case source, destination
    }

    public static let knownKeys = Set(CodingKeys.allCases.map(\.rawValue))

    public init(source: String, destination: String) {
        self.source = source
        self.destination = destination
    }
}

/// `DELETE /api/delete`.
public struct DeleteRequest: Sendable, Hashable, PreservesUnknownFields {
    public var model: String?
    public var name: String?
    public var extra: JSONObject = [:]

    enum CodingKeys: String, CodingKey, CaseIterable {
        case model, name
    }

    public static let knownKeys = Set(CodingKeys.allCases.map(\.rawValue))

    public init(model: String) {
        self.model = model
    }

    /// `model`, or the older `name`.
    public var modelName: String { model ?? name ?? "" }
}
