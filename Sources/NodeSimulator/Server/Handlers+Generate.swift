import Foundation
import Hummingbird
import OllamaAPI

extension SimulatorHandlers {
    /// `POST /api/generate`.
    func generate(_ request: Request) async -> Response {
        let arrival = ContinuousClock.now
        let bytes: [UInt8]
        switch await body(of: request, style: .ollama) {
        case .success(let value): bytes = value
        case .failure(let response): return response
        }
        let req: GenerateRequest
        switch BodyDecoding.decode(GenerateRequest.self, goName: "GenerateRequest", from: bytes) {
        case .success(let value): req = value
        case .failure(let error): return Responses.json(error, status: .badRequest)
        }
        guard !req.model.isEmpty, let model = await store.find(req.model) else {
            return Responses.ollamaError("model '\(req.model)' not found", status: .notFound)
        }
        let keepAlive: Double?
        switch keepAliveSeconds(req.keepAlive, style: .ollama) {
        case .success(let value): keepAlive = value
        case .failure(let response): return response
        }
        let prompt = req.prompt ?? ""
        if prompt.isEmpty, keepAlive == 0 {
            await scheduler.unload(model.name)
            return Responses.json(
                GenerateResponse(model: req.model, createdAt: Self.now(), response: "", done: true, doneReason: "unload"))
        }
        guard model.has("completion") else {
            return Responses.ollamaError("\"\(req.model)\" does not support generate", status: .badRequest)
        }
        let think = req.think?.isEnabled ?? model.has("thinking")
        if think, !model.has("thinking") {
            return Responses.ollamaError("\"\(req.model)\" does not support thinking", status: .badRequest)
        }
        if let suffix = req.suffix, !suffix.isEmpty, !model.has("insert") {
            return Responses.ollamaError("\"\(req.model)\" does not support insert", status: .badRequest)
        }
        if prompt.isEmpty {
            if let failure = await loadOnly(model, keepAlive: keepAlive, style: .ollama) { return failure }
            return Responses.json(
                GenerateResponse(model: req.model, createdAt: Self.now(), response: "", done: true, doneReason: "load"))
        }
        let input = GenerationInput(
            promptTokens: Self.generatePromptTokens(req, prompt: prompt),
            limit: req.options?["num_predict"]?.intValue, seed: Self.seed(options: req.options, prompt: prompt),
            think: think, format: req.format)
        let prepared: PreparedInference
        switch await prepare(request, model: model, input: input, keepAlive: keepAlive, arrival: arrival, style: .ollama) {
        case .success(let value): prepared = value
        case .failure(let response): return response
        }
        let name = req.model
        if req.stream == false {
            return await Self.generateWhole(prepared, model: name)
        }
        return Responses.stream(contentType: Responses.ndjsonType) { writer in
            do {
                let metrics = try await prepared.playThenRelease { event in
                    var chunk = GenerateResponse(model: name, createdAt: Self.now(), response: "", done: false)
                    switch event {
                    case .thinking(let text): chunk.thinking = text
                    case .content(let text): chunk.response = text
                    case .toolCalls: return
                    }
                    try await writer.writeLine(chunk)
                }
                try await writer.writeLine(
                    GenerateResponse(
                        model: name, createdAt: Self.now(), response: "", done: true,
                        doneReason: prepared.plan.doneReason, context: prepared.contextTokens, metrics: metrics))
            } catch let failure as SimulatedFailure where failure.mode == .errorLine {
                try await writer.writeLine(ErrorResponse(error: failure.message))
            }
            try await writer.finish(nil)
        }
    }

    /// Prompt tokens of a generate request: raw prompts as they are, others wrapped in the chat
    /// template (system and user turns) as Ollama does.
    static func generatePromptTokens(_ req: GenerateRequest, prompt: String) -> Int {
        if req.raw == true { return Tokenizer.count(prompt + (req.suffix ?? "")) }
        var turns: [(role: String, content: String)] = []
        if let system = req.system, !system.isEmpty { turns.append(("system", system)) }
        turns.append(("user", prompt + (req.suffix ?? "")))
        return Tokenizer.count(messages: turns)
    }

    private static func generateWhole(_ prepared: PreparedInference, model: String) async -> Response {
        var text = ""
        var thinking = ""
        do {
            let metrics = try await prepared.playThenRelease { event in
                switch event {
                case .thinking(let piece): thinking += piece
                case .content(let piece): text += piece
                case .toolCalls: break
                }
            }
            return Responses.json(
                GenerateResponse(
                    model: model, createdAt: now(), response: text, thinking: thinking.isEmpty ? nil : thinking,
                    done: true, doneReason: prepared.plan.doneReason, context: prepared.contextTokens, metrics: metrics))
        } catch let failure as SimulatedFailure {
            return Responses.ollamaError(failure.message, status: .internalServerError)
        } catch {
            return Responses.ollamaError("request canceled", status: .init(code: 499))
        }
    }
}
