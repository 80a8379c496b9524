import Foundation
import Hummingbird
import NIOCore
import OllamaAPI

extension SimulatorHandlers {
    /// `POST /v1/responses`: the stateless Responses API, answered as Ollama answers it (its
    /// middleware turns the request into a chat, and the chat's answer into a response object
    /// or a stream of named events). `previous_response_id` is ignored, as Ollama ignores it.
    func responses(_ request: Request) async throws -> Response {
        let arrival = ContinuousClock.now
        let req = try await decodeBody(
            request,
            as: ResponsesRequest.self,
            goName: "ResponsesRequest",
            style: .openAI,
            decodeMessage: Self.responsesDecodeMessage
        )
        let chat: ResponsesChat
        do {
            chat = try ResponsesChat(req)
        } catch {
            throw ErrorStyle.openAI.error(error.message, status: .badRequest)
        }
        let model = try await requiredModel(req.model, style: .openAI)
        if let message = Self.capabilityError(model: model, name: req.model, think: chat.think, tools: chat.tools) {
            throw ErrorStyle.openAI.error(message, status: .badRequest)
        }
        let responseID = "resp_\(Int.random(in: 0..<999_999))"
        let messageID = "msg_\(Int.random(in: 0..<999_999))"
        if chat.messages.isEmpty {
            // Nothing to answer: Ollama loads the model and answers an empty chat (`done_reason: load`).
            try await loadOnly(model, keepAlive: nil, style: .openAI)
            var converter = Self.responsesConverter(req, responseID: responseID, messageID: messageID)
            let usage = ResponsesUsage(inputTokens: 0, outputTokens: 0)
            guard req.stream == true else {
                return Responses.json(Self.wholeResponse(req, responseID: responseID, messageID: messageID, events: [], usage: usage))
            }
            let frames = converter.finish(usage: usage).map(Self.frame)
            return Responses.stream(contentType: Responses.sseType) { writer in
                try await writer.write(ByteBuffer(bytes: frames.flatMap { $0.encoded() }))
                try await writer.finish(nil)
            }
        }
        let input = Self.chatInput(
            model: model,
            messages: chat.messages,
            tools: chat.tools,
            limit: req.maxOutputTokens,
            seed: nil,
            think: chat.think,
            format: chat.format
        )
        let prepared = try await prepare(request, model: model, input: input, keepAlive: nil, arrival: arrival, style: .openAI)
        let format = Self.responsesFormat(req, responseID: responseID, messageID: messageID)
        return await answer(prepared, stream: req.stream == true, format: format)
    }

    /// Responses answers: the response object, or Ollama's named events numbered from 0 by one
    /// converter shared by the stream's closures.
    static func responsesFormat(_ request: ResponsesRequest, responseID: String, messageID: String) -> AnswerFormat {
        let converter = SharedConverter(responsesConverter(request, responseID: responseID, messageID: messageID))
        let stream = NamedEventStream(
            chunk: { event in converter.update { $0.process(event) }.map(frame) },
            end: { metrics in converter.update { $0.finish(usage: usage(of: metrics)) }.map(frame) },
            failure: { message in
                let event = converter.update { $0.failure(message) }
                return SSEEvent.named(event.type, event)
            }
        )
        return AnswerFormat(
            style: .openAI,
            chunk: { _ in nil },
            end: { _ in [] },
            whole: { events, metrics in
                wholeResponse(request, responseID: responseID, messageID: messageID, events: events, usage: usage(of: metrics))
            },
            events: stream
        )
    }

    /// The response object of a whole answer, as Ollama's `ToResponse` builds it: a reasoning
    /// item (`rs_<response id>`) when the model thought, then the function calls
    /// (`fc_<response id>_<n>`) or the message.
    static func wholeResponse(
        _ request: ResponsesRequest,
        responseID: String,
        messageID: String,
        events: [InferenceEvent],
        usage: ResponsesUsage
    ) -> ResponsesObject {
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
        var output: [ResponsesOutputItem] = []
        if !thinking.isEmpty { output.append(.reasoning(id: "rs_\(responseID)", text: thinking)) }
        if calls.isEmpty {
            output.append(.message(id: messageID, status: "completed", text: text))
        } else {
            for (index, call) in calls.enumerated() {
                output.append(
                    .functionCall(
                        id: "fc_\(responseID)_\(index)",
                        status: "completed",
                        callID: call.id ?? callID(),
                        name: call.function.name,
                        arguments: argumentsJSON(call)
                    )
                )
            }
        }
        let seconds = Int64(Date().timeIntervalSince1970)
        var response = ResponsesObject(id: responseID, createdAt: seconds, status: "completed", request: request, output: output, usage: usage)
        response.completedAt = seconds
        return response
    }

    /// Go's texts where Ollama's Responses decoding differs from the other routes: gin's bare
    /// `EOF` for an empty body, and the custom `input` decoder's message for an input that is
    /// neither a string nor a list.
    static func responsesDecodeMessage(_ message: String) -> String {
        if message == "missing request body" { return "EOF" }
        let inputType = "json: cannot unmarshal "
        let field = " into Go struct field ResponsesRequest.input of type "
        if message.hasPrefix(inputType), let range = message.range(of: field) {
            let actual = message[message.index(message.startIndex, offsetBy: inputType.count)..<range.lowerBound]
            return "input must be a string or array: json: cannot unmarshal \(actual) into Go value of type []json.RawMessage"
        }
        return message
    }

    /// A tool call's arguments as the JSON string OpenAI clients expect (keys sorted, as Go writes a map).
    static func argumentsJSON(_ call: ToolCall) -> String {
        String(decoding: (try? OllamaJSON.encode(call.function.arguments)) ?? Data("{}".utf8), as: UTF8.self)
    }

    /// A call id as Ollama makes one: `call_` and eight random lowercase letters or digits.
    static func callID() -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        return "call_" + String((0..<8).map { _ in alphabet[Int.random(in: 0..<alphabet.count)] })
    }

    private static func responsesConverter(_ request: ResponsesRequest, responseID: String, messageID: String) -> ResponsesStreamConverter {
        ResponsesStreamConverter(
            request: request,
            responseID: responseID,
            messageID: messageID,
            now: { Int64(Date().timeIntervalSince1970) },
            randomID: { prefix in prefix == "call" ? callID() : "\(prefix)_\(Int.random(in: 0..<999_999))" }
        )
    }

    private static func usage(of metrics: GenerationMetrics) -> ResponsesUsage {
        ResponsesUsage(inputTokens: metrics.promptEvalCount ?? 0, outputTokens: metrics.evalCount ?? 0)
    }

    private static func frame(_ event: ResponsesStreamEvent) -> SSEEvent {
        SSEEvent.named(event.type, event)
    }
}
