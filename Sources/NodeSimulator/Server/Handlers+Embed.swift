import Foundation
import Hummingbird
import OllamaAPI

extension SimulatorHandlers {
    /// `POST /api/embed`.
    func embed(_ request: Request) async throws -> Response {
        let arrival = ContinuousClock.now
        let req = try await decodeBody(
            request,
            as: EmbedRequest.self,
            goName: "EmbedRequest",
            style: .ollama,
            decodeMessage: { $0.contains("EmbedRequest.input") ? "invalid input type" : $0 }
        )
        guard !req.model.isEmpty else { throw ErrorStyle.ollama.error("model '' not found", status: .notFound) }
        guard let model = await store.find(req.model) else {
            throw ErrorStyle.ollama.error("model \"\(req.model)\" not found, try pulling it first", status: .notFound)
        }
        let keepAlive = try requestedKeepAlive(req.keepAlive, style: .ollama)
        _ = try options(req.options, style: .ollama)
        let result = try await embeddings(
            request,
            model: model,
            texts: req.input?.texts ?? [],
            truncate: req.truncate ?? true,
            dimensions: req.dimensions,
            keepAlive: keepAlive,
            arrival: arrival,
            style: .ollama
        )
        return Responses.json(
            EmbedResponse(
                model: req.model,
                embeddings: result.vectors,
                totalDuration: result.metrics.totalDuration,
                loadDuration: result.metrics.loadDuration,
                promptEvalCount: result.metrics.promptEvalCount
            )
        )
    }

    /// `POST /api/embeddings` (legacy).
    func legacyEmbeddings(_ request: Request) async throws -> Response {
        let arrival = ContinuousClock.now
        let req = try await decodeBody(request, as: EmbeddingsRequest.self, goName: "EmbeddingRequest", style: .ollama)
        guard !req.model.isEmpty else { throw ErrorStyle.ollama.error("model is required", status: .badRequest) }
        guard let model = await store.find(req.model) else {
            throw ErrorStyle.ollama.error("model \"\(req.model)\" not found, try pulling it first", status: .notFound)
        }
        let keepAlive = try requestedKeepAlive(req.keepAlive, style: .ollama)
        _ = try options(req.options, style: .ollama)
        let texts = (req.prompt ?? "").isEmpty ? [] : [req.prompt ?? ""]
        let result = try await embeddings(
            request,
            model: model,
            texts: texts,
            truncate: true,
            dimensions: nil,
            keepAlive: keepAlive,
            arrival: arrival,
            style: .ollama
        )
        return Responses.json(EmbeddingsResponse(embedding: result.vectors.first.map { $0.map(Double.init) } ?? []))
    }

    /// Vectors for `texts` after the prompt-processing time they cost; an empty list only loads the model.
    ///
    /// - Throws: ``SimulatorError``: 400 for an input past the context when `truncate` is off,
    ///   else what ``prepare(_:model:input:keepAlive:arrival:style:)`` throws, or a 500 for a simulated failure.
    func embeddings(
        _ request: Request,
        model: SimulatedModel,
        texts: [String],
        truncate: Bool,
        dimensions: Int?,
        keepAlive: Duration?,
        arrival: ContinuousClock.Instant,
        style: ErrorStyle
    ) async throws(SimulatorError) -> (vectors: [[Float]], metrics: GenerationMetrics) {
        let counts = texts.map(Tokenizer.count)
        if !truncate, counts.contains(where: { $0 > model.contextLength }) {
            throw style.error("the input length exceeds the context length", status: .badRequest)
        }
        let tokens = counts.reduce(0) { $0 + min($1, model.contextLength) }
        let input = GenerationInput(promptTokens: tokens, limit: 0, seed: 0)
        let prepared = try await prepare(request, model: model, input: input, keepAlive: keepAlive, arrival: arrival, style: style)
        do {
            let metrics = try await prepared.playThenRelease { _ in }
            let vectors = texts.map {
                EmbeddingGenerator.embed($0, dimensions: model.embeddingLength, truncateTo: dimensions)
            }
            return (vectors, metrics)
        } catch let failure as SimulatedFailure {
            throw style.error(failure.message, status: .internalServerError)
        } catch {
            throw style.error("request canceled", status: SimulatorError.canceled)
        }
    }
}
