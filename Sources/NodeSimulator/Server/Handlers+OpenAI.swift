import Foundation
import Hummingbird
import OllamaAPI

extension SimulatorHandlers {
    /// `POST /v1/chat/completions`.
    func chatCompletions(_ request: Request) async -> Response {
        let arrival = ContinuousClock.now
        let bytes: [UInt8]
        switch await body(of: request, style: .openAI) {
        case .success(let value): bytes = value
        case .failure(let response): return response
        }
        let req: ChatCompletionRequest
        switch BodyDecoding.decode(
            ChatCompletionRequest.self, goName: "ChatCompletionRequest", from: bytes, zeroValues: ["model": "", "messages": []])
        {
        case .success(let value): req = value
        case .failure(let error): return Responses.openAIError(error.error, status: .badRequest)
        }
        guard !req.model.isEmpty else { return Responses.openAIError("model is required", status: .badRequest) }
        guard let model = await store.find(req.model) else {
            return Responses.openAIError("model '\(req.model)' not found", status: .notFound)
        }
        guard !req.messages.isEmpty else {
            return Responses.openAIError("[] is too short - 'messages'", status: .badRequest)
        }
        let think: Think? = model.has("thinking") ? req.reasoningEffort.map { .level($0) } : nil
        if let message = Self.capabilityError(model: model, name: req.model, think: think, tools: req.tools) {
            return Responses.openAIError(message, status: .badRequest)
        }
        let input = Self.chatInput(
            model: model, messages: req.messages.map { ($0.role, $0.content?.text ?? "") }, tools: req.tools ?? [],
            limit: req.maxCompletionTokens ?? req.maxTokens,
            options: req.seed.map { ["seed": .int(Int64($0))] }, think: think,
            format: Self.format(from: req.responseFormat))
        let prepared: PreparedInference
        switch await prepare(request, model: model, input: input, keepAlive: nil, arrival: arrival, style: .openAI) {
        case .success(let value): prepared = value
        case .failure(let response): return response
        }
        let id = "chatcmpl-\(Int.random(in: 0..<1000))"
        let created = Int64(Date().timeIntervalSince1970)
        let name = req.model
        if req.stream != true {
            return await Self.chatCompletionWhole(prepared, id: id, created: created, model: name)
        }
        let includeUsage = req.streamOptions?.includeUsage == true
        return Responses.stream(contentType: Responses.sseType) { writer in
            do {
                let metrics = try await prepared.playThenRelease { event in
                    var delta = OpenAIMessageDelta(role: "assistant", content: "")
                    switch event {
                    case .thinking(let text): delta.reasoning = text
                    case .content(let text): delta.content = text
                    case .toolCalls(let calls): delta.toolCalls = Self.openAIToolCalls(calls)
                    }
                    try await writer.writeEvent(
                        ChatCompletionChunk(
                            id: id, created: created, model: name, choices: [.init(index: 0, delta: delta, finishReason: nil)]))
                }
                let finish = Self.finishReason(prepared.plan)
                try await writer.writeEvent(
                    ChatCompletionChunk(
                        id: id, created: created, model: name,
                        choices: [.init(index: 0, delta: OpenAIMessageDelta(role: "assistant", content: ""), finishReason: finish)]))
                if includeUsage {
                    try await writer.writeEvent(
                        ChatCompletionChunk(id: id, created: created, model: name, choices: [], usage: Self.usage(metrics)))
                }
                try await writer.writeDone()
            } catch let failure as SimulatedFailure where failure.mode == .errorLine {
                try await writer.writeEvent(OpenAIErrorResponse(status: 500, message: failure.message))
            }
            try await writer.finish(nil)
        }
    }

    /// `POST /v1/completions`.
    func completions(_ request: Request) async -> Response {
        let arrival = ContinuousClock.now
        let bytes: [UInt8]
        switch await body(of: request, style: .openAI) {
        case .success(let value): bytes = value
        case .failure(let response): return response
        }
        let req: CompletionRequest
        switch BodyDecoding.decode(
            CompletionRequest.self, goName: "CompletionRequest", from: bytes, zeroValues: ["model": "", "prompt": ""])
        {
        case .success(let value): req = value
        case .failure(let error): return Responses.openAIError(error.error, status: .badRequest)
        }
        guard !req.model.isEmpty else { return Responses.openAIError("model is required", status: .badRequest) }
        guard let model = await store.find(req.model) else {
            return Responses.openAIError("model '\(req.model)' not found", status: .notFound)
        }
        guard model.has("completion") else {
            return Responses.openAIError("\"\(req.model)\" does not support generate", status: .badRequest)
        }
        let input = GenerationInput(
            promptTokens: Tokenizer.count(req.prompt + (req.suffix ?? "")), limit: req.maxTokens,
            seed: req.seed.map { UInt64(bitPattern: Int64($0)) } ?? stableHash(req.prompt), think: false)
        let prepared: PreparedInference
        switch await prepare(request, model: model, input: input, keepAlive: nil, arrival: arrival, style: .openAI) {
        case .success(let value): prepared = value
        case .failure(let response): return response
        }
        let id = "cmpl-\(Int.random(in: 0..<1000))"
        let created = Int64(Date().timeIntervalSince1970)
        let name = req.model
        if req.stream != true {
            var text = ""
            do {
                let metrics = try await prepared.playThenRelease { event in
                    if case .content(let piece) = event { text += piece }
                }
                return Responses.json(
                    Completion(
                        id: id, created: created, model: name,
                        choices: [.init(index: 0, text: text, finishReason: Self.finishReason(prepared.plan))],
                        usage: Self.usage(metrics)))
            } catch let failure as SimulatedFailure {
                return Responses.openAIError(failure.message, status: .internalServerError)
            } catch {
                return Responses.openAIError("request canceled", status: .init(code: 499))
            }
        }
        let includeUsage = req.streamOptions?.includeUsage == true
        return Responses.stream(contentType: Responses.sseType) { writer in
            do {
                let metrics = try await prepared.playThenRelease { event in
                    guard case .content(let piece) = event else { return }
                    try await writer.writeEvent(
                        Completion(
                            id: id, created: created, model: name, choices: [.init(index: 0, text: piece, finishReason: nil)],
                            usage: nil))
                }
                try await writer.writeEvent(
                    Completion(
                        id: id, created: created, model: name,
                        choices: [.init(index: 0, text: "", finishReason: Self.finishReason(prepared.plan))], usage: nil))
                if includeUsage {
                    try await writer.writeEvent(
                        Completion(id: id, created: created, model: name, choices: [], usage: Self.usage(metrics)))
                }
                try await writer.writeDone()
            } catch let failure as SimulatedFailure where failure.mode == .errorLine {
                try await writer.writeEvent(OpenAIErrorResponse(status: 500, message: failure.message))
            }
            try await writer.finish(nil)
        }
    }

    /// `POST /v1/embeddings`.
    func openAIEmbeddings(_ request: Request) async -> Response {
        let arrival = ContinuousClock.now
        let bytes: [UInt8]
        switch await body(of: request, style: .openAI) {
        case .success(let value): bytes = value
        case .failure(let response): return response
        }
        let req: OpenAIEmbeddingRequest
        switch BodyDecoding.decode(
            OpenAIEmbeddingRequest.self, goName: "EmbedRequest", from: bytes, zeroValues: ["model": "", "input": ""])
        {
        case .success(let value): req = value
        case .failure: return Responses.openAIError("invalid input type", status: .badRequest)
        }
        guard !req.model.isEmpty else { return Responses.openAIError("model is required", status: .badRequest) }
        guard let model = await store.find(req.model) else {
            return Responses.openAIError("model \"\(req.model)\" not found, try pulling it first", status: .notFound)
        }
        let texts = req.input.texts
        guard !texts.isEmpty else { return Responses.openAIError("invalid input", status: .badRequest) }
        let base64 = req.encodingFormat == "base64"
        if let format = req.encodingFormat, format != "float", !base64 {
            return Responses.openAIError(
                "invalid encoding format: \(format), supported formats are float and base64", status: .badRequest)
        }
        switch await embeddings(
            request, model: model, texts: texts, truncate: true, dimensions: req.dimensions, keepAlive: nil, arrival: arrival,
            style: .openAI)
        {
        case .failure(let response): return response
        case .success(let result):
            let data = result.vectors.enumerated().map { index, vector in
                OpenAIEmbeddingList.Embedding(
                    embedding: base64 ? .string(Self.base64(vector)) : .array(vector.map { .double(Double($0)) }),
                    index: index)
            }
            return Responses.json(
                OpenAIEmbeddingList(data: data, model: req.model, promptTokens: result.metrics.promptEvalCount ?? 0))
        }
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
                index: index, id: "call_\(stableHash(call.function.name + arguments) % 100_000_000)", type: "function",
                function: .init(name: call.function.name, arguments: arguments))
        }
    }

    private static func chatCompletionWhole(_ prepared: PreparedInference, id: String, created: Int64, model: String)
        async -> Response
    {
        var content = ""
        var reasoning = ""
        var calls: [ToolCall] = []
        do {
            let metrics = try await prepared.playThenRelease { event in
                switch event {
                case .thinking(let piece): reasoning += piece
                case .content(let piece): content += piece
                case .toolCalls(let made): calls = made
                }
            }
            var message = OpenAIMessage(
                role: "assistant", content: .text(content), toolCalls: calls.isEmpty ? nil : openAIToolCalls(calls))
            if !reasoning.isEmpty { message.reasoning = reasoning }
            return Responses.json(
                ChatCompletion(
                    id: id, created: created, model: model,
                    choices: [.init(index: 0, message: message, finishReason: finishReason(prepared.plan))],
                    usage: usage(metrics)))
        } catch let failure as SimulatedFailure {
            return Responses.openAIError(failure.message, status: .internalServerError)
        } catch {
            return Responses.openAIError("request canceled", status: .init(code: 499))
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
