import Foundation
import Hummingbird
import OllamaAPI

extension SimulatorHandlers {
    /// `POST /api/generate`.
    func generate(_ request: Request) async throws -> Response {
        let arrival = ContinuousClock.now
        let req = try await decodeBody(request, as: GenerateRequest.self, goName: "GenerateRequest", style: .ollama)
        guard !req.model.isEmpty, let model = await store.find(req.model) else {
            throw ErrorStyle.ollama.error("model '\(req.model)' not found", status: .notFound)
        }
        let keepAlive = try requestedKeepAlive(req.keepAlive, style: .ollama)
        let prompt = req.prompt ?? ""
        if prompt.isEmpty, keepAlive == .zero {
            await scheduler.unload(model.name)
            return Responses.json(
                GenerateResponse(model: req.model, createdAt: Self.now(), response: "", done: true, doneReason: "unload")
            )
        }
        guard model.has("completion") else {
            throw ErrorStyle.ollama.error("\"\(req.model)\" does not support generate", status: .badRequest)
        }
        let think = req.think?.isEnabled ?? model.has("thinking")
        if think, !model.has("thinking") {
            throw ErrorStyle.ollama.error("\"\(req.model)\" does not support thinking", status: .badRequest)
        }
        if let suffix = req.suffix, !suffix.isEmpty, !model.has("insert") {
            throw ErrorStyle.ollama.error("\"\(req.model)\" does not support insert", status: .badRequest)
        }
        let options = try options(req.options, style: .ollama)
        if prompt.isEmpty {
            try await loadOnly(model, keepAlive: keepAlive, style: .ollama)
            return Responses.json(
                GenerateResponse(model: req.model, createdAt: Self.now(), response: "", done: true, doneReason: "load")
            )
        }
        let input = GenerationInput(
            promptTokens: ContextWindow(model: model, numCtx: options.numCtx, numKeep: options.numKeep)
                .promptTokens(Self.generatePromptTokens(req, prompt: prompt)),
            limit: options.numPredict,
            seed: Self.seed(options.seed, prompt: prompt),
            think: think,
            format: req.format
        )
        let prepared = try await prepare(request, model: model, input: input, keepAlive: keepAlive, arrival: arrival, style: .ollama)
        return await answer(prepared, stream: req.stream != false, format: Self.generateFormat(prepared, model: req.model))
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

    /// Generate answers: `response` (and `thinking`) pieces, then a `done` object with the statistics.
    private static func generateFormat(_ prepared: PreparedInference, model: String) -> AnswerFormat {
        let plan = prepared.plan
        let context = prepared.contextTokens
        return AnswerFormat(
            style: .ollama,
            chunk: { event in
                var chunk = GenerateResponse(model: model, createdAt: now(), response: "", done: false)
                switch event {
                case .thinking(let text): chunk.thinking = text
                case .content(let text): chunk.response = text
                case .toolCalls: return nil
                }
                return chunk
            },
            end: { metrics in
                [
                    GenerateResponse(
                        model: model,
                        createdAt: now(),
                        response: "",
                        done: true,
                        doneReason: plan.doneReason,
                        context: context,
                        metrics: metrics
                    )
                ]
            },
            whole: { events, metrics in
                var text = ""
                var thinking = ""
                for event in events {
                    switch event {
                    case .thinking(let piece): thinking += piece
                    case .content(let piece): text += piece
                    case .toolCalls: break
                    }
                }
                return GenerateResponse(
                    model: model,
                    createdAt: now(),
                    response: text,
                    thinking: thinking.isEmpty ? nil : thinking,
                    done: true,
                    doneReason: plan.doneReason,
                    context: context,
                    metrics: metrics
                )
            }
        )
    }
}
