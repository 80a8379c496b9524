import Foundation
import LoadGenerator
import OllamaAPI
import Testing

/// Token times from chunks: what counts as a token, what ends a stream, what is malformed.
struct StreamTimingTests {
    @Test func ollamaLinesAreTokensUntilDone() {
        var timing = StreamTiming(streamed: true, api: .ollama)
        timing.feed(Array(#"{"response":"a","done":false}"#.utf8) + [0x0A] + Array(#"{"respo"#.utf8), at: 0.10)
        timing.feed(Array(#"nse":"b","done":false}"#.utf8) + [0x0A], at: 0.12)
        timing.feed(Array(#"{"response":"","done":true,"eval_count":2,"prompt_eval_count":7}"#.utf8) + [0x0A], at: 0.13)
        #expect(timing.tokenTimes == [0.10, 0.12])
        #expect(abs((timing.gaps.first ?? 0) - 0.02) < 1e-12)
        #expect(timing.finished)
        #expect(!timing.malformed)
        #expect(timing.outputTokens == 2)
        #expect(timing.reported.promptTokens == 7)
    }

    @Test func openAIEventsWithChoicesAreTokensAndUsageIsNot() {
        var timing = StreamTiming(streamed: true, api: .openai)
        let events = """
            data: {"choices":[{"delta":{"content":"a"}}]}

            data: {"choices":[{"delta":{"content":"b"}}]}

            data: {"choices":[],"usage":{"prompt_tokens":5,"completion_tokens":2}}

            data: [DONE]


            """
        timing.feed(Array(events.utf8), at: 1)
        #expect(timing.tokenTimes == [1, 1])
        #expect(timing.finished)
        #expect(timing.reported.outputTokens == 2)
    }

    @Test func aStreamWithoutItsEndIsNotFinishedAndNoiseIsMalformed() {
        var cut = StreamTiming(streamed: true, api: .ollama)
        cut.feed(Array(#"{"response":"a","done":false}"#.utf8) + [0x0A], at: 0)
        #expect(!cut.finished)
        var html = StreamTiming(streamed: true, api: .ollama)
        html.feed(Array("<html>oops</html>\n".utf8), at: 0)
        #expect(html.malformed)
        var error = StreamTiming(streamed: true, api: .ollama)
        error.feed(Array(#"{"error":"model crashed"}"#.utf8) + [0x0A], at: 0)
        #expect(error.malformed)
    }

    @Test func countsFallBackToTokensSeenWithoutServerStatistics() {
        var timing = StreamTiming(streamed: true, api: .ollama)
        timing.feed(Array("{\"response\":\"a\",\"done\":false}\n{\"response\":\"b\",\"done\":false}\n{\"done\":true}\n".utf8), at: 0)
        #expect(timing.outputTokens == 2)
    }
}

/// Request bodies for each API and endpoint.
struct LoadTargetTests {
    static func json(_ target: LoadTarget) throws -> JSONObject {
        try JSONDecoder().decode(JSONObject.self, from: target.body(prompt: "hi", maxTokens: 8))
    }

    @Test func ollamaGenerateAsksForNumPredict() throws {
        let target = LoadTarget(url: "http://h:1/", model: "m")
        #expect(target.path == "/api/generate")
        #expect(target.url == "http://h:1")
        let body = try Self.json(target)
        #expect(body["prompt"] == "hi")
        #expect(body["stream"] == true)
        #expect(body["options"]?.objectValue?["num_predict"] == .int(8))
    }

    @Test func openAIChatStreamsWithUsage() throws {
        let target = LoadTarget(url: "http://h:1", model: "m", api: .openai, endpoint: .chat)
        #expect(target.path == "/v1/chat/completions")
        let body = try Self.json(target)
        #expect(body["max_tokens"] == .int(8))
        #expect(body["stream_options"]?.objectValue?["include_usage"] == true)
        #expect(body["messages"]?.arrayValue?.first?.objectValue?["content"] == "hi")
    }

    @Test func embeddingsNeverStream() throws {
        let target = LoadTarget(url: "http://h:1", model: "m", api: .ollama, endpoint: .embed, stream: true)
        #expect(!target.stream)
        let body = try Self.json(target)
        #expect(body["input"] == "hi")
        #expect(body["stream"] == nil)
    }
}
