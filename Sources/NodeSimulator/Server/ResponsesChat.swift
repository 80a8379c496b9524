import Foundation
import OllamaAPI

/// A `/v1/responses` request as the chat Ollama runs for it (its `FromResponsesRequest`):
/// `instructions` first as a system message, a string `input` as a user message, items in order
/// (function calls join the assistant message before them, their outputs become tool messages),
/// `reasoning.effort` as `think`, `text.format` `json_schema` as the format.
///
/// Refuses what Ollama refuses, with its texts: input items and content parts of unknown type,
/// file inputs, image URLs that are not base64 data, function call arguments that are not a
/// JSON object, and an unknown reasoning effort.
struct ResponsesChat: Sendable {
    /// A refused request: Ollama's 400 message.
    struct Refusal: Error {
        var message: String
    }

    /// The chat's messages, as the plan counts them.
    var messages: [(role: String, content: String)] = []
    var tools: [Tool] = []
    var think: Think?
    var format: ResponseFormat?

    init(_ request: ResponsesRequest) throws(Refusal) {
        let items: [ResponsesInputItem]
        switch request.input {
        case .items(let list): items = list
        case .text, nil: items = []
        }
        // Ollama rejects unknown item and part types while decoding, before it converts anything.
        for (index, item) in items.enumerated() {
            try Self.checkTypes(item, at: index)
        }
        if let instructions = request.instructions, !instructions.isEmpty {
            messages.append(("system", instructions))
        }
        if case .text(let text) = request.input, !text.isEmpty {
            messages.append(("user", text))
        }
        try convert(items)
        think = try Self.think(effort: request.reasoning?.effort ?? "")
        tools = (request.tools ?? []).flatMap { Self.expand($0, prefix: nil) }
        if let format = request.text?.format, format.type == "json_schema", let schema = format.schema?.objectValue {
            self.format = .schema(schema)
        }
    }

    /// Appends the items' messages in Ollama's grouping.
    private mutating func convert(_ items: [ResponsesInputItem]) throws(Refusal) {
        var pendingThinking = false
        // The call ids of the last message, when it is an assistant message with tool calls.
        var lastCallIDs: Set<String> = []
        for (index, item) in items.enumerated() {
            switch Self.kind(of: item) {
            case "reasoning":
                pendingThinking = !(item.encryptedContent ?? "").isEmpty
            case "message":
                let role = item.role ?? ""
                let content = try Self.text(of: item.content)
                pendingThinking = pendingThinking && role != "assistant"
                // An assistant message replayed between a call and its output joins the call's message.
                if role == "assistant", index + 1 < items.count, Self.kind(of: items[index + 1]) == "function_call_output",
                    let callID = items[index + 1].callID, lastCallIDs.contains(callID), let last = messages.indices.last
                {
                    let joined = messages[last].content
                    messages[last].content = joined.isEmpty || content.isEmpty ? joined + content : joined + "\n" + content
                    continue
                }
                messages.append((role, content))
                lastCallIDs = []
            case "function_call":
                try Self.checkArguments(item.arguments ?? "")
                if messages.last?.role == "assistant" {
                    lastCallIDs.insert(item.callID ?? "")
                } else {
                    messages.append(("assistant", ""))
                    lastCallIDs = [item.callID ?? ""]
                }
                pendingThinking = false
            case "function_call_output":
                messages.append(("tool", try Self.text(of: item.output)))
                lastCallIDs = []
            default:
                break  // web_search_call: history only
            }
        }
        if pendingThinking { messages.append(("assistant", "")) }
    }

    /// The item's type; a message may leave it out when it has a role.
    private static func kind(of item: ResponsesInputItem) -> String {
        if let type = item.type, !type.isEmpty { return type }
        return item.role.map { $0.isEmpty ? "" : "message" } ?? ""
    }

    private static let itemTypes: Set<String> = ["message", "function_call", "function_call_output", "reasoning", "web_search_call"]
    private static let partTypes: Set<String> = ["input_text", "input_image", "output_text", "input_file"]

    private static func checkTypes(_ item: ResponsesInputItem, at index: Int) throws(Refusal) {
        let type = kind(of: item)
        guard !type.isEmpty else { throw Refusal(message: "input[\(index)]: input item missing required 'type' field") }
        guard itemTypes.contains(type) else { throw Refusal(message: "input[\(index)]: unknown input item type: \"\(type)\"") }
        let (field, content) = type == "function_call_output" ? ("output", item.output) : ("content", item.content)
        guard type == "message" || type == "function_call_output", case .parts(let parts) = content else { return }
        for (partIndex, part) in parts.enumerated() where !partTypes.contains(part.type ?? "") {
            throw Refusal(message: "input[\(index)]: \(field)[\(partIndex)]: unknown content type: \(part.type ?? "")")
        }
    }

    /// The text of a content: the string, or the text parts joined; images are checked, files refused.
    private static func text(of content: ResponsesMessageContent?) throws(Refusal) -> String {
        switch content {
        case nil: return ""
        case .text(let text): return text
        case .parts(let parts):
            var text = ""
            for part in parts {
                switch part.type {
                case "input_text", "output_text": text += part.text ?? ""
                case "input_image": try checkImage(part.imageURL ?? "")
                case "input_file": throw Refusal(message: "file inputs are not currently supported")
                default: break
                }
            }
            return text
        }
    }

    /// Ollama's `decodeImageURL`: base64 data URLs of JPEG, PNG or WebP images (or no type); no links.
    private static func checkImage(_ url: String) throws(Refusal) {
        guard !url.isEmpty else { return }
        if url.hasPrefix("http://") || url.hasPrefix("https://") {
            throw Refusal(message: "image URLs are not currently supported, please use base64 encoded data instead")
        }
        let prefixes = ["data:;base64,"] + ["jpeg", "jpg", "png", "webp"].map { "data:image/\($0);base64," }
        guard let prefix = prefixes.first(where: { url.hasPrefix($0) }), Data(base64Encoded: String(url.dropFirst(prefix.count))) != nil
        else { throw Refusal(message: "invalid image input") }
    }

    /// Function call arguments must be a JSON object (or empty).
    private static func checkArguments(_ arguments: String) throws(Refusal) {
        guard !arguments.isEmpty else { return }
        let bytes = Array(arguments.utf8)
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(bytes)) else {
            throw Refusal(message: "failed to parse function call arguments: \(BodyDecoding.syntaxMessage(bytes))")
        }
        guard value.objectValue != nil || value == .null else {
            let problem = "json: cannot unmarshal \(value.typeName) into Go value of type map[string]interface {}"
            throw Refusal(message: "failed to parse function call arguments: \(problem)")
        }
    }

    /// Ollama's `thinkFromReasoningEffort`: efforts beyond its tiers are clamped to them.
    static func think(effort: String) throws(Refusal) -> Think? {
        switch effort {
        case "": return nil
        case "none": return .enabled(false)
        case "minimal": return .level("low")
        case "low", "medium", "high", "max": return .level(effort)
        case "xhigh", "ultra": return .level("max")
        default:
            let allowed = #""minimal", "low", "medium", "high", "xhigh", "ultra", "max", or "none""#
            throw Refusal(message: "invalid reasoning value: \"\(effort)\" (must be \(allowed))")
        }
    }

    /// A tool as chat tools: a namespace becomes its members, named `namespace.member`. The
    /// built-in `web_search` (which Ollama runs against its cloud) is not simulated.
    private static func expand(_ tool: ResponsesTool, prefix: String?) -> [Tool] {
        if tool.type == "web_search" { return [] }
        if tool.type == "namespace" {
            let inner = tool.name.isEmpty ? prefix : (prefix.map { "\($0).\(tool.name)" } ?? tool.name)
            return (tool.tools ?? []).flatMap { expand($0, prefix: inner) }
        }
        let name = prefix.map { tool.name.hasPrefix("\($0).") ? tool.name : "\($0).\(tool.name)" } ?? tool.name
        return [Tool(function: .init(name: name, description: tool.description, parameters: tool.parameters))]
    }
}
