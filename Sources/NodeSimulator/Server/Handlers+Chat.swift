import Foundation
import Hummingbird
import OllamaAPI

extension SimulatorHandlers {
    /// `POST /api/chat`.
    func chat(_ request: Request) async throws -> Response {
        let arrival = ContinuousClock.now
        let req = try await decodeBody(request, as: ChatRequest.self, goName: "ChatRequest", style: .ollama)
        let model = try await requiredModel(req.model, style: .ollama)
        let keepAlive = try requestedKeepAlive(req.keepAlive, style: .ollama)
        let messages = req.messages ?? []
        let empty = ChatResponse(model: req.model, createdAt: Self.now(), message: Message(role: "assistant", content: ""), done: true)
        if messages.isEmpty, keepAlive == .zero {
            await scheduler.unload(model.name)
            var unloaded = empty
            unloaded.doneReason = "unload"
            return Responses.json(unloaded)
        }
        if let message = Self.capabilityError(model: model, name: req.model, think: req.think, tools: req.tools) {
            throw ErrorStyle.ollama.error(message, status: .badRequest)
        }
        let options = try options(req.options, style: .ollama)
        if messages.isEmpty {
            try await loadOnly(model, keepAlive: keepAlive, style: .ollama)
            var loaded = empty
            loaded.doneReason = "load"
            return Responses.json(loaded)
        }
        let input = Self.chatInput(
            model: model,
            messages: messages.map { ($0.role, $0.content) },
            tools: req.tools ?? [],
            limit: options.numPredict,
            seed: options.seed,
            think: req.think,
            format: req.format,
            window: ContextWindow(model: model, numCtx: options.numCtx, numKeep: options.numKeep)
        )
        let prepared = try await prepare(request, model: model, input: input, keepAlive: keepAlive, arrival: arrival, style: .ollama)
        return await answer(prepared, stream: req.stream != false, format: Self.chatFormat(prepared, model: req.model))
    }

    /// The message of the 400 Ollama gives when a chat model lacks what the request needs, or `nil`.
    static func capabilityError(model: SimulatedModel, name: String, think: Think?, tools: [Tool]?) -> String? {
        guard model.has("completion") else { return "\"\(name)\" does not support chat" }
        if think?.isEnabled == true, !model.has("thinking") { return "\"\(name)\" does not support thinking" }
        if let tools, !tools.isEmpty, !model.has("tools") { return "\"\(name)\" does not support tools" }
        return nil
    }

    /// The plan inputs of a chat: the model calls a tool when given tools, unless it is answering
    /// a tool result; thinking models think unless told not to. The prompt is what fits `window`
    /// (the model's context length unless given): ``ContextWindow``.
    static func chatInput(
        model: SimulatedModel,
        messages: [(role: String, content: String)],
        tools: [Tool],
        limit: Int?,
        seed: Int?,
        think: Think?,
        format: ResponseFormat?,
        window: ContextWindow? = nil
    ) -> GenerationInput {
        let toolTokens = tools.isEmpty ? 0 : Tokenizer.count(String(decoding: (try? OllamaJSON.encode(tools)) ?? Data(), as: UTF8.self))
        let window = window ?? ContextWindow(model: model)
        let fitted = window.fitting(messages, extraTokens: toolTokens)
        let answeringTool = messages.last?.role == "tool"
        let lastUser = messages.last { $0.role == "user" }?.content ?? messages.last?.content ?? ""
        return GenerationInput(
            promptTokens: window.promptTokens(Tokenizer.count(messages: fitted) + toolTokens),
            limit: limit,
            seed: Self.seed(seed, prompt: lastUser),
            think: think?.isEnabled ?? model.has("thinking"),
            format: format,
            tools: answeringTool ? [] : tools
        )
    }

    /// Chat answers: assistant message pieces, then a `done` object with the statistics.
    private static func chatFormat(_ prepared: PreparedInference, model: String) -> AnswerFormat {
        let plan = prepared.plan
        return AnswerFormat(
            style: .ollama,
            chunk: { event in
                var message = Message(role: "assistant", content: "")
                switch event {
                case .thinking(let text): message.thinking = text
                case .content(let text): message.content = text
                case .toolCalls(let calls): message.toolCalls = calls
                }
                return ChatResponse(model: model, createdAt: now(), message: message, done: false)
            },
            end: { metrics in
                [
                    ChatResponse(
                        model: model,
                        createdAt: now(),
                        message: Message(role: "assistant", content: ""),
                        done: true,
                        doneReason: plan.doneReason,
                        metrics: metrics
                    )
                ]
            },
            whole: { events, metrics in
                var message = Message(role: "assistant", content: "")
                var thinking = ""
                for event in events {
                    switch event {
                    case .thinking(let piece): thinking += piece
                    case .content(let piece): message.content += piece
                    case .toolCalls(let calls): message.toolCalls = calls
                    }
                }
                if !thinking.isEmpty { message.thinking = thinking }
                return ChatResponse(
                    model: model,
                    createdAt: now(),
                    message: message,
                    done: true,
                    doneReason: plan.doneReason,
                    metrics: metrics
                )
            }
        )
    }
}
