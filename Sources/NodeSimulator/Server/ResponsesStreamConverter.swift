import Foundation
import OllamaAPI

/// Turns a played plan into `/v1/responses` stream events, in Ollama's order and numbering
/// (its `ResponsesStreamConverter`): `response.created` and `response.in_progress` come with the
/// first token; reasoning opens a `reasoning` item (`response.reasoning_summary_text.delta`),
/// closed when the text or a tool call begins; text opens a `message` item with one
/// `output_text` part; tool calls are whole `function_call` items; the end closes the open
/// items and sends `response.completed` with the usage. Pure: ids and clock are given.
struct ResponsesStreamConverter: Sendable {
    let request: ResponsesRequest
    let responseID: String
    let messageID: String
    /// Unix seconds, for `created_at` and `completed_at`.
    var now: @Sendable () -> Int64
    /// Ids for the items Ollama numbers at random (`rs_123`, `fc_123_0`, `call_abcd1234`).
    var randomID: @Sendable (String) -> String

    private var sequence = 0
    private var started = false
    private var outputIndex = 0
    private var text = ""
    private var textStarted = false
    private var toolCallsSent = false
    private var thinking = ""
    private var reasoningID: String?
    private var completed: [ResponsesOutputItem] = []

    init(
        request: ResponsesRequest,
        responseID: String,
        messageID: String,
        now: @escaping @Sendable () -> Int64,
        randomID: @escaping @Sendable (String) -> String
    ) {
        self.request = request
        self.responseID = responseID
        self.messageID = messageID
        self.now = now
        self.randomID = randomID
    }

    /// The events for one model event.
    mutating func process(_ event: InferenceEvent) -> [ResponsesStreamEvent] {
        var events = start()
        switch event {
        case .thinking(let piece): events += reasoningDelta(piece)
        case .toolCalls(let calls):
            events += finishReasoning()
            events += functionCalls(calls)
            toolCallsSent = true
        case .content(let piece):
            guard !toolCallsSent, !piece.isEmpty else { break }
            events += finishReasoning()
            events += textDelta(piece)
        }
        return events
    }

    /// The closing events: the open items done, then `response.completed` with `usage`.
    mutating func finish(usage: ResponsesUsage) -> [ResponsesStreamEvent] {
        var events = start() + finishReasoning()
        var output = completed
        if textStarted, !toolCallsSent {
            let (id, index, text) = (messageID, outputIndex, text)
            let item = ResponsesOutputItem.message(id: id, status: "completed", text: text)
            events.append(event("response.output_text.done") { $0.textFields(id, index, text: text) })
            events.append(event("response.content_part.done") { $0.partFields(id, index, text: text) })
            events.append(event("response.output_item.done") { $0.itemFields(index, item) })
            output.append(item)
        }
        var response = ResponsesObject(id: responseID, createdAt: now(), status: "completed", request: request, output: output, usage: usage)
        response.completedAt = now()
        events.append(event("response.completed") { $0.response = response })
        return events
    }

    /// The `error` event that ends a failed stream, numbered after the last event.
    mutating func failure(_ message: String) -> ResponsesErrorEvent {
        defer { sequence += 1 }
        return ResponsesErrorEvent(message: message, sequenceNumber: sequence)
    }

    private mutating func start() -> [ResponsesStreamEvent] {
        guard !started else { return [] }
        started = true
        let response = ResponsesObject(id: responseID, createdAt: now(), status: "in_progress", request: request, output: [], usage: nil)
        return [event("response.created") { $0.response = response }, event("response.in_progress") { $0.response = response }]
    }

    private mutating func reasoningDelta(_ piece: String) -> [ResponsesStreamEvent] {
        var events: [ResponsesStreamEvent] = []
        let index = outputIndex
        let id: String
        if let open = reasoningID {
            id = open
        } else {
            id = randomID("rs")
            reasoningID = id
            events.append(event("response.output_item.added") { $0.itemFields(index, .reasoning(id: id, text: nil)) })
        }
        thinking += piece
        events.append(
            event("response.reasoning_summary_text.delta") {
                $0.itemID = id
                $0.outputIndex = index
                $0.summaryIndex = 0
                $0.delta = piece
            }
        )
        return events
    }

    private mutating func finishReasoning() -> [ResponsesStreamEvent] {
        guard let id = reasoningID else { return [] }
        let (index, summary) = (outputIndex, thinking)
        let item = ResponsesOutputItem.reasoning(id: id, text: summary)
        let events = [
            event("response.reasoning_summary_text.done") {
                $0.itemID = id
                $0.outputIndex = index
                $0.summaryIndex = 0
                $0.text = summary
            },
            event("response.output_item.done") { $0.itemFields(index, item) },
        ]
        completed.append(item)
        reasoningID = nil
        thinking = ""
        outputIndex += 1
        return events
    }

    private mutating func functionCalls(_ calls: [ToolCall]) -> [ResponsesStreamEvent] {
        var events: [ResponsesStreamEvent] = []
        for (offset, call) in calls.enumerated() {
            let index = outputIndex + offset
            let id = randomID("fc") + "_\(offset)"
            let arguments = SimulatorHandlers.argumentsJSON(call)
            let callID = call.id ?? randomID("call")
            let done = ResponsesOutputItem.functionCall(id: id, status: "completed", callID: callID, name: call.function.name, arguments: arguments)
            var added = done
            added.status = "in_progress"
            added.arguments = ""
            completed.append(done)
            events.append(event("response.output_item.added") { $0.itemFields(index, added) })
            events.append(
                event("response.function_call_arguments.delta") {
                    $0.itemID = id
                    $0.outputIndex = index
                    $0.delta = arguments
                }
            )
            events.append(
                event("response.function_call_arguments.done") {
                    $0.itemID = id
                    $0.outputIndex = index
                    $0.arguments = arguments
                }
            )
            events.append(event("response.output_item.done") { $0.itemFields(index, done) })
        }
        outputIndex += calls.count
        return events
    }

    private mutating func textDelta(_ piece: String) -> [ResponsesStreamEvent] {
        var events: [ResponsesStreamEvent] = []
        let (id, index) = (messageID, outputIndex)
        if !textStarted {
            textStarted = true
            let opened = ResponsesOutputItem.message(id: id, status: "in_progress", text: nil)
            events.append(event("response.output_item.added") { $0.itemFields(index, opened) })
            events.append(event("response.content_part.added") { $0.partFields(id, index, text: "") })
        }
        text += piece
        events.append(
            event("response.output_text.delta") {
                $0.itemID = id
                $0.outputIndex = index
                $0.contentIndex = 0
                $0.delta = piece
                $0.logprobs = []
            }
        )
        return events
    }

    /// The next event of `type`, numbered, with the fields `fill` sets.
    private mutating func event(_ type: String, _ fill: (inout ResponsesStreamEvent) -> Void) -> ResponsesStreamEvent {
        var event = ResponsesStreamEvent(type: type, sequenceNumber: sequence)
        sequence += 1
        fill(&event)
        return event
    }
}

extension ResponsesStreamEvent {
    fileprivate mutating func itemFields(_ index: Int, _ item: ResponsesOutputItem) {
        outputIndex = index
        self.item = item
    }

    fileprivate mutating func textFields(_ id: String, _ index: Int, text: String) {
        itemID = id
        outputIndex = index
        contentIndex = 0
        self.text = text
        logprobs = []
    }

    fileprivate mutating func partFields(_ id: String, _ index: Int, text: String) {
        itemID = id
        outputIndex = index
        contentIndex = 0
        part = ResponsesOutputContent(text: text)
    }
}
