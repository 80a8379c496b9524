import Foundation

/// One server-sent event of a streamed `/v1/messages` answer, written as
/// `event: <type>\ndata: <json>\n\n` where the JSON repeats the type in `type`.
///
/// Ollama's order: `message_start` (with `usage.input_tokens`) when the first token comes; per
/// block `content_block_start`, its `content_block_delta`s (`text_delta`, `thinking_delta`, or one
/// `input_json_delta` with a tool call's whole input) and `content_block_stop`; then
/// `message_delta` (`stop_reason`, `usage.output_tokens`) and `message_stop`. A stream that fails
/// midway ends with `error`. Events of other types decode as ``other(type:_:)``.
public enum AnthropicStreamEvent: Sendable, Hashable, Codable {
    case messageStart(AnthropicMessagesResponse)
    case contentBlockStart(index: Int, block: AnthropicContentBlock)
    case contentBlockDelta(index: Int, delta: AnthropicDelta)
    case contentBlockStop(index: Int)
    case messageDelta(AnthropicMessageDelta, usage: AnthropicUsage)
    case messageStop
    case ping
    case error(AnthropicErrorResponse.Detail)
    case other(type: String, JSONObject)

    /// The event name, which is also the JSON's `type`.
    public var type: String {
        switch self {
        case .messageStart: "message_start"
        case .contentBlockStart: "content_block_start"
        case .contentBlockDelta: Self.contentDeltaType
        case .contentBlockStop: "content_block_stop"
        case .messageDelta: "message_delta"
        case .messageStop: "message_stop"
        case .ping: "ping"
        case .error: "error"
        case .other(let type, _): type
        }
    }

    /// The event that carries content (text, thinking or tool input): where time to first token
    /// and inter-token gaps are measured.
    public static let contentDeltaType = "content_block_delta"

    /// The event as a server-sent event frame.
    public func sseEvent() throws -> SSEEvent {
        SSEEvent(event: type, data: String(decoding: try OllamaJSON.encode(self), as: UTF8.self))
    }

    enum CodingKeys: String, CodingKey {
        case type, message, index, delta, usage, error
        case contentBlock = "content_block"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let type = try container.decode(String.self, forKey: .type)
        switch type {
        case "message_start": self = .messageStart(try container.decode(AnthropicMessagesResponse.self, forKey: .message))
        case "content_block_start":
            self = .contentBlockStart(
                index: try container.decode(Int.self, forKey: .index),
                block: try container.decode(AnthropicContentBlock.self, forKey: .contentBlock)
            )
        case "content_block_delta":
            self = .contentBlockDelta(
                index: try container.decode(Int.self, forKey: .index),
                delta: try container.decode(AnthropicDelta.self, forKey: .delta)
            )
        case "content_block_stop": self = .contentBlockStop(index: try container.decode(Int.self, forKey: .index))
        case "message_delta":
            self = .messageDelta(
                try container.decode(AnthropicMessageDelta.self, forKey: .delta),
                usage: try container.decodeIfPresent(AnthropicUsage.self, forKey: .usage) ?? AnthropicUsage(inputTokens: 0, outputTokens: 0)
            )
        case "message_stop": self = .messageStop
        case "ping": self = .ping
        case "error": self = .error(try container.decode(AnthropicErrorResponse.Detail.self, forKey: .error))
        default:
            var object = try decoder.singleValueContainer().decode(JSONObject.self)
            object["type"] = nil
            self = .other(type: type, object)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        if case .other(let type, var object) = self {
            object["type"] = .string(type)
            var single = encoder.singleValueContainer()
            try single.encode(object)
            return
        }
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(type, forKey: .type)
        switch self {
        case .messageStart(let message): try container.encode(message, forKey: .message)
        case .contentBlockStart(let index, let block):
            try container.encode(index, forKey: .index)
            try container.encode(block, forKey: .contentBlock)
        case .contentBlockDelta(let index, let delta):
            try container.encode(index, forKey: .index)
            try container.encode(delta, forKey: .delta)
        case .contentBlockStop(let index): try container.encode(index, forKey: .index)
        case .messageDelta(let delta, let usage):
            try container.encode(delta, forKey: .delta)
            try container.encode(usage, forKey: .usage)
        case .error(let detail): try container.encode(detail, forKey: .error)
        case .messageStop, .ping, .other: break
        }
    }
}

/// A `content_block_delta`'s `delta`: `text_delta` (`text`), `thinking_delta` (`thinking`),
/// `input_json_delta` (`partial_json`) or `signature_delta` (`signature`).
public struct AnthropicDelta: Sendable, Hashable, Codable {
    public var type: String
    public var text: String?
    public var partialJSON: String?
    public var thinking: String?
    public var signature: String?

    enum CodingKeys: String, CodingKey {
        case type, text, thinking, signature
        case partialJSON = "partial_json"
    }

    /// A delta of the given type with no fields; set the one it carries.
    public init(type: String) {
        self.type = type
    }

    /// A piece of answer text.
    public static func text(_ text: String) -> Self {
        var delta = Self(type: "text_delta")
        delta.text = text
        return delta
    }

    /// A piece of reasoning.
    public static func thinking(_ thinking: String) -> Self {
        var delta = Self(type: "thinking_delta")
        delta.thinking = thinking
        return delta
    }

    /// A piece of a tool call's input JSON (Ollama sends the whole input in one).
    public static func inputJSON(_ partialJSON: String) -> Self {
        var delta = Self(type: "input_json_delta")
        delta.partialJSON = partialJSON
        return delta
    }
}

/// A `message_delta`'s `delta`: why the answer ended.
public struct AnthropicMessageDelta: Sendable, Hashable, Codable {
    public var stopReason: String?
    public var stopSequence: String?

    enum CodingKeys: String, CodingKey {
        case stopReason = "stop_reason"
        case stopSequence = "stop_sequence"
    }

    public init(stopReason: String?, stopSequence: String? = nil) {
        self.stopReason = stopReason
        self.stopSequence = stopSequence
    }
}
