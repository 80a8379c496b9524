import Foundation
import Hummingbird
import OllamaAPI

extension SimulatorHandlers {
    /// `POST /v1/chat/completions`.
    func chatCompletions(_ request: Request) async throws -> Response {
        let arrival = ContinuousClock.now
        let req = try await decodeBody(
            request,
            as: ChatCompletionRequest.self,
            goName: "ChatCompletionRequest",
            zeroValues: ["model": "", "messages": []],
            style: .openAI
        )
        let model = try await requiredModel(req.model, style: .openAI)
        guard !req.messages.isEmpty else {
            throw ErrorStyle.openAI.error("[] is too short - 'messages'", status: .badRequest)
        }
        let think: Think? = model.has("thinking") ? req.reasoningEffort.map { .level($0) } : nil
        if let message = Self.capabilityError(model: model, name: req.model, think: think, tools: req.tools) {
            throw ErrorStyle.openAI.error(message, status: .badRequest)
        }
        let input = Self.chatInput(
            model: model,
            messages: req.messages.map { ($0.role, $0.content?.text ?? "") },
            tools: req.tools ?? [],
            limit: req.maxCompletionTokens ?? req.maxTokens,
            seed: req.seed,
            think: think,
            format: Self.format(from: req.responseFormat)
        )
        let prepared = try await prepare(request, model: model, input: input, keepAlive: nil, arrival: arrival, style: .openAI)
        let format = Self.chatCompletionFormat(
            prepared,
            id: "chatcmpl-\(Int.random(in: 0..<1000))",
            model: req.model,
            includeUsage: req.streamOptions?.includeUsage == true
        )
        return await answer(prepared, stream: req.stream == true, format: format)
    }

    /// `POST /v1/completions`.
    func completions(_ request: Request) async throws -> Response {
        let arrival = ContinuousClock.now
        let req = try await decodeBody(
            request,
            as: CompletionRequest.self,
            goName: "CompletionRequest",
            zeroValues: ["model": "", "prompt": ""],
            style: .openAI
        )
        let model = try await requiredModel(req.model, style: .openAI)
        guard model.has("completion") else {
            throw ErrorStyle.openAI.error("\"\(req.model)\" does not support generate", status: .badRequest)
        }
        let input = GenerationInput(
            promptTokens: ContextWindow(model: model).promptTokens(Tokenizer.count(req.prompt + (req.suffix ?? ""))),
            limit: req.maxTokens,
            seed: Self.seed(req.seed, prompt: req.prompt),
            think: false
        )
        let prepared = try await prepare(request, model: model, input: input, keepAlive: nil, arrival: arrival, style: .openAI)
        let format = Self.completionFormat(
            prepared,
            id: "cmpl-\(Int.random(in: 0..<1000))",
            model: req.model,
            includeUsage: req.streamOptions?.includeUsage == true
        )
        return await answer(prepared, stream: req.stream == true, format: format)
    }

    /// `POST /v1/embeddings`.
    func openAIEmbeddings(_ request: Request) async throws -> Response {
        let arrival = ContinuousClock.now
        let req = try await decodeBody(
            request,
            as: OpenAIEmbeddingRequest.self,
            goName: "EmbedRequest",
            zeroValues: ["model": "", "input": ""],
            style: .openAI,
            decodeMessage: { _ in "invalid input type" }
        )
        guard !req.model.isEmpty else { throw ErrorStyle.openAI.error("model is required", status: .badRequest) }
        guard let model = await store.find(req.model) else {
            throw ErrorStyle.openAI.error("model \"\(req.model)\" not found, try pulling it first", status: .notFound)
        }
        let texts = req.input.texts
        guard !texts.isEmpty else { throw ErrorStyle.openAI.error("invalid input", status: .badRequest) }
        let base64 = req.encodingFormat == "base64"
        if let format = req.encodingFormat, format != "float", !base64 {
            throw ErrorStyle.openAI.error(
                "invalid encoding format: \(format), supported formats are float and base64",
                status: .badRequest
            )
        }
        let result = try await embeddings(
            request,
            model: model,
            texts: texts,
            truncate: true,
            dimensions: req.dimensions,
            keepAlive: nil,
            arrival: arrival,
            style: .openAI
        )
        let data = result.vectors.enumerated().map { index, vector in
            OpenAIEmbeddingList.Embedding(
                embedding: base64 ? .string(Self.base64(vector)) : .array(vector.map { .double(Double($0)) }),
                index: index
            )
        }
        return Responses.json(OpenAIEmbeddingList(data: data, model: req.model, promptTokens: result.metrics.promptEvalCount ?? 0))
    }

    static func finishReason(_ plan: GenerationPlan) -> String {
        if !plan.toolCalls.isEmpty { return "tool_calls" }
        return plan.doneReason == "length" ? "length" : "stop"
    }

    static func usage(_ metrics: GenerationMetrics) -> Usage {
        Usage(promptTokens: metrics.promptEvalCount ?? 0, completionTokens: metrics.evalCount ?? 0)
    }

    static func openAIToolCalls(_ calls: [ToolCall]) -> [OpenAIToolCall] {
        calls.enumerated().map { index, call in
            let arguments = String(decoding: (try? OllamaJSON.encode(call.function.arguments)) ?? Data("{}".utf8), as: UTF8.self)
            return OpenAIToolCall(
                index: index,
                id: "call_\(stableHash(call.function.name + arguments) % 100_000_000)",
                type: "function",
                function: .init(name: call.function.name, arguments: arguments)
            )
        }
    }

    /// `response_format`: `json_object` is JSON mode, `json_schema` carries a schema.
    static func format(from responseFormat: JSONValue?) -> ResponseFormat? {
        guard let object = responseFormat?.objectValue else { return nil }
        switch object["type"]?.stringValue {
        case "json_object": return .json
        case "json_schema":
            if let schema = object["json_schema"]?.objectValue?["schema"]?.objectValue { return .schema(schema) }
            return .json
        default: return nil
        }
    }

    private static func base64(_ vector: [Float]) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(vector.count * 4)
        for value in vector {
            withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
        }
        return Data(bytes).base64EncodedString()
    }
}
