import OllamaAPI
import Testing

struct UsageScannerTests {
    static let ndjson = """
        {"model":"m","response":"The \\"eval_count\\": 999 trick","done":false}
        {"model":"m","response":" and eval_count: 5","done":false}
        {"model":"m","response":"","done":true,"done_reason":"stop","context":[1,2,3],"total_duration":912000000,"prompt_eval_count":26,"prompt_eval_duration":130000000,"eval_count":290,"eval_duration":2900000000}

        """
    static let sse = """
        data: {"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"\\"prompt_tokens\\":1"}}]}

        data: {"id":"c","object":"chat.completion.chunk","choices":[],"usage":{"prompt_tokens":12,"completion_tokens":34,"total_tokens":46}}

        data: [DONE]


        """

    /// An answer whose text is longer than any key and holds escapes and a quoted key name.
    static let longStrings =
        #"{"response":"a long answer with an escaped \" quote, a \\ backslash and \"eval_count\":9","eval_count":2}"#

    static func scan(_ text: String, chunks: [Int] = []) -> UsageScanner.Usage {
        var scanner = UsageScanner()
        var bytes = Array(text.utf8)[...]
        for size in chunks where !bytes.isEmpty {
            scanner.scan(bytes.prefix(size))
            bytes = bytes.dropFirst(size)
        }
        scanner.scan(bytes)
        return scanner.usage
    }

    @Test func ollamaStreamsGiveTheFinalLinesCounts() throws {
        let usage = Self.scan(Self.ndjson)
        #expect(
            usage
                == .init(
                    promptTokens: 26,
                    outputTokens: 290,
                    evalDurationNanoseconds: 2_900_000_000,
                    promptEvalDurationNanoseconds: 130_000_000
                )
        )
        #expect(try #require(usage.tokensPerSecond) == 100)
    }

    @Test func openAIUsageIsFoundInsideItsObject() {
        #expect(Self.scan(Self.sse) == .init(promptTokens: 12, outputTokens: 34, evalDurationNanoseconds: nil))
    }

    @Test func textThatMentionsAKeyIsNotCounted() {
        #expect(Self.scan(#"{"response":"\"eval_count\":7","eval_count": 3}"#).outputTokens == 3)
        #expect(Self.scan(#"{"response":"eval_count"}"#) == .init())
        #expect(Self.scan(#"{"eval_count":"12","prompt_eval_count":1.5}"#) == .init())
        // Strings too long to be keys are skipped up to their end, escaped quotes included.
        #expect(Self.scan(Self.longStrings).outputTokens == 2)
        #expect(Self.scan(#"{"context":[1,2,3],"a_key_far_too_long_to_count":7,"eval_count":4}"#).outputTokens == 4)
    }

    @Test(arguments: 1..<24)
    func anyChunkingGivesTheSameResult(seed: Int) {
        var state = UInt64(seed)
        var sizes: [Int] = []
        for _ in 0..<400 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            sizes.append(Int(state >> 60) + 1)
        }
        #expect(Self.scan(Self.ndjson, chunks: sizes) == Self.scan(Self.ndjson))
        #expect(Self.scan(Self.longStrings, chunks: sizes).outputTokens == 2)
        #expect(Self.scan(Self.sse, chunks: sizes) == Self.scan(Self.sse))
    }

    @Test func noStatisticsMeansNoSpeed() {
        #expect(UsageScanner.Usage(promptTokens: 1, outputTokens: 5, evalDurationNanoseconds: 0).tokensPerSecond == nil)
        #expect(UsageScanner.Usage().tokensPerSecond == nil)
    }
}

extension UsageScannerTests {
    @Test func simulatorFinalLine() {
        let line =
            #"{"context":[54256,47673],"created_at":"2026-11-29T09:53:17.683311939Z","done":true,"done_reason":"length","eval_count":5,"eval_duration":81905000,"load_duration":1501497245,"model":"llama3.2","prompt_eval_count":7,"prompt_eval_duration":3500000,"response":"","total_duration":1587281172}"#
        #expect(
            Self.scan(line)
                == .init(
                    promptTokens: 7,
                    outputTokens: 5,
                    evalDurationNanoseconds: 81_905_000,
                    promptEvalDurationNanoseconds: 3_500_000,
                    loadDurationNanoseconds: 1_501_497_245
                )
        )
    }
}

extension UsageScannerTests {
    /// An Anthropic Messages stream: `message_start` carries the input tokens and 0 output
    /// tokens; the final `message_delta` carries both counts.
    static let anthropic = """
        event: message_start
        data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"m","content":[],"usage":{"input_tokens":12,"output_tokens":0}}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"\\"output_tokens\\":99"}}

        event: message_delta
        data: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"input_tokens":12,"output_tokens":34}}

        event: message_stop
        data: {"type":"message_stop"}


        """

    /// An OpenAI Responses `response.completed` event: the usage object with its details objects
    /// and `total_tokens`, and `max_output_tokens` echoed from the request.
    static let responses = """
        event: response.completed
        data: {"type":"response.completed","response":{"id":"resp_1","max_output_tokens":500,"output":[],"usage":{"input_tokens":21,"input_tokens_details":{"cached_tokens":3},"output_tokens":8,"output_tokens_details":{"reasoning_tokens":5},"total_tokens":29}},"sequence_number":9}


        """

    @Test func anthropicUsageTakesTheFinalMessageDeltasCounts() {
        #expect(Self.scan(Self.anthropic) == .init(promptTokens: 12, outputTokens: 34, evalDurationNanoseconds: nil))
    }

    @Test func responsesUsageIgnoresTheDetailsObjectsAndTheTotal() {
        #expect(Self.scan(Self.responses) == .init(promptTokens: 21, outputTokens: 8, evalDurationNanoseconds: nil))
    }

    @Test(arguments: 1..<12)
    func anthropicAndResponsesCountsSurviveAnyChunking(seed: Int) {
        var state = UInt64(seed)
        var sizes: [Int] = []
        for _ in 0..<400 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            sizes.append(Int(state >> 60) + 1)
        }
        #expect(Self.scan(Self.anthropic, chunks: sizes) == Self.scan(Self.anthropic))
        #expect(Self.scan(Self.responses, chunks: sizes) == Self.scan(Self.responses))
    }
}
