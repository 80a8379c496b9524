import Foundation
import OllamaAPI
import Testing

@testable import LoadGenerator

/// Token times, counts, ends and errors of the Anthropic Messages and OpenAI Responses event
/// streams, from recorded frames (as Ollama writes them) split across chunks at awkward places.
struct APIStreamTimingTests {
    /// Feeds `chunks` (text, arrival time) in order.
    static func timing(_ api: LoadTarget.API, _ chunks: [(String, Double)]) -> StreamTiming {
        var timing = StreamTiming(streamed: true, api: api)
        for (text, time) in chunks { timing.feed(Array(text.utf8), at: time) }
        return timing
    }

    static func frame(_ event: String, _ data: String) -> String {
        "event: \(event)\ndata: \(data)\n\n"
    }

    static let messageStart = frame(
        "message_start",
        #"{"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"m","content":[],"usage":{"input_tokens":7,"output_tokens":0}}}"#
    )
    static func textStart(_ index: Int) -> String {
        frame("content_block_start", #"{"type":"content_block_start","index":\#(index),"content_block":{"type":"text","text":""}}"#)
    }
    static func textDelta(_ index: Int, _ text: String) -> String {
        frame("content_block_delta", #"{"type":"content_block_delta","index":\#(index),"delta":{"type":"text_delta","text":"\#(text)"}}"#)
    }
    static func blockStop(_ index: Int) -> String {
        frame("content_block_stop", #"{"type":"content_block_stop","index":\#(index)}"#)
    }
    static func messageEnd(output: Int) -> String {
        frame(
            "message_delta",
            #"{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"input_tokens":7,"output_tokens":\#(output)}}"#
        ) + frame("message_stop", #"{"type":"message_stop"}"#)
    }

    @Test func anthropicTokensAreContentDeltasNotMessageStartAndCountsComeFromMessageDelta() {
        let first = Self.textDelta(0, "Hel")
        let split = first.index(first.startIndex, offsetBy: 9)  // "event: co" | "ntent_block_delta..."
        let second = Self.textDelta(0, "lo")
        let timing = Self.timing(
            .anthropic,
            [
                (Self.messageStart + Self.textStart(0) + String(first[..<split]), 0.05),
                (String(first[split...].dropLast()), 0.08),
                ("\n" + second.prefix(30), 0.125),
                (String(second.dropFirst(30)) + ": ping\n" + Self.frame("ping", #"{"type":"ping"}"#), 0.25),
                (Self.blockStop(0) + Self.messageEnd(output: 3), 0.375),
            ]
        )
        #expect(timing.tokenTimes == [0.125, 0.25])
        #expect(timing.gaps == [0.125])
        #expect(timing.finished)
        #expect(!timing.malformed)
        #expect(timing.errorMessage == nil)
        #expect(timing.reported.promptTokens == 7)
        #expect(timing.outputTokens == 3)
    }

    @Test func anthropicThinkingAndToolInputDeltasAreTokens() {
        let thinking = Self.frame(
            "content_block_start",
            #"{"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":""}}"#
        )
        let think = Self.frame(
            "content_block_delta",
            #"{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"Hmm"}}"#
        )
        let tool = Self.frame(
            "content_block_start",
            #"{"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"call_1","name":"get_weather","input":{}}}"#
        )
        let input = Self.frame(
            "content_block_delta",
            #"{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"city\":\"Paris\"}"}}"#
        )
        let timing = Self.timing(
            .anthropic,
            [
                (Self.messageStart, 0.0625), (thinking + think, 0.125), (think, 0.1875), (Self.blockStop(0) + tool + input, 0.25),
                (Self.blockStop(1) + Self.messageEnd(output: 4), 0.3125),
            ]
        )
        #expect(timing.tokenTimes == [0.125, 0.1875, 0.25])
        #expect(timing.finished)
        #expect(timing.outputTokens == 4)
    }

    @Test func eventsWithoutAnEventLineAreKnownByTheirDataType() {
        let dataOnly = [Self.messageStart, Self.textDelta(0, "a"), Self.textDelta(0, "b"), Self.messageEnd(output: 2)].joined()
            .split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("event: ") }.joined(separator: "\n")
        let timing = Self.timing(.anthropic, [(dataOnly, 0.5)])
        #expect(timing.tokenTimes == [0.5, 0.5])
        #expect(timing.finished)
        #expect(timing.outputTokens == 2)
    }

    @Test func anthropicErrorEventEndsTheStreamAsAFailureWithItsMessage() {
        let error = Self.frame("error", #"{"type":"error","error":{"type":"api_error","message":"model runner crashed"}}"#)
        let timing = Self.timing(
            .anthropic,
            [
                (Self.messageStart + Self.textStart(0) + Self.textDelta(0, "a"), 0.1), (String(error.prefix(20)), 0.2),
                (String(error.dropFirst(20)), 0.3),
            ]
        )
        #expect(timing.tokenTimes == [0.1])
        #expect(!timing.finished)
        #expect(timing.errorMessage == "model runner crashed")
        var recorder = ResponseRecorder(target: Self.target(.anthropic), intendedStart: 0, actualStart: 0)
        recorder.head(status: 200)
        recorder.body(Array((Self.messageStart + Self.textDelta(0, "a") + error).utf8), at: 0.1)
        let result = recorder.finish(at: 0.3)
        #expect(result.error == .badResponse)
        #expect(result.errorMessage == "model runner crashed")
        #expect(result.ttft == 0.1)
    }

    static func target(_ api: LoadTarget.API) -> LoadTarget {
        LoadTarget(url: "http://127.0.0.1:1", model: "m", api: api, endpoint: .chat)
    }

    static func event(_ name: String, _ fields: String, _ sequence: Int) -> String {
        frame(name, #"{"type":"\#(name)",\#(fields)"sequence_number":\#(sequence)}"#)
    }

    static let created =
        event("response.created", #""response":{"id":"resp_1","object":"response","status":"in_progress","usage":null},"#, 0)
        + event("response.in_progress", #""response":{"id":"resp_1","object":"response","status":"in_progress"},"#, 1)
    static func textDelta(_ text: String, _ sequence: Int) -> String {
        event("response.output_text.delta", #""item_id":"msg_1","output_index":0,"content_index":0,"delta":"\#(text)","#, sequence)
    }
    static func completed(_ sequence: Int, output: Int) -> String {
        event(
            "response.completed",
            #""response":{"id":"resp_1","object":"response","status":"completed","max_output_tokens":64,"output":[{"type":"message","content":[{"type":"output_text","text":"output_tokens: 99"}]}],"usage":{"input_tokens":5,"input_tokens_details":{"cached_tokens":0},"output_tokens":\#(output),"output_tokens_details":{"reasoning_tokens":0},"total_tokens":\#(5 + output)}},"#,
            sequence
        )
    }

    @Test func responsesTokensAreOutputTextDeltasNotResponseCreatedAndCountsComeFromCompleted() {
        let added =
            Self.event("response.output_item.added", #""output_index":0,"item":{"id":"msg_1","type":"message","content":[]},"#, 2)
            + Self.event(
                "response.content_part.added",
                #""item_id":"msg_1","output_index":0,"content_index":0,"part":{"type":"output_text","text":""},"#,
                3
            )
        let second = Self.textDelta("b", 5)
        let timing = Self.timing(
            .responses,
            [
                (Self.created, 0.05), (added + Self.textDelta("a", 4) + String(second.prefix(40)), 0.125),
                (String(second.dropFirst(40).dropLast(1)), 0.2), ("\n", 0.25),
                (Self.event("response.output_text.done", #""item_id":"msg_1","text":"ab","#, 6) + Self.completed(7, output: 3), 0.3),
            ]
        )
        #expect(timing.tokenTimes == [0.125, 0.25])
        #expect(timing.gaps == [0.125])
        #expect(timing.finished)
        #expect(!timing.malformed)
        #expect(timing.reported.promptTokens == 5)
        #expect(timing.outputTokens == 3)
    }

    @Test func responsesReasoningAndFunctionArgumentDeltasAreTokens() {
        let reasoning = Self.event(
            "response.reasoning_summary_text.delta",
            #""item_id":"rs_1","output_index":0,"summary_index":0,"delta":"Hmm","#,
            3
        )
        let arguments = Self.event(
            "response.function_call_arguments.delta",
            #""item_id":"fc_1","output_index":1,"delta":"{\"city\":\"Paris\"}","#,
            5
        )
        let timing = Self.timing(
            .responses,
            [(Self.created, 0.0625), (reasoning, 0.125), (arguments, 0.25), (Self.completed(6, output: 5), 0.3125)]
        )
        #expect(timing.tokenTimes == [0.125, 0.25])
        #expect(timing.finished)
        #expect(timing.outputTokens == 5)
    }

    @Test func responsesErrorEventAndFailedResponseAreFailuresWithTheirMessage() {
        let error = Self.frame("error", #"{"type":"error","code":"api_error","message":"model runner crashed","param":null,"sequence_number":5}"#)
        let cut = Self.timing(.responses, [(Self.created + Self.textDelta("a", 4), 0.1), (error, 0.2)])
        #expect(cut.tokenTimes == [0.1])
        #expect(!cut.finished)
        #expect(cut.errorMessage == "model runner crashed")
        let failed = Self.event(
            "response.failed",
            #""response":{"id":"resp_1","status":"failed","error":{"code":"server_error","message":"out of memory"}},"#,
            5
        )
        #expect(Self.timing(.responses, [(Self.created + failed, 0.1)]).errorMessage == "out of memory")
    }

    @Test func errorAnswersKeepTheirMessageInEachAPIsShape() {
        let bodies: [(LoadTarget.API, Int, String, ErrorKind, String)] = [
            (
                .anthropic, 404, #"{"type":"error","error":{"type":"not_found_error","message":"model \"x\" not found"},"request_id":"req_1"}"#,
                .http4xx, #"model "x" not found"#
            ),
            (.responses, 503, #"{"error":{"message":"no healthy node","type":"api_error","param":null,"code":null}}"#, .http5xx, "no healthy node"),
            (.ollama, 500, #"{"error":"llama runner process has terminated"}"#, .http5xx, "llama runner process has terminated"),
            (.openai, 502, "<html>Bad Gateway</html>\n", .http5xx, "<html>Bad Gateway</html>"),
        ]
        for (api, status, body, kind, message) in bodies {
            var recorder = ResponseRecorder(target: Self.target(api), intendedStart: 0, actualStart: 0)
            recorder.head(status: status)
            recorder.body(Array(body.utf8.prefix(12)), at: 0.1)
            recorder.body(Array(body.utf8.dropFirst(12)), at: 0.2)
            let result = recorder.finish(at: 0.2)
            #expect(result.error == kind)
            #expect(result.errorMessage == message)
            #expect(result.ttft == nil)
        }
    }

    @Test func aCompleteAnthropicAnswerIsASuccessWithItsTiming() {
        var recorder = ResponseRecorder(target: Self.target(.anthropic), intendedStart: 0, actualStart: 0)
        recorder.head(status: 200)
        recorder.body(Array((Self.messageStart + Self.textStart(0)).utf8), at: 0.0625)
        recorder.body(Array(Self.textDelta(0, "a").utf8), at: 0.125)
        recorder.body(Array(Self.textDelta(0, "b").utf8), at: 0.25)
        recorder.body(Array((Self.blockStop(0) + Self.messageEnd(output: 2)).utf8), at: 0.3125)
        let result = recorder.finish(at: 0.375)
        #expect(result.error == nil && result.errorMessage == nil)
        #expect(result.ttft == 0.125)
        #expect(result.gaps == [0.125])
        #expect(result.promptTokens == 7 && result.outputTokens == 2)
        var cut = ResponseRecorder(target: Self.target(.anthropic), intendedStart: 0, actualStart: 0)
        cut.head(status: 200)
        cut.body(Array((Self.messageStart + Self.textDelta(0, "a")).utf8), at: 0.125)
        #expect(cut.finish(at: 0.2).error == .streamBroken)
    }
}
