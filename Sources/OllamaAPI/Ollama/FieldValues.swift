/// `think` on generate and chat: a Boolean, or a level such as `"low"`, `"medium"`, `"high"`.
public enum Think: Sendable, Hashable, Codable {
    case enabled(Bool)
    case level(String)

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let flag = try? container.decode(Bool.self) {
            self = .enabled(flag)
        } else {
            self = .level(try container.decode(String.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .enabled(let flag): try container.encode(flag)
        case .level(let level): try container.encode(level)
        }
    }

    /// Whether thinking is on: `true`, or any level.
    public var isEnabled: Bool {
        switch self {
        case .enabled(let flag): flag
        case .level: true
        }
    }
}

/// `format` on generate and chat: `"json"`, or a JSON schema the output must follow.
public enum ResponseFormat: Sendable, Hashable, Codable {
    case json
    case schema(JSONObject)
    /// Anything else a client sent; kept so it round-trips, rejected by a server.
    case other(JSONValue)

    public init(from decoder: any Decoder) throws {
        let value = try JSONValue(from: decoder)
        switch value {
        case .string("json"): self = .json
        case .object(let schema): self = .schema(schema)
        default: self = .other(value)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .json: try JSONValue.string("json").encode(to: encoder)
        case .schema(let schema): try JSONValue.object(schema).encode(to: encoder)
        case .other(let value): try value.encode(to: encoder)
        }
    }
}

/// `keep_alive`: a Go duration string (`"5m"`, `"1h30m"`) or a number of seconds.
///
/// Negative keeps the model loaded forever; zero unloads it as soon as the request ends.
public enum KeepAlive: Sendable, Hashable, Codable {
    case duration(String)
    case seconds(Double)

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let seconds = try? container.decode(Double.self) {
            self = .seconds(seconds)
        } else {
            self = .duration(try container.decode(String.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .duration(let text): try container.encode(text)
        case .seconds(let seconds):
            if let whole = Int64(exactly: seconds) { try container.encode(whole) } else { try container.encode(seconds) }
        }
    }

    /// The length in seconds (negative means forever), or `nil` when the string is not a Go duration.
    public var seconds: Double? {
        switch self {
        case .seconds(let seconds): seconds
        case .duration(let text): GoDuration.parse(text)
        }
    }
}

/// `input` on `/api/embed` and `/v1/embeddings`: one string or a list of strings.
public enum EmbedInput: Sendable, Hashable, Codable {
    case single(String)
    case batch([String])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self = .single(text)
        } else {
            self = .batch(try container.decode([String].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .single(let text): try container.encode(text)
        case .batch(let texts): try container.encode(texts)
        }
    }

    /// The inputs as a list; an empty single string is no input, as in Ollama.
    public var texts: [String] {
        switch self {
        case .single(let text): text.isEmpty ? [] : [text]
        case .batch(let texts): texts
        }
    }
}
