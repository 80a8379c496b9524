/// `POST /v1/responses`: the stateless OpenAI Responses API as Ollama serves it.
///
/// Fields Ollama does not read (`previous_response_id`, `conversation`, `include`, `store`, ...)
/// stay in `extra`; `tool_choice` and `metadata` are kept as any JSON, since Ollama ignores them.
public struct ResponsesRequest: Sendable, Hashable, PreservesUnknownFields {
    public var model: String
    /// A string (one user message) or a list of input items.
    public var input: ResponsesInput?
    /// Becomes a system message ahead of the input.
    public var instructions: String?
    public var tools: [ResponsesTool]?
    public var toolChoice: JSONValue?
    public var stream: Bool?
    public var temperature: Double?
    public var topP: Double?
    /// Ollama's `num_predict`.
    public var maxOutputTokens: Int?
    public var reasoning: ResponsesReasoning?
    public var text: ResponsesText?
    public var truncation: String?
    public var metadata: JSONValue?
    public var background: Bool?
    public var extra: JSONObject = [:]

    enum CodingKeys: String, CodingKey, CaseIterable {
        case model, input, instructions, tools, stream, temperature, reasoning, text, truncation, metadata, background
        case toolChoice = "tool_choice"
        case topP = "top_p"
        case maxOutputTokens = "max_output_tokens"
    }

    public static let knownKeys = Set(CodingKeys.allCases.map(\.rawValue))

    /// - Parameters:
    ///   - model: the model name.
    ///   - input: the prompt, as text or items.
    ///   - stream: `true` for server-sent events; Ollama's default is one JSON object.
    ///   - maxOutputTokens: the token limit of the answer.
    public init(model: String, input: ResponsesInput?, stream: Bool? = nil, maxOutputTokens: Int? = nil) {
        self.model = model
        self.input = input
        self.stream = stream
        self.maxOutputTokens = maxOutputTokens
    }
}

/// `input`: a string, or a list of items (messages, function calls and their outputs, reasoning).
public enum ResponsesInput: Sendable, Hashable, Codable {
    case text(String)
    case items([ResponsesInputItem])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self = .text(text)
        } else {
            self = .items(try container.decode([ResponsesInputItem].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .text(let text): try container.encode(text)
        case .items(let items): try container.encode(items)
        }
    }
}

/// One input item. `type` says which fields matter: `message` (`role`, `content`; also when
/// `type` is absent and `role` present), `function_call` (`call_id`, `name`, `arguments`),
/// `function_call_output` (`call_id`, `output`) and `reasoning` (`summary`, `encrypted_content`).
///
/// Items of any other type decode too, so they pass through; a server decides what it accepts.
public struct ResponsesInputItem: Sendable, Hashable, Codable {
    public var type: String?
    public var id: String?
    public var status: String?
    public var role: String?
    public var content: ResponsesMessageContent?
    public var callID: String?
    public var name: String?
    /// The call's arguments as a JSON-encoded string.
    public var arguments: String?
    /// A function call's result: text, or content parts.
    public var output: ResponsesMessageContent?
    public var summary: [ResponsesSummaryText]?
    public var encryptedContent: String?

    enum CodingKeys: String, CodingKey {
        case type, id, status, role, content, name, arguments, output, summary
        case callID = "call_id"
        case encryptedContent = "encrypted_content"
    }

    /// A message item.
    public static func message(role: String, _ content: ResponsesMessageContent) -> ResponsesInputItem {
        ResponsesInputItem(type: "message", role: role, content: content)
    }

    /// - Parameters:
    ///   - type: the item's type; `nil` with a `role` is the message shorthand.
    ///   - role: a message's role (`user`, `system`, `developer`, `assistant`).
    ///   - content: a message's content.
    public init(type: String?, role: String? = nil, content: ResponsesMessageContent? = nil) {
        self.type = type
        self.role = role
        self.content = content
    }
}

/// A message's `content` or a function call's `output`: a string or a list of parts.
public enum ResponsesMessageContent: Sendable, Hashable, Codable {
    case text(String)
    case parts([ResponsesContentPart])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self = .text(text)
        } else {
            self = .parts(try container.decode([ResponsesContentPart].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .text(let text): try container.encode(text)
        case .parts(let parts): try container.encode(parts)
        }
    }
}

/// One content part: `input_text` and `output_text` (`text`), `input_image` (`image_url` as a
/// data URL, `detail`), `input_file` (which Ollama refuses).
public struct ResponsesContentPart: Sendable, Hashable, Codable {
    public var type: String?
    public var text: String?
    public var imageURL: String?
    public var detail: String?
    public var fileID: String?
    public var fileData: String?

    enum CodingKeys: String, CodingKey {
        case type, text, detail
        case imageURL = "image_url"
        case fileID = "file_id"
        case fileData = "file_data"
    }

    /// - Parameters:
    ///   - type: `input_text`, `output_text`, `input_image` or `input_file`.
    ///   - text: the text of a text part.
    public init(type: String, text: String? = nil) {
        self.type = type
        self.text = text
    }
}

/// A reasoning summary piece (`{"type": "summary_text", "text": ...}`).
public struct ResponsesSummaryText: Sendable, Hashable, Codable {
    public var type: String
    public var text: String

    public init(text: String) {
        self.type = "summary_text"
        self.text = text
    }
}

/// A tool: a `function` with its JSON-schema `parameters`, or a `namespace` of functions.
///
/// Encoded as Ollama echoes it: `description`, `strict` and `parameters` are always present (`null` when absent).
public struct ResponsesTool: Sendable, Hashable, Codable {
    public var type: String
    public var name: String
    public var description: String?
    public var strict: Bool?
    public var parameters: JSONValue?
    /// A namespace's member tools.
    public var tools: [ResponsesTool]?

    /// - Parameters:
    ///   - name: the function's name.
    ///   - description: what it does, for the model.
    ///   - parameters: a JSON schema of its arguments.
    public init(name: String, description: String? = nil, parameters: JSONValue? = nil) {
        self.type = "function"
        self.name = name
        self.description = description
        self.parameters = parameters
    }

    enum CodingKeys: String, CodingKey {
        case type, name, description, strict, parameters, tools
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(type, forKey: .type)
        try container.encode(name, forKey: .name)
        try container.encode(description, forKey: .description)
        try container.encode(strict, forKey: .strict)
        try container.encode(parameters, forKey: .parameters)
        try container.encodeIfPresent(tools, forKey: .tools)
    }
}

/// `reasoning`: `effort` turns thinking on or off (`none`), `summary` is echoed back.
public struct ResponsesReasoning: Sendable, Hashable, Codable {
    public var effort: String?
    public var summary: String?
    public var generateSummary: String?

    enum CodingKeys: String, CodingKey {
        case effort, summary
        case generateSummary = "generate_summary"
    }

    public init(effort: String? = nil, summary: String? = nil) {
        self.effort = effort
        self.summary = summary
    }
}

/// `text`: the output format.
public struct ResponsesText: Sendable, Hashable, Codable {
    public var format: ResponsesTextFormat?

    public init(format: ResponsesTextFormat?) {
        self.format = format
    }
}

/// `text.format`: `{"type": "text"}`, or `json_schema` with a `name` and a `schema`.
public struct ResponsesTextFormat: Sendable, Hashable, Codable {
    public var type: String
    public var name: String?
    public var schema: JSONValue?
    public var strict: Bool?

    public init(type: String, name: String? = nil, schema: JSONValue? = nil, strict: Bool? = nil) {
        self.type = type
        self.name = name
        self.schema = schema
        self.strict = strict
    }
}
