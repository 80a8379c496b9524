/// One server-sent event of a streamed `/v1/responses` answer, written as
/// `event: <type>\ndata: <json>\n\n`; the JSON repeats `type` and numbers the event in
/// `sequence_number`, from 0.
///
/// Ollama's events: `response.created`, `response.in_progress` (with `response`);
/// `response.output_item.added` and `.done` (`output_index`, `item`);
/// `response.content_part.added` and `.done` (`part`); `response.output_text.delta` (`delta`) and
/// `.done` (`text`); `response.reasoning_summary_text.delta` and `.done` (`summary_index`);
/// `response.function_call_arguments.delta` and `.done` (`arguments`); `response.completed`.
/// Fields an event does not have are omitted.
public struct ResponsesStreamEvent: Sendable, Hashable, Codable {
    public var type: String
    public var sequenceNumber: Int
    public var response: ResponsesObject?
    public var outputIndex: Int?
    public var item: ResponsesOutputItem?
    public var itemID: String?
    public var contentIndex: Int?
    public var summaryIndex: Int?
    public var part: ResponsesOutputContent?
    public var delta: String?
    public var text: String?
    public var arguments: String?
    /// Always empty, on the output-text events.
    public var logprobs: [JSONValue]?

    enum CodingKeys: String, CodingKey {
        case type, response, item, part, delta, text, arguments, logprobs
        case sequenceNumber = "sequence_number"
        case outputIndex = "output_index"
        case itemID = "item_id"
        case contentIndex = "content_index"
        case summaryIndex = "summary_index"
    }

    /// An event with only its type and number; set the fields it carries.
    public init(type: String, sequenceNumber: Int) {
        self.type = type
        self.sequenceNumber = sequenceNumber
    }

    /// The content delta types, where time to first token and inter-token gaps are measured.
    public static let deltaTypes: Set<String> = [
        "response.output_text.delta", "response.reasoning_summary_text.delta", "response.function_call_arguments.delta",
    ]
}

/// The `error` event that ends a stream which failed after it began:
/// `{"type": "error", "code", "message", "param": null, "sequence_number"}`, the shape the
/// official client reads as `ResponseErrorEvent`.
public struct ResponsesErrorEvent: Sendable, Hashable, Codable {
    public var type: String
    public var code: String?
    public var message: String
    public var param: String?
    public var sequenceNumber: Int

    enum CodingKeys: String, CodingKey {
        case type, code, message, param
        case sequenceNumber = "sequence_number"
    }

    /// - Parameters:
    ///   - code: the error code (`api_error` for a server failure).
    ///   - message: what went wrong.
    ///   - sequenceNumber: the stream's next number.
    public init(code: String? = "api_error", message: String, sequenceNumber: Int) {
        self.type = "error"
        self.code = code
        self.message = message
        self.sequenceNumber = sequenceNumber
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(type, forKey: .type)
        try container.encode(code, forKey: .code)
        try container.encode(message, forKey: .message)
        try container.encode(param, forKey: .param)
        try container.encode(sequenceNumber, forKey: .sequenceNumber)
    }
}
