import Foundation
import NIOCore
import OllamaAPI
import Testing

@testable import LoadGenerator

/// Bodies and routes of the Anthropic Messages and Responses targets, and the endpoints they refuse.
struct APILoadTargetTests {
    @Test func anthropicMessagesBodyAsksForMaxTokensAndStreams() throws {
        let target = LoadTarget(url: "http://h:1", model: "m", api: .anthropic, endpoint: .chat)
        #expect(target.path == "/v1/messages")
        let body = try LoadTargetTests.json(target)
        #expect(body == ["model": "m", "max_tokens": 8, "messages": [["role": "user", "content": "hi"]], "stream": true])
        let uncapped = try JSONDecoder().decode(JSONObject.self, from: target.body(prompt: "hi", maxTokens: nil))
        #expect(uncapped["max_tokens"] == .int(4096))
    }

    @Test func responsesBodyAsksForMaxOutputTokens() throws {
        let target = LoadTarget(url: "http://h:1", model: "m", api: .responses, endpoint: .chat, stream: false)
        #expect(target.path == "/v1/responses")
        let body = try LoadTargetTests.json(target)
        #expect(body == ["model": "m", "input": "hi", "max_output_tokens": 8, "stream": false])
    }

    @Test func bodyTemplatesMatchTheEncodedBodies() throws {
        for api in [LoadTarget.API.anthropic, .responses] {
            let target = LoadTarget(url: "http://h:1", model: "m", api: api, endpoint: .chat)
            let template = try #require(BodyTemplate(target: target, maxTokens: 16))
            let prompt = "say \"hi\"\n"
            #expect(Array(template.body(prompt: prompt).readableBytesView) == Array(target.body(prompt: prompt, maxTokens: 16)))
        }
    }

    @Test func onlyChatIsServedByTheMessagesAndResponsesAPIs() {
        #expect(LoadTarget.API.anthropic.endpoints == [.chat] && LoadTarget.API.responses.endpoints == [.chat])
        #expect(LoadTarget.API.anthropic.defaultEndpoint == .chat && LoadTarget.API.ollama.defaultEndpoint == .generate)
        #expect(
            LoadTarget.problem(api: .anthropic, endpoint: .embed) == "the anthropic API has no embed route (it serves chat only)"
        )
        #expect(LoadTarget.problem(api: .openai, endpoint: .embed) == nil)
        let target = LoadTarget(url: "http://127.0.0.1:1", model: "m", api: .responses, endpoint: .generate)
        #expect(throws: LoadError.self) { try LoadRunner(target: target) { _ in ("x", 1) } }
    }
}

/// The servers' own words for failures reach the summary: the first message of each kind.
struct ErrorMessageSummaryTests {
    @Test func theSummaryKeepsTheFirstMessageOfEachErrorKind() {
        let results = [
            RequestResult(intendedStart: 0, endToEnd: 0.1, status: 404, error: .http4xx, errorMessage: #"model "x" not found"#),
            RequestResult(intendedStart: 0, endToEnd: 0.1, status: 404, error: .http4xx, errorMessage: "later"),
            RequestResult(intendedStart: 0, endToEnd: 0.1, status: 200, error: .badResponse, errorMessage: "model runner crashed"),
            RequestResult(intendedStart: 0, endToEnd: 0.1, error: .timeout),
            RequestResult(intendedStart: 0, endToEnd: 0.1, status: 200),
        ]
        let summary = LoadSummary(results: results, elapsed: 1)
        #expect(summary.errorMessages == ["http_4xx": #"model "x" not found"#, "bad_response": "model runner crashed"])
        #expect(
            summary.text().hasPrefix(
                """
                requests     5 sent, 1 ok, 4 failed (bad_response 1, http_4xx 2, timeout 1)
                             first bad_response: model runner crashed
                             first http_4xx: model "x" not found

                """
            )
        )
        #expect(LoadSummary(results: [results[3]], elapsed: 1).errorMessages == nil)
    }
}
