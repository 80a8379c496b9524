import Hummingbird
import OllamaAPI

/// How one inference route writes a played plan: its chunk, its closing objects and its whole
/// answer. The steps around them (timing, slot release, failures) are ``SimulatorHandlers/answer(_:stream:format:)``'s.
struct AnswerFormat: Sendable {
    /// Ollama's NDJSON lines or OpenAI's server-sent events, and the matching error shape.
    var style: ErrorStyle
    /// The streamed object for one event, or `nil` to send nothing for it.
    var chunk: @Sendable (InferenceEvent) -> (any Encodable)?
    /// The objects that close a stream, after the last event.
    var end: @Sendable (GenerationMetrics) -> [any Encodable]
    /// The single object of a non-streamed answer, from all events in order.
    var whole: @Sendable ([InferenceEvent], GenerationMetrics) -> any Encodable
    /// For streams of named events (OpenAI Responses, Anthropic Messages): these frames replace
    /// `chunk`, `end`, the style's error event and `[DONE]`.
    var events: NamedEventStream? = nil
}

/// A stream of named server-sent events (`event: NAME`), any number per model event. Made per
/// request: its closures may share the state that numbers the events.
struct NamedEventStream: Sendable {
    /// The frames for one model event, written in one piece (one flush per token).
    var chunk: @Sendable (InferenceEvent) -> [SSEEvent]
    /// The frames that close the stream.
    var end: @Sendable (GenerationMetrics) -> [SSEEvent]
    /// The frame that ends a stream failing midway, from the failure's message.
    var failure: @Sendable (String) -> SSEEvent
}

extension SimulatorHandlers {
    /// Plays `prepared` out in time and writes it as `format` says: streamed, or as one object
    /// once the plan is done. The slot is released before the last object is written.
    ///
    /// A planned mid-stream failure becomes a 500 for a whole answer, an error line (or event)
    /// in a stream, or a dropped connection, as the fault configuration says.
    func answer(_ prepared: PreparedInference, stream: Bool, format: AnswerFormat) async -> Response {
        let style = format.style
        guard stream else {
            var events: [InferenceEvent] = []
            do {
                let metrics = try await prepared.playThenRelease { events.append($0) }
                return Responses.json(format.whole(events, metrics))
            } catch let failure as SimulatedFailure {
                return style.response(failure.message, status: .internalServerError)
            } catch {
                return style.response("request canceled", status: SimulatorError.canceled)
            }
        }
        if let events = format.events { return Self.namedEvents(prepared, events) }
        let contentType = style == .ollama ? Responses.ndjsonType : Responses.sseType
        return Responses.stream(contentType: contentType) { writer in
            do {
                let metrics = try await prepared.playThenRelease { event in
                    guard let chunk = format.chunk(event) else { return }
                    try await writer.write(chunk, style: style)
                }
                for object in format.end(metrics) { try await writer.write(object, style: style) }
                if style == .openAI { try await writer.writeDone() }
            } catch let failure as SimulatedFailure where failure.mode == .errorLine {
                switch style {
                case .ollama: try await writer.writeLine(ErrorResponse(error: failure.message))
                case .openAI: try await writer.writeEvent(OpenAIErrorResponse(status: 500, message: failure.message))
                case .anthropic: try await writer.writeEvent(AnthropicErrorResponse(status: 500, message: failure.message))
                }
            }
            try await writer.finish(nil)
        }
    }
}

extension SimulatorHandlers {
    /// ``answer(_:stream:format:)``'s stream of named events: each model event's frames in one
    /// write, then the closing frames; a planned failure ends it with the failure frame.
    fileprivate static func namedEvents(_ prepared: PreparedInference, _ format: NamedEventStream) -> Response {
        Responses.stream(contentType: Responses.sseType) { writer in
            do {
                let metrics = try await prepared.playThenRelease { event in
                    try await writer.writeEvents(format.chunk(event))
                }
                try await writer.writeEvents(format.end(metrics))
            } catch let failure as SimulatedFailure where failure.mode == .errorLine {
                try await writer.writeEvents([format.failure(failure.message)])
            }
            try await writer.finish(nil)
        }
    }
}

extension ResponseBodyWriter {
    /// Writes `events` in one piece; nothing when there are none.
    fileprivate mutating func writeEvents(_ events: [SSEEvent]) async throws {
        guard !events.isEmpty else { return }
        try await write(ByteBuffer(bytes: events.flatMap { $0.encoded() }))
    }

    /// Writes `value` as an NDJSON line (Ollama) or an SSE event (OpenAI).
    fileprivate mutating func write(_ value: any Encodable, style: ErrorStyle) async throws {
        switch style {
        case .ollama: try await writeLine(value)
        case .openAI, .anthropic: try await writeEvent(value)
        }
    }
}
