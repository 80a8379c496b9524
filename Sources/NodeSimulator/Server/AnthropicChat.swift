import Foundation
import OllamaAPI

/// A `/v1/messages` request as the chat Ollama runs for it (its `FromMessagesRequest`): `system`
/// first as a system message, each message's blocks joined (text appended, `tool_use` as tool
/// calls, `tool_result` as tool messages ahead of the user's text, `thinking` kept), `max_tokens`
/// as `num_predict`, `stop_sequences` as `stop`, `thinking` as `think`.
///
/// Refuses what Ollama refuses, with its texts: a missing model, a `max_tokens` that is not
/// positive, no messages, images that are not valid base64, `tool_use` blocks without `id` or
/// `name`, and a tool whose `input_schema` is not an object.
struct AnthropicChat: Sendable {
    /// A refused request: Ollama's 400 message.
    struct Refusal: Error, Equatable {
        var message: String
    }

    /// The chat's messages, as the plan counts them.
    var messages: [(role: String, content: String)] = []
    var tools: [Tool] = []
    var think: Think?
    /// `num_predict`, `temperature`, `top_p`, `top_k` and `stop`, as Ollama's options.
    var options: JSONObject = [:]

    init(_ request: AnthropicMessagesRequest) throws(Refusal) {
        guard !request.model.isEmpty else { throw Refusal(message: "model is required") }
        guard request.maxTokens > 0 else { throw Refusal(message: "max_tokens is required and must be positive") }
        guard !request.messages.isEmpty else { throw Refusal(message: "messages is required") }
        if let system = request.system?.text, !system.isEmpty {
            messages.append(("system", system))
        }
        for message in request.messages {
            try convert(message)
        }
        options["num_predict"] = .int(Int64(request.maxTokens))
        if let temperature = request.temperature { options["temperature"] = .double(temperature) }
        if let topP = request.topP { options["top_p"] = .double(topP) }
        if let topK = request.topK { options["top_k"] = .int(Int64(topK)) }
        if let stop = request.stopSequences, !stop.isEmpty { options["stop"] = .array(stop.map { .string($0) }) }
        let webSearch = (request.tools ?? []).contains { $0.type?.hasPrefix("web_search") == true }
        for tool in request.tools ?? [] {
            // Ollama drops a client tool named like the built-in web search when both are given.
            if webSearch, tool.type?.hasPrefix("web_search") != true, tool.name == "web_search" { continue }
            tools.append(try Self.tool(tool))
        }
        think = Self.think(request)
    }

    /// Appends one message's chat messages in Ollama's order: a user's tool results come before
    /// its own text, anyone else's after.
    private mutating func convert(_ message: AnthropicMessageParam) throws(Refusal) {
        let role = message.role.lowercased()
        var text = ""
        var thinking = ""
        var hasImages = false
        var toolCalls = 0
        var results: [(role: String, content: String)] = []
        for block in message.content.blocks {
            switch block.type {
            case "text": text += block.text ?? ""
            case "image":
                guard let source = block.source else { throw Refusal(message: "invalid image source") }
                try Self.checkImage(source)
                hasImages = true
            case "tool_use":
                guard !(block.id ?? "").isEmpty else { throw Refusal(message: "tool_use block missing required 'id' field") }
                guard !(block.name ?? "").isEmpty else { throw Refusal(message: "tool_use block missing required 'name' field") }
                toolCalls += 1
            case "tool_result": results.append(("tool", try Self.toolResultText(block.content)))
            case "thinking": thinking = block.thinking ?? thinking
            case "server_tool_use": toolCalls += 1
            case "web_search_tool_result": results.append(("tool", ""))
            default: continue
            }
        }
        if role == "user" { messages += results }
        if !text.isEmpty || hasImages || toolCalls > 0 || !thinking.isEmpty {
            messages.append((role, text))
        }
        if role != "user" { messages += results }
    }

    /// A tool result's text: the string, or its `text` blocks joined; its images must be valid.
    private static func toolResultText(_ content: JSONValue?) throws(Refusal) -> String {
        switch content {
        case .string(let text): return text
        case .array(let blocks):
            var text = ""
            for block in blocks {
                guard let object = block.objectValue else { continue }
                switch object["type"]?.stringValue {
                case "text": text += object["text"]?.stringValue ?? ""
                case "image":
                    guard let source = object["source"]?.objectValue else { throw Refusal(message: "invalid tool_result image source") }
                    try checkImage(
                        AnthropicImageSource(
                            type: source["type"]?.stringValue ?? "",
                            mediaType: source["media_type"]?.stringValue,
                            data: source["data"]?.stringValue
                        )
                    )
                default: continue
                }
            }
            return text
        default: return ""
        }
    }

    /// Ollama takes base64 images only, and decodes them strictly.
    private static func checkImage(_ source: AnthropicImageSource) throws(Refusal) {
        guard source.type == "base64" else {
            throw Refusal(message: "invalid image source type: \(source.type). Only base64 images are supported.")
        }
        if let offset = Self.base64Error(source.data ?? "") {
            throw Refusal(message: "invalid base64 image data: illegal base64 data at input byte \(offset)")
        }
    }

    /// Where Go's standard (padded) base64 decoder gives up on `text`, or nil when it decodes:
    /// an illegal character, a last group cut short, or misplaced padding. Newlines are skipped.
    static func base64Error(_ text: String) -> Int? {
        let bytes = Array(text.utf8)
        let alphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        let newline: (UInt8) -> Bool = { $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }
        let pad = UInt8(ascii: "=")
        var index = 0
        while true {
            var position = 0
            while position < 4 {
                guard index < bytes.count else { return position == 0 ? nil : index - position }
                let byte = bytes[index]
                index += 1
                if newline(byte) { continue }
                if alphabet.contains(byte) {
                    position += 1
                    continue
                }
                guard byte == pad, position >= 2 else { return index - 1 }
                if position == 2 {
                    while index < bytes.count, newline(bytes[index]) { index += 1 }
                    guard index < bytes.count else { return bytes.count }
                    guard bytes[index] == pad else { return index - 1 }
                    index += 1
                }
                while index < bytes.count, newline(bytes[index]) { index += 1 }
                return index < bytes.count ? index : nil
            }
        }
    }

    /// A client tool as an Ollama function; Anthropic's built-in web search becomes Ollama's
    /// `web_search` function with a `query`.
    private static func tool(_ tool: AnthropicTool) throws(Refusal) -> Tool {
        if tool.type?.hasPrefix("web_search") == true {
            let query: JSONValue = ["type": "string", "description": "The search query to look up on the web"]
            return Tool(
                function: .init(
                    name: "web_search",
                    description: "Search the web for current information. Use this to find up-to-date information about any topic.",
                    parameters: ["type": "object", "required": ["query"], "properties": ["query": query]]
                )
            )
        }
        switch tool.inputSchema {
        case .object, .null, nil: break
        case .some(let other):
            let problem = "json: cannot unmarshal \(other.typeName) into Go value of type api.ToolFunctionParameters"
            throw Refusal(message: "invalid input_schema for tool \"\(tool.name)\": \(problem)")
        }
        let parameters = tool.inputSchema == .null ? nil : tool.inputSchema
        return Tool(function: .init(name: tool.name, description: tool.description, parameters: parameters))
    }

    /// `thinking` on or off; without it, `output_config.effort` as a level; else the model's default.
    private static func think(_ request: AnthropicMessagesRequest) -> Think? {
        switch request.thinking?.type {
        case "enabled": return .enabled(true)
        case "disabled": return .enabled(false)
        default: break
        }
        var effort = request.extra["output_config"]?.objectValue?["effort"]?.stringValue?.trimmingCharacters(in: .whitespaces).lowercased()
        if effort == "xhigh" { effort = "high" }
        guard let effort, ["high", "medium", "low", "max"].contains(effort) else { return nil }
        return .level(effort)
    }
}
