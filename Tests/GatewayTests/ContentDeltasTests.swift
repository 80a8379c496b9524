import NIOCore
import Testing

@testable import Gateway

/// Token chunks on the Anthropic and Responses streams: content delta events only, found by
/// their `event:` line whatever the chunking.
struct ContentDeltasTests {
    /// Which of `chunks` carry tokens.
    static func tokens(_ finder: ContentDeltas, _ chunks: [String]) -> [Bool] {
        var finder = finder
        return chunks.map { finder.carriesTokens(ByteBuffer(string: $0)) }
    }

    static let messageStart = "event: message_start\ndata: {\"type\":\"message_start\"}\n\n"
    static let blockStart = "event: content_block_start\ndata: {\"type\":\"content_block_start\"}\n\n"
    static let delta = "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"delta\":{\"text\":\"hi\"}}\n\n"
    static let messageDelta = "event: message_delta\ndata: {\"type\":\"message_delta\"}\n\n"

    @Test func anthropicTokensAreContentBlockDeltasOnly() {
        #expect(
            Self.tokens(.anthropic, [Self.messageStart, Self.blockStart, Self.delta, Self.delta, Self.messageDelta])
                == [false, false, true, true, false]
        )
        // Text that names the event is inside a JSON string, never followed by a raw line end.
        let mention = "event: ping\ndata: {\"text\":\"event: content_block_delta\\n\"}\n\n"
        #expect(Self.tokens(.anthropic, [mention]) == [false])
        #expect(Self.tokens(.anthropic, ["event: content_block_delta\r\ndata: {}\r\n\r\n"]) == [true])
    }

    @Test func aNameSplitAcrossReadsIsFoundInTheReadThatCompletesIt() {
        #expect(Self.tokens(.anthropic, ["event: content_blo", "ck_delta", "\ndata: {}\n\n"]) == [false, false, true])
        #expect(Self.tokens(.anthropic, ["event: content_block_delt", "event: message_delta\n"]) == [false, false])
        #expect(Self.tokens(.responses, ["event: response.output_text.", "delta\ndata: {}\n\n"]) == [false, true])
    }

    @Test func responsesTokensAreDeltaEvents() {
        let chunks = [
            "event: response.created\ndata: {\"type\":\"response.created\"}\n\n",
            "event: response.output_item.added\ndata: {}\n\n",
            "event: response.reasoning_summary_text.delta\ndata: {\"delta\":\"x\"}\n\n",
            "event: response.output_text.delta\ndata: {\"delta\":\".delta\"}\n\n",
            "event: response.function_call_arguments.delta\ndata: {}\n\n",
            "event: response.output_text.done\ndata: {\"text\":\"a.delta\"}\n\n",
            "event: response.completed\ndata: {\"response\":{\"output\":[{\"text\":\".delta\"}]}}\n\n",
        ]
        #expect(Self.tokens(.responses, chunks) == [false, false, true, true, true, false, false])
    }

    @Test func otherRoutesCountEveryChunk() {
        #expect(ContentDeltas.of(.ollama) == nil)
        #expect(ContentDeltas.of(.openAI) == nil)
        #expect(ContentDeltas.of(.anthropic) != nil)
        #expect(ContentDeltas.of(.responses) != nil)
    }
}
