import Foundation
import OllamaAPI

/// Turns a played plan into `/v1/messages` stream events, in Ollama's order (its
/// `StreamConverter`): `message_start` comes with the first token; thinking opens a `thinking`
/// block, closed when the text or a tool call begins; text opens a `text` block; each tool call
/// is a whole `tool_use` block (start with an empty `input`, one `input_json_delta`, stop); the end
/// closes the open block and sends `message_delta` with the stop reason and usage, then
/// `message_stop`. Pure: the ids are given.
struct AnthropicStreamConverter: Sendable {
    let messageID: String
    let model: String
    /// `message_start`'s `input_tokens`. Ollama estimates them from the request, since its first
    /// chunk has no counts; the simulated model knows its prompt's tokens.
    let inputTokens: Int
    /// An id for a tool call that has none (`call_` and eight random characters in Ollama).
    var toolUseID: @Sendable () -> String

    private var started = false
    private var index = 0
    private var thinkingStarted = false
    private var thinkingDone = false
    private var textStarted = false
    private var toolCallsSent = false

    init(messageID: String, model: String, inputTokens: Int, toolUseID: @escaping @Sendable () -> String) {
        self.messageID = messageID
        self.model = model
        self.inputTokens = inputTokens
        self.toolUseID = toolUseID
    }

    /// The events for one model event.
    mutating func process(_ event: InferenceEvent) -> [AnthropicStreamEvent] {
        var events = start()
        switch event {
        case .thinking(let piece):
            guard !piece.isEmpty, !thinkingDone else { break }
            events += closeText()
            if !thinkingStarted {
                thinkingStarted = true
                events.append(.contentBlockStart(index: index, block: .thinking("")))
            }
            events.append(.contentBlockDelta(index: index, delta: .thinking(piece)))
        case .content(let piece):
            guard !piece.isEmpty else { break }
            events += closeThinking()
            if !textStarted {
                textStarted = true
                events.append(.contentBlockStart(index: index, block: .text("")))
            }
            events.append(.contentBlockDelta(index: index, delta: .text(piece)))
        case .toolCalls(let calls):
            for call in calls {
                events += closeThinking() + closeText()
                let id = call.id ?? toolUseID()
                events.append(.contentBlockStart(index: index, block: .toolUse(id: id, name: call.function.name, input: [:])))
                events.append(.contentBlockDelta(index: index, delta: .inputJSON(SimulatorHandlers.inputJSON(call))))
                events.append(.contentBlockStop(index: index))
                index += 1
                toolCallsSent = true
            }
        }
        return events
    }

    /// The closing events: the open block's stop, `message_delta` and `message_stop`.
    mutating func finish(doneReason: String, usage: AnthropicUsage) -> [AnthropicStreamEvent] {
        var events = start()
        if textStarted || (thinkingStarted && !thinkingDone) { events.append(.contentBlockStop(index: index)) }
        let reason = SimulatorHandlers.stopReason(doneReason: doneReason, toolCalls: toolCallsSent)
        events.append(.messageDelta(AnthropicMessageDelta(stopReason: reason), usage: usage))
        events.append(.messageStop)
        return events
    }

    /// The `error` event that ends a failed stream.
    func failure(_ message: String) -> AnthropicStreamEvent {
        .error(AnthropicErrorResponse.Detail(type: "api_error", message: message))
    }

    private mutating func start() -> [AnthropicStreamEvent] {
        guard !started else { return [] }
        started = true
        let message = AnthropicMessagesResponse(
            id: messageID,
            model: model,
            content: [],
            stopReason: nil,
            usage: AnthropicUsage(inputTokens: inputTokens, outputTokens: 0)
        )
        return [.messageStart(message)]
    }

    private mutating func closeThinking() -> [AnthropicStreamEvent] {
        guard thinkingStarted, !thinkingDone else { return [] }
        thinkingDone = true
        defer { index += 1 }
        return [.contentBlockStop(index: index)]
    }

    private mutating func closeText() -> [AnthropicStreamEvent] {
        guard textStarted else { return [] }
        textStarted = false
        defer { index += 1 }
        return [.contentBlockStop(index: index)]
    }
}
