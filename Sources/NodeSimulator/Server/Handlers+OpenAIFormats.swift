import Foundation
import OllamaAPI

extension SimulatorHandlers {
    /// Chat completions: `chat.completion.chunk` deltas, a closing chunk with the finish reason
    /// and, when asked, a usage chunk; or one `chat.completion`.
    static func chatCompletionFormat(
        _ prepared: PreparedInference,
        id: String,
        model: String,
        includeUsage: Bool
    )
        -> AnswerFormat
    {
        let created = Int64(Date().timeIntervalSince1970)
        let finish = finishReason(prepared.plan)
        return AnswerFormat(
            style: .openAI,
            chunk: { event in
                var delta = OpenAIMessageDelta(role: "assistant", content: "")
                switch event {
                case .thinking(let text): delta.reasoning = text
                case .content(let text): delta.content = text
                case .toolCalls(let calls): delta.toolCalls = openAIToolCalls(calls)
                }
                return ChatCompletionChunk(
                    id: id,
                    created: created,
                    model: model,
                    choices: [.init(index: 0, delta: delta, finishReason: nil)]
                )
            },
            end: { metrics in
                let last = ChatCompletionChunk(
                    id: id,
                    created: created,
                    model: model,
                    choices: [.init(index: 0, delta: OpenAIMessageDelta(role: "assistant", content: ""), finishReason: finish)]
                )
                guard includeUsage else { return [last] }
                return [last, ChatCompletionChunk(id: id, created: created, model: model, choices: [], usage: usage(metrics))]
            },
            whole: { events, metrics in
                var content = ""
                var reasoning = ""
                var calls: [ToolCall] = []
                for event in events {
                    switch event {
                    case .thinking(let piece): reasoning += piece
                    case .content(let piece): content += piece
                    case .toolCalls(let made): calls = made
                    }
                }
                var message = OpenAIMessage(
                    role: "assistant",
                    content: .text(content),
                    toolCalls: calls.isEmpty ? nil : openAIToolCalls(calls)
                )
                if !reasoning.isEmpty { message.reasoning = reasoning }
                return ChatCompletion(
                    id: id,
                    created: created,
                    model: model,
                    choices: [.init(index: 0, message: message, finishReason: finish)],
                    usage: usage(metrics)
                )
            }
        )
    }

    /// Legacy completions: `text_completion` pieces, a closing piece with the finish reason and,
    /// when asked, a usage object; or one completion with all the text.
    static func completionFormat(_ prepared: PreparedInference, id: String, model: String, includeUsage: Bool) -> AnswerFormat {
        let created = Int64(Date().timeIntervalSince1970)
        let finish = finishReason(prepared.plan)
        return AnswerFormat(
            style: .openAI,
            chunk: { event in
                guard case .content(let piece) = event else { return nil }
                return Completion(
                    id: id,
                    created: created,
                    model: model,
                    choices: [.init(index: 0, text: piece, finishReason: nil)],
                    usage: nil
                )
            },
            end: { metrics in
                let last = Completion(
                    id: id,
                    created: created,
                    model: model,
                    choices: [.init(index: 0, text: "", finishReason: finish)],
                    usage: nil
                )
                guard includeUsage else { return [last] }
                return [last, Completion(id: id, created: created, model: model, choices: [], usage: usage(metrics))]
            },
            whole: { events, metrics in
                var text = ""
                for case .content(let piece) in events { text += piece }
                return Completion(
                    id: id,
                    created: created,
                    model: model,
                    choices: [.init(index: 0, text: text, finishReason: finish)],
                    usage: usage(metrics)
                )
            }
        )
    }
}
