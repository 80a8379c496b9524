import Foundation
import Hummingbird
import OllamaAPI

extension SimulatorHandlers {
    /// `POST /v1/messages`: the Anthropic Messages API, answered as Ollama answers it (its
    /// middleware turns the request into a chat, and the chat's answer into a message or a
    /// stream of named events). Errors are in Anthropic's shape, with Ollama's statuses.
    func messages(_ request: Request) async throws -> Response {
        let arrival = ContinuousClock.now
        let req = try await decodeBody(
            request,
            as: AnthropicMessagesRequest.self,
            goName: "MessagesRequest",
            zeroValues: ["model": "", "max_tokens": 0, "messages": []],
            style: .anthropic,
            decodeMessage: Self.messagesDecodeMessage
        )
        let chat: AnthropicChat
        do {
            chat = try AnthropicChat(req)
        } catch {
            throw ErrorStyle.anthropic.error(error.message, status: .badRequest)
        }
        let model = try await requiredModel(req.model, style: .anthropic)
        // Ollama relaxes thinking on a model that cannot think, for clients like Claude Code.
        let think = chat.think?.isEnabled == true && !model.has("thinking") ? nil : chat.think
        if let message = Self.capabilityError(model: model, name: req.model, think: think, tools: chat.tools) {
            throw ErrorStyle.anthropic.error(message, status: .badRequest)
        }
        let options = try options(chat.options, style: .anthropic)
        let input = Self.chatInput(
            model: model,
            messages: chat.messages,
            tools: chat.tools,
            limit: options.numPredict,
            seed: options.seed,
            think: think,
            format: nil
        )
        let prepared = try await prepare(request, model: model, input: input, keepAlive: nil, arrival: arrival, style: .anthropic)
        let format = Self.messagesFormat(prepared, messageID: Self.anthropicID("msg"), model: req.model)
        return await answer(prepared, stream: req.stream == true, format: format)
    }

    /// Messages answers: one message, or Ollama's named events from one converter shared by the
    /// stream's closures.
    static func messagesFormat(_ prepared: PreparedInference, messageID: String, model: String) -> AnswerFormat {
        let plan = prepared.plan
        let converter = SharedConverter(
            AnthropicStreamConverter(messageID: messageID, model: model, inputTokens: plan.promptTokens, toolUseID: callID)
        )
        let stream = NamedEventStream(
            chunk: { event in converter.update { $0.process(event) }.map(frame) },
            end: { metrics in converter.update { $0.finish(doneReason: plan.doneReason, usage: usage(metrics)) }.map(frame) },
            failure: { message in frame(converter.update { $0.failure(message) }) }
        )
        return AnswerFormat(
            style: .anthropic,
            chunk: { _ in nil },
            end: { _ in [] },
            whole: { events, metrics in
                wholeMessage(messageID: messageID, model: model, events: events, doneReason: plan.doneReason, usage: usage(metrics))
            },
            events: stream
        )
    }

    /// The message of a whole answer, as Ollama's `ToMessagesResponse` builds it: a `thinking`
    /// block when the model thought, a `text` block when it wrote, then one `tool_use` per call.
    static func wholeMessage(
        messageID: String,
        model: String,
        events: [InferenceEvent],
        doneReason: String,
        usage: AnthropicUsage
    ) -> AnthropicMessagesResponse {
        var text = ""
        var thinking = ""
        var calls: [ToolCall] = []
        for event in events {
            switch event {
            case .thinking(let piece): thinking += piece
            case .content(let piece): text += piece
            case .toolCalls(let made): calls += made
            }
        }
        var content: [AnthropicContentBlock] = []
        if !thinking.isEmpty { content.append(.thinking(thinking)) }
        if !text.isEmpty { content.append(.text(text)) }
        for call in calls {
            content.append(.toolUse(id: call.id ?? callID(), name: call.function.name, input: call.function.arguments))
        }
        let reason = stopReason(doneReason: doneReason, toolCalls: !calls.isEmpty)
        return AnthropicMessagesResponse(id: messageID, model: model, content: content, stopReason: reason, usage: usage)
    }

    /// Ollama's `stop_reason` for a chat's `done_reason`: `tool_use` when the model called a tool,
    /// `end_turn` for `stop`, `max_tokens` for `length`, `stop_sequence` for anything else.
    static func stopReason(doneReason: String, toolCalls: Bool) -> String? {
        if toolCalls { return "tool_use" }
        switch doneReason {
        case "stop": return "end_turn"
        case "length": return "max_tokens"
        case "": return nil
        default: return "stop_sequence"
        }
    }

    /// A tool call's input as the JSON an `input_json_delta` carries (keys sorted, as Go writes a map).
    static func inputJSON(_ call: ToolCall) -> String {
        String(decoding: (try? OllamaJSON.encode(call.function.arguments)) ?? Data("{}".utf8), as: UTF8.self)
    }

    /// An id as Ollama's Anthropic layer makes one: the prefix, `_` and 24 random hex digits
    /// (`msg_...`, `req_...`).
    static func anthropicID(_ prefix: String) -> String {
        prefix + "_" + (0..<12).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
    }

    /// Go's messages for a body that does not decode, named for Ollama's `anthropic` package;
    /// an empty body is Go's `EOF`.
    static func messagesDecodeMessage(_ message: String) -> String {
        if message == "missing request body" { return "EOF" }
        return message.replacingOccurrences(of: "api.MessagesRequest", with: "anthropic.MessagesRequest")
    }

    private static func usage(_ metrics: GenerationMetrics) -> AnthropicUsage {
        AnthropicUsage(inputTokens: metrics.promptEvalCount ?? 0, outputTokens: metrics.evalCount ?? 0)
    }

    private static func frame(_ event: AnthropicStreamEvent) -> SSEEvent {
        SSEEvent.named(event.type, event)
    }
}
