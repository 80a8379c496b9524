import Foundation
import Hummingbird
import OllamaAPI

extension SimulatorHandlers {
    /// `POST /api/embed`.
    func embed(_ request: Request) async -> Response {
        let arrival = ContinuousClock.now
        let bytes: [UInt8]
        switch await body(of: request, style: .ollama) {
        case .success(let value): bytes = value
        case .failure(let response): return response
        }
        let req: EmbedRequest
        switch BodyDecoding.decode(EmbedRequest.self, goName: "EmbedRequest", from: bytes) {
        case .success(let value): req = value
        case .failure(let error):
            let message = error.error.contains("EmbedRequest.input") ? "invalid input type" : error.error
            return Responses.ollamaError(message, status: .badRequest)
        }
        guard !req.model.isEmpty else { return Responses.ollamaError("model '' not found", status: .notFound) }
        guard let model = await store.find(req.model) else {
            return Responses.ollamaError("model \"\(req.model)\" not found, try pulling it first", status: .notFound)
        }
        let keepAlive: Double?
        switch keepAliveSeconds(req.keepAlive, style: .ollama) {
        case .success(let value): keepAlive = value
        case .failure(let response): return response
        }
        let texts = req.input?.texts ?? []
        switch await embeddings(
            request, model: model, texts: texts, truncate: req.truncate ?? true, dimensions: req.dimensions, keepAlive: keepAlive,
            arrival: arrival, style: .ollama)
        {
        case .failure(let response): return response
        case .success(let result):
            return Responses.json(
                EmbedResponse(
                    model: req.model, embeddings: result.vectors, totalDuration: result.metrics.totalDuration,
                    loadDuration: result.metrics.loadDuration, promptEvalCount: result.metrics.promptEvalCount))
        }
    }

    /// `POST /api/embeddings` (legacy).
    func legacyEmbeddings(_ request: Request) async -> Response {
        let arrival = ContinuousClock.now
        let bytes: [UInt8]
        switch await body(of: request, style: .ollama) {
        case .success(let value): bytes = value
        case .failure(let response): return response
        }
        let req: EmbeddingsRequest
        switch BodyDecoding.decode(EmbeddingsRequest.self, goName: "EmbeddingRequest", from: bytes) {
        case .success(let value): req = value
        case .failure(let error): return Responses.json(error, status: .badRequest)
        }
        guard !req.model.isEmpty else { return Responses.ollamaError("model is required", status: .badRequest) }
        guard let model = await store.find(req.model) else {
            return Responses.ollamaError("model \"\(req.model)\" not found, try pulling it first", status: .notFound)
        }
        let keepAlive: Double?
        switch keepAliveSeconds(req.keepAlive, style: .ollama) {
        case .success(let value): keepAlive = value
        case .failure(let response): return response
        }
        let texts = (req.prompt ?? "").isEmpty ? [] : [req.prompt ?? ""]
        switch await embeddings(
            request, model: model, texts: texts, truncate: true, dimensions: nil, keepAlive: keepAlive, arrival: arrival,
            style: .ollama)
        {
        case .failure(let response): return response
        case .success(let result):
            return Responses.json(EmbeddingsResponse(embedding: result.vectors.first.map { $0.map(Double.init) } ?? []))
        }
    }

    /// Vectors for `texts` after the prompt-processing time they cost; an empty list only loads the model.
    func embeddings(
        _ request: Request, model: SimulatedModel, texts: [String], truncate: Bool, dimensions: Int?, keepAlive: Double?,
        arrival: ContinuousClock.Instant, style: ErrorStyle
    ) async -> Handled<(vectors: [[Float]], metrics: GenerationMetrics)> {
        let counts = texts.map(Tokenizer.count)
        if !truncate, counts.contains(where: { $0 > model.contextLength }) {
            return .failure(style.response("the input length exceeds the context length", status: .badRequest))
        }
        let tokens = counts.reduce(0) { $0 + min($1, model.contextLength) }
        let input = GenerationInput(promptTokens: tokens, limit: 0, seed: 0)
        let prepared: PreparedInference
        switch await prepare(request, model: model, input: input, keepAlive: keepAlive, arrival: arrival, style: style) {
        case .success(let value): prepared = value
        case .failure(let response): return .failure(response)
        }
        do {
            let metrics = try await prepared.playThenRelease { _ in }
            let vectors = texts.map {
                EmbeddingGenerator.embed($0, dimensions: model.embeddingLength, truncateTo: dimensions)
            }
            return .success((vectors, metrics))
        } catch let failure as SimulatedFailure {
            return .failure(style.response(failure.message, status: .internalServerError))
        } catch {
            return .failure(style.response("request canceled", status: .init(code: 499)))
        }
    }
}
