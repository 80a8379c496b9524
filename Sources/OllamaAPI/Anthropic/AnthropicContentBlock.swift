/// A content block, in requests and in answers: `text`, `image` (base64 `source`), `tool_use`
/// (`id`, `name`, `input`), `tool_result` (`tool_use_id`, `content`, `is_error`) or `thinking`
/// (`thinking`, `signature`). Fields the block has are present, others are omitted; fields this
/// type does not model (`cache_control`, `citations`, ...) stay in `extra`.
public struct AnthropicContentBlock: Sendable, Hashable, Codable {
    public var type: String
    public var text: String?
    public var source: AnthropicImageSource?
    public var id: String?
    public var name: String?
    /// A tool call's arguments, always a JSON object.
    public var input: JSONObject?
    public var toolUseID: String?
    /// A tool result: a string or a list of `text` and `image` blocks.
    public var content: JSONValue?
    public var isError: Bool?
    public var thinking: String?
    public var signature: String?
    public var extra: JSONObject = [:]

    enum CodingKeys: String, CodingKey, CaseIterable {
        case type, text, source, id, name, input, content, thinking, signature
        case toolUseID = "tool_use_id"
        case isError = "is_error"
    }

    private static let knownKeys = Set(CodingKeys.allCases.map(\.rawValue))

    /// A block of the given type with no fields; set the ones it carries.
    public init(type: String) {
        self.type = type
    }

    /// A `text` block.
    public static func text(_ text: String) -> Self {
        var block = Self(type: "text")
        block.text = text
        return block
    }

    /// A `thinking` block; Ollama sends no `signature`.
    public static func thinking(_ thinking: String, signature: String? = nil) -> Self {
        var block = Self(type: "thinking")
        block.thinking = thinking
        block.signature = signature
        return block
    }

    /// A `tool_use` block: the model calls `name` with `input`.
    public static func toolUse(id: String, name: String, input: JSONObject) -> Self {
        var block = Self(type: "tool_use")
        block.id = id
        block.name = name
        block.input = input
        return block
    }

    /// A `tool_result` block answering the call `toolUseID`.
    public static func toolResult(toolUseID: String, content: JSONValue?, isError: Bool? = nil) -> Self {
        var block = Self(type: "tool_result")
        block.toolUseID = toolUseID
        block.content = content
        block.isError = isError
        return block
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        type = try container.decode(String.self, forKey: .type)
        text = try container.decodeIfPresent(String.self, forKey: .text)
        source = try container.decodeIfPresent(AnthropicImageSource.self, forKey: .source)
        id = try container.decodeIfPresent(String.self, forKey: .id)
        name = try container.decodeIfPresent(String.self, forKey: .name)
        input = try container.decodeIfPresent(JSONObject.self, forKey: .input)
        toolUseID = try container.decodeIfPresent(String.self, forKey: .toolUseID)
        content = try container.decodeIfPresent(JSONValue.self, forKey: .content)
        isError = try container.decodeIfPresent(Bool.self, forKey: .isError)
        thinking = try container.decodeIfPresent(String.self, forKey: .thinking)
        signature = try container.decodeIfPresent(String.self, forKey: .signature)
        extra = try AnyCodingKey.extra(from: decoder, known: Self.knownKeys)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(type, forKey: .type)
        try container.encodeIfPresent(text, forKey: .text)
        try container.encodeIfPresent(source, forKey: .source)
        try container.encodeIfPresent(id, forKey: .id)
        try container.encodeIfPresent(name, forKey: .name)
        try container.encodeIfPresent(input, forKey: .input)
        try container.encodeIfPresent(toolUseID, forKey: .toolUseID)
        try container.encodeIfPresent(content, forKey: .content)
        try container.encodeIfPresent(isError, forKey: .isError)
        try container.encodeIfPresent(thinking, forKey: .thinking)
        try container.encodeIfPresent(signature, forKey: .signature)
        try AnyCodingKey.encode(extra, to: encoder, known: Self.knownKeys)
    }
}

/// An image's `source`: Ollama takes only `{"type": "base64", "media_type", "data"}`.
public struct AnthropicImageSource: Sendable, Hashable, Codable {
    public var type: String
    public var mediaType: String?
    public var data: String?
    public var url: String?

    enum CodingKeys: String, CodingKey {
        case type, data, url
        case mediaType = "media_type"
    }

    public init(type: String, mediaType: String? = nil, data: String? = nil, url: String? = nil) {
        self.type = type
        self.mediaType = mediaType
        self.data = data
        self.url = url
    }
}

/// Any string key, for the fields of nested objects this package does not model.
struct AnyCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }

    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }

    /// The fields of the object being decoded whose keys are not in `known`.
    static func extra(from decoder: any Decoder, known: Set<String>) throws -> JSONObject {
        let container = try decoder.container(keyedBy: AnyCodingKey.self)
        var extra: JSONObject = [:]
        for key in container.allKeys where !known.contains(key.stringValue) {
            extra[key.stringValue] = try container.decode(JSONValue.self, forKey: key)
        }
        return extra
    }

    /// Adds `extra`'s fields, except those in `known`, to the object being encoded.
    static func encode(_ extra: JSONObject, to encoder: any Encoder, known: Set<String>) throws {
        guard !extra.isEmpty else { return }
        var container = encoder.container(keyedBy: AnyCodingKey.self)
        for (key, value) in extra where !known.contains(key) {
            try container.encode(value, forKey: AnyCodingKey(stringValue: key))
        }
    }
}
