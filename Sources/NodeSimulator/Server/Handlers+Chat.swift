import Foundation
import Hummingbird
import OllamaAPI

extension SimulatorHandlers {
    /// `POST /api/chat`.
    func chat(_ request: Request) async -> Response {
        let arrival = ContinuousClock.now
        let bytes: [UInt8]
        switch await body(of: request, style: .ollama) {
        case .success(let value): bytes = value
        case .failure(let response): return response
        }
        let req: ChatRequest
        switch BodyDecoding.decode(ChatRequest.self, goName: "ChatRequest", from: bytes) {
        case .success(let value): req = value
        case .failure(let error): return Responses.json(error, status: .badRequest)
        }
        guard !req.model.isEmpty else { return Responses.ollamaError("model is required", status: .badRequest) }
        guard let model = await store.find(req.model) else {
            return Responses.ollamaError("model '\(req.model)' not found", status: .notFound)
        }
        let keepAlive: Double?
        switch keepAliveSeconds(req.keepAlive, style: .ollama) {
        case .success(let value): keepAlive = value
        case .failure(let response): return response
        }
        let messages = req.messages ?? []
        let empty = ChatResponse(model: req.model, createdAt: Self.now(), message: Message(role: "assistant", content: ""), done: true)
        if messages.isEmpty, keepAlive == 0 {
            await scheduler.unload(model.name)
            var unloaded = empty
            unloaded.doneReason = "unload"
            return Responses.json(unloaded)
        }
        if let message = Self.capabilityError(model: model, name: req.model, think: req.think, tools: req.tools) {
            return Responses.ollamaError(message, status: .badRequest)
        }
        if messages.isEmpty {
            if let failure = await loadOnly(model, keepAlive: keepAlive, style: .ollama) { return failure }
            var loaded = empty
            loaded.doneReason = "load"
            return Responses.json(loaded)
        }
        let input = Self.chatInput(
            model: model, messages: messages.map { ($0.role, $0.content) }, tools: req.tools ?? [],
            limit: req.options?["num_predict"]?.intValue, options: req.options, think: req.think, format: req.format)
        let prepared: PreparedInference
        switch await prepare(request, model: model, input: input, keepAlive: keepAlive, arrival: arrival, style: .ollama) {
        case .success(let value): prepared = value
        case .failure(let response): return response
        }
        let name = req.model
        if req.stream == false {
            return await Self.chatWhole(prepared, model: name)
        }
        return Responses.stream(contentType: Responses.ndjsonType) { writer in
            do {
                let metrics = try await prepared.playThenRelease { event in
                    var message = Message(role: "assistant", content: "")
                    switch event {
                    case .thinking(let text): message.thinking = text
                    case .content(let text): message.content = text
                    case .toolCalls(let calls): message.toolCalls = calls
                    }
                    try await writer.writeLine(ChatResponse(model: name, createdAt: Self.now(), message: message, done: false))
                }
                try await writer.writeLine(
                    ChatResponse(
                        model: name, createdAt: Self.now(), message: Message(role: "assistant", content: ""), done: true,
                        doneReason: prepared.plan.doneReason, metrics: metrics))
            } catch let failure as SimulatedFailure where failure.mode == .errorLine {
                try await writer.writeLine(ErrorResponse(error: failure.message))
            }
            try await writer.finish(nil)
        }
    }

    /// The message of the 400 Ollama gives when a chat model lacks what the request needs, or `nil`.
    static func capabilityError(model: SimulatedModel, name: String, think: Think?, tools: [Tool]?) -> String? {
        guard model.has("completion") else { return "\"\(name)\" does not support chat" }
        if think?.isEnabled == true, !model.has("thinking") { return "\"\(name)\" does not support thinking" }
        if let tools, !tools.isEmpty, !model.has("tools") { return "\"\(name)\" does not support tools" }
        return nil
    }

    /// The plan inputs of a chat: the model calls a tool when given tools, unless it is answering
    /// a tool result; thinking models think unless told not to.
    static func chatInput(
        model: SimulatedModel, messages: [(role: String, content: String)], tools: [Tool], limit: Int?,
        options: JSONObject?, think: Think?, format: ResponseFormat?
    ) -> GenerationInput {
        let toolTokens = tools.isEmpty ? 0 : Tokenizer.count(String(decoding: (try? OllamaJSON.encode(tools)) ?? Data(), as: UTF8.self))
        let answeringTool = messages.last?.role == "tool"
        let lastUser = messages.last { $0.role == "user" }?.content ?? messages.last?.content ?? ""
        return GenerationInput(
            promptTokens: Tokenizer.count(messages: messages) + toolTokens, limit: limit,
            seed: seed(options: options, prompt: lastUser), think: think?.isEnabled ?? model.has("thinking"),
            format: format, tools: answeringTool ? [] : tools)
    }

    private static func chatWhole(_ prepared: PreparedInference, model: String) async -> Response {
        var message = Message(role: "assistant", content: "")
        var thinking = ""
        do {
            let metrics = try await prepared.playThenRelease { event in
                switch event {
                case .thinking(let piece): thinking += piece
                case .content(let piece): message.content += piece
                case .toolCalls(let calls): message.toolCalls = calls
                }
            }
            if !thinking.isEmpty { message.thinking = thinking }
            return Responses.json(
                ChatResponse(
                    model: model, createdAt: now(), message: message, done: true, doneReason: prepared.plan.doneReason,
                    metrics: metrics))
        } catch let failure as SimulatedFailure {
            return Responses.ollamaError(failure.message, status: .internalServerError)
        } catch {
            return Responses.ollamaError("request canceled", status: .init(code: 499))
        }
    }
}
