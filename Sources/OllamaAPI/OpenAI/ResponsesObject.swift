/// The response object of `/v1/responses` (`object: "response"`), as Ollama writes it: whole, or
/// inside the `response.created`, `response.in_progress` and `response.completed` events.
///
/// Ollama echoes the request's settings with OpenAI's defaults and always writes every field,
/// `null` where it has no value.
public struct ResponsesObject: Sendable, Hashable, Codable {
    public var id: String
    public var object: String
    public var createdAt: Int64
    public var completedAt: Int64?
    /// `in_progress` while streaming, then `completed` (Ollama never reports `incomplete`).
    public var status: String
    public var incompleteDetails: JSONValue?
    public var model: String
    public var previousResponseID: String?
    public var instructions: String?
    public var output: [ResponsesOutputItem]
    public var error: JSONValue?
    public var tools: [ResponsesTool]
    public var toolChoice: JSONValue
    public var truncation: String
    public var parallelToolCalls: Bool
    public var text: ResponsesText
    public var topP: Double
    public var presencePenalty: Double
    public var frequencyPenalty: Double
    public var topLogprobs: Int
    public var temperature: Double
    public var reasoning: ResponsesReasoning?
    public var usage: ResponsesUsage?
    public var maxOutputTokens: Int?
    public var maxToolCalls: Int?
    public var store: Bool
    public var background: Bool
    public var serviceTier: String
    public var metadata: JSONObject
    public var safetyIdentifier: String?
    public var promptCacheKey: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, object, status, model, instructions, output, error, tools, truncation, text, temperature, reasoning, usage, store,
            background, metadata
        case createdAt = "created_at"
        case completedAt = "completed_at"
        case incompleteDetails = "incomplete_details"
        case previousResponseID = "previous_response_id"
        case toolChoice = "tool_choice"
        case parallelToolCalls = "parallel_tool_calls"
        case topP = "top_p"
        case presencePenalty = "presence_penalty"
        case frequencyPenalty = "frequency_penalty"
        case topLogprobs = "top_logprobs"
        case maxOutputTokens = "max_output_tokens"
        case maxToolCalls = "max_tool_calls"
        case serviceTier = "service_tier"
        case safetyIdentifier = "safety_identifier"
        case promptCacheKey = "prompt_cache_key"
    }

    /// The response to `request`, with the request's settings echoed as Ollama echoes them.
    ///
    /// - Parameters:
    ///   - id: `resp_` and a number.
    ///   - createdAt: Unix seconds.
    ///   - status: `in_progress` or `completed`.
    ///   - request: the request whose settings are echoed (defaults: temperature and top_p 1,
    ///     truncation `disabled`, text format `text`, tools `[]`).
    ///   - output: the output items.
    ///   - usage: the token counts, once known.
    public init(
        id: String,
        createdAt: Int64,
        status: String,
        request: ResponsesRequest,
        output: [ResponsesOutputItem],
        usage: ResponsesUsage?
    ) {
        self.id = id
        self.object = "response"
        self.createdAt = createdAt
        self.status = status
        self.model = request.model
        self.instructions = request.instructions.flatMap { $0.isEmpty ? nil : $0 }
        self.output = output
        self.tools = request.tools ?? []
        self.toolChoice = "auto"
        self.truncation = request.truncation ?? "disabled"
        self.parallelToolCalls = true
        self.text = ResponsesText(format: request.text?.format ?? ResponsesTextFormat(type: "text"))
        self.topP = request.topP ?? 1
        self.presencePenalty = 0
        self.frequencyPenalty = 0
        self.topLogprobs = 0
        self.temperature = request.temperature ?? 1
        let effort = request.reasoning?.effort.flatMap { $0.isEmpty ? nil : $0 }
        let summary = request.reasoning?.summary.flatMap { $0.isEmpty ? nil : $0 }
        self.reasoning = effort == nil && summary == nil ? nil : ResponsesReasoning(effort: effort, summary: summary)
        self.usage = usage
        self.maxOutputTokens = request.maxOutputTokens
        self.store = false
        self.background = request.background ?? false
        self.serviceTier = "default"
        self.metadata = [:]
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(object, forKey: .object)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(completedAt, forKey: .completedAt)
        try container.encode(status, forKey: .status)
        try container.encode(incompleteDetails, forKey: .incompleteDetails)
        try container.encode(model, forKey: .model)
        try container.encode(previousResponseID, forKey: .previousResponseID)
        try container.encode(instructions, forKey: .instructions)
        try container.encode(output, forKey: .output)
        try container.encode(error, forKey: .error)
        try container.encode(tools, forKey: .tools)
        try container.encode(toolChoice, forKey: .toolChoice)
        try container.encode(truncation, forKey: .truncation)
        try container.encode(parallelToolCalls, forKey: .parallelToolCalls)
        try container.encode(text, forKey: .text)
        try container.encode(topP, forKey: .topP)
        try container.encode(presencePenalty, forKey: .presencePenalty)
        try container.encode(frequencyPenalty, forKey: .frequencyPenalty)
        try container.encode(topLogprobs, forKey: .topLogprobs)
        try container.encode(temperature, forKey: .temperature)
        try container.encode(reasoning, forKey: .reasoning)
        try container.encode(usage, forKey: .usage)
        try container.encode(maxOutputTokens, forKey: .maxOutputTokens)
        try container.encode(maxToolCalls, forKey: .maxToolCalls)
        try container.encode(store, forKey: .store)
        try container.encode(background, forKey: .background)
        try container.encode(serviceTier, forKey: .serviceTier)
        try container.encode(metadata, forKey: .metadata)
        try container.encode(safetyIdentifier, forKey: .safetyIdentifier)
        try container.encode(promptCacheKey, forKey: .promptCacheKey)
    }

    /// The text of every `output_text` part of the message items, joined (the Python client's `output_text`).
    public var outputText: String {
        output.filter { $0.type == "message" }.flatMap { $0.content ?? [] }.filter { $0.type == "output_text" }.map(\.text).joined()
    }
}

/// An output item: a `message` (`role`, `content`), a `function_call` (`call_id`, `name`,
/// `arguments`) or a `reasoning` item (`summary`, `encrypted_content`). Absent fields are omitted.
public struct ResponsesOutputItem: Sendable, Hashable, Codable {
    public var id: String
    public var type: String
    public var status: String?
    public var role: String?
    public var content: [ResponsesOutputContent]?
    public var callID: String?
    public var name: String?
    /// The call's arguments as a JSON-encoded string.
    public var arguments: String?
    public var summary: [ResponsesSummaryText]?
    /// Ollama writes the reasoning text here in plain text.
    public var encryptedContent: String?

    enum CodingKeys: String, CodingKey {
        case id, type, status, role, content, name, arguments, summary
        case callID = "call_id"
        case encryptedContent = "encrypted_content"
    }

    /// An assistant message item with one `output_text` part, or none while it is `in_progress`.
    public static func message(id: String, status: String, text: String?) -> ResponsesOutputItem {
        var item = ResponsesOutputItem(id: id, type: "message")
        item.status = status
        item.role = "assistant"
        item.content = text.map { [ResponsesOutputContent(text: $0)] } ?? []
        return item
    }

    /// A function call item.
    public static func functionCall(id: String, status: String, callID: String, name: String, arguments: String) -> ResponsesOutputItem {
        var item = ResponsesOutputItem(id: id, type: "function_call")
        item.status = status
        item.callID = callID
        item.name = name
        item.arguments = arguments
        return item
    }

    /// A reasoning item; `text == nil` is the empty item that opens a stream's reasoning.
    public static func reasoning(id: String, text: String?) -> ResponsesOutputItem {
        var item = ResponsesOutputItem(id: id, type: "reasoning")
        item.summary = text.map { [ResponsesSummaryText(text: $0)] } ?? []
        item.encryptedContent = text
        return item
    }

    public init(id: String, type: String) {
        self.id = id
        self.type = type
    }
}

/// A message's content part: `output_text` with (always empty) `annotations` and `logprobs`.
public struct ResponsesOutputContent: Sendable, Hashable, Codable {
    public var type: String
    public var text: String
    public var annotations: [JSONValue]
    public var logprobs: [JSONValue]

    public init(text: String) {
        self.type = "output_text"
        self.text = text
        self.annotations = []
        self.logprobs = []
    }
}

/// Token counts: `input_tokens` and `output_tokens` are Ollama's `prompt_eval_count` and
/// `eval_count`; the details are always zero in Ollama.
public struct ResponsesUsage: Sendable, Hashable, Codable {
    public var inputTokens: Int
    public var outputTokens: Int
    public var totalTokens: Int
    public var inputTokensDetails: InputDetails
    public var outputTokensDetails: OutputDetails

    /// `cached_tokens`.
    public struct InputDetails: Sendable, Hashable, Codable {
        public var cachedTokens: Int

        enum CodingKeys: String, CodingKey {
            case cachedTokens = "cached_tokens"
        }
    }

    /// `reasoning_tokens`.
    public struct OutputDetails: Sendable, Hashable, Codable {
        public var reasoningTokens: Int

        enum CodingKeys: String, CodingKey {
            case reasoningTokens = "reasoning_tokens"
        }
    }

    enum CodingKeys: String, CodingKey {
        case inputTokens = "input_tokens"
        case outputTokens = "output_tokens"
        case totalTokens = "total_tokens"
        case inputTokensDetails = "input_tokens_details"
        case outputTokensDetails = "output_tokens_details"
    }

    public init(inputTokens: Int, outputTokens: Int) {
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.totalTokens = inputTokens + outputTokens
        self.inputTokensDetails = InputDetails(cachedTokens: 0)
        self.outputTokensDetails = OutputDetails(reasoningTokens: 0)
    }
}
