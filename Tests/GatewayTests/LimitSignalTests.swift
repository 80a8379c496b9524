import AsyncHTTPClient
import Foundation
import NIOCore
import OllamaAPI
import Optimizer
import Testing

@testable import Gateway

/// What a relayed answer tells a node's adaptive limit: time to first token and time per
/// output token from the answer, drops from its status or failure, nothing from the client.
struct LimitSignalTests {
    @Test func aStreamsFirstTokenIsItsFirstChunkAndItsDecodeTimeIsPerToken() throws {
        let usage = UsageScanner.Usage(promptTokens: 12, outputTokens: 40, evalDurationNanoseconds: 2_000_000_000)
        let timing = try #require(AnswerTiming(firstChunk: .milliseconds(300), streamed: true, usage: usage))
        #expect(timing.firstToken == .milliseconds(300))
        #expect(timing.timePerOutputToken == .milliseconds(50))
    }

    @Test func aWholeAnswersFirstTokenIsItsArrivalLessTheReportedDecodeTime() throws {
        let usage = UsageScanner.Usage(outputTokens: 10, evalDurationNanoseconds: 1_500_000_000)
        let timing = try #require(AnswerTiming(firstChunk: .milliseconds(1_700), streamed: false, usage: usage))
        #expect(timing.firstToken == .milliseconds(200))
        #expect(timing.timePerOutputToken == .milliseconds(150))
        // A node whose clock says it decoded longer than the answer took: no negative time.
        let odd = try #require(AnswerTiming(firstChunk: .milliseconds(100), streamed: false, usage: usage))
        #expect(odd.firstToken == .zero)
    }

    @Test func answersWithoutUsableTimingHaveNone() {
        // OpenAI and Anthropic whole answers carry token counts, no durations.
        #expect(AnswerTiming(firstChunk: .seconds(2), streamed: false, usage: .init(promptTokens: 5, outputTokens: 9)) == nil)
        #expect(AnswerTiming(firstChunk: nil, streamed: true, usage: .init()) == nil)
        // A stream without Ollama's statistics still has its first token, not its decode speed.
        let stream = AnswerTiming(firstChunk: .milliseconds(80), streamed: true, usage: .init(outputTokens: 9))
        #expect(stream == AnswerTiming(firstToken: .milliseconds(80)))
    }

    /// Ollama's final object says how long the model loaded and the prompt took once the
    /// request had a slot: the rest of the first token's time is the wait for the slot.
    @Test func theWaitForASlotIsTheFirstTokenLessTheLoadAndPromptTimes() throws {
        let usage = UsageScanner.Usage(
            outputTokens: 10,
            evalDurationNanoseconds: 100_000_000,
            promptEvalDurationNanoseconds: 80_000_000,
            loadDurationNanoseconds: 20_000_000
        )
        let waited = try #require(AnswerTiming(firstChunk: .milliseconds(400), streamed: true, usage: usage))
        #expect(waited.slotWait == .milliseconds(300))
        #expect(waited.promptEval == .milliseconds(80))
        #expect(waited.waitedForSlot == true)
        // 0.11 s less 0.1 s: within the allowance (10 ms + 8 ms + 1.5 tokens of 10 ms).
        let atOnce = try #require(AnswerTiming(firstChunk: .milliseconds(110), streamed: true, usage: usage))
        #expect(atOnce.slotWait == .milliseconds(10))
        #expect(atOnce.waitedForSlot == false)
        // A whole answer: its first token is its arrival less the decode time.
        let whole = try #require(AnswerTiming(firstChunk: .milliseconds(500), streamed: false, usage: usage))
        #expect(whole.slotWait == .milliseconds(300))
        // Without both times (the OpenAI routes, an old node) nothing is said.
        let partial = UsageScanner.Usage(outputTokens: 10, evalDurationNanoseconds: 100_000_000, promptEvalDurationNanoseconds: 80_000_000)
        #expect(AnswerTiming(firstChunk: .milliseconds(400), streamed: true, usage: partial)?.waitedForSlot == nil)
        #expect(
            RequestOutcome.success(ttft: 0.4, timing: waited).limitSignal
                == .success(ttft: .milliseconds(400), timePerOutputToken: .milliseconds(10), waitedForSlot: true)
        )
    }

    @Test func outcomesMapToTheLimitersSignals() {
        let timing = AnswerTiming(firstToken: .milliseconds(250), timePerOutputToken: .milliseconds(20))
        #expect(
            RequestOutcome.success(ttft: 0.3, timing: timing).limitSignal
                == .success(ttft: .milliseconds(250), timePerOutputToken: .milliseconds(20))
        )
        #expect(RequestOutcome.success(ttft: 0.3).limitSignal == .ignored)
        #expect(RequestOutcome.dropped(.overloaded).limitSignal == .dropped(.overloaded))
        #expect(RequestOutcome.dropped(.timeout).limitSignal == .dropped(.timeout))
        #expect(RequestOutcome.failure.limitSignal == .ignored)
        #expect(RequestOutcome.cancelled.limitSignal == .ignored)
        #expect(RequestOutcome.clientError.limitSignal == .ignored)
    }

    @Test(arguments: [(503, DropKind.overloaded), (429, .overloaded)] as [(Int, DropKind)])
    func aNodeSheddingLoadIsADrop(status: Int, kind: DropKind) {
        #expect(RelayRules.dropKind(status: status) == kind)
        #expect(RelayRules.failedOutcome(status: status) == .dropped(kind))
    }

    @Test(arguments: [500, 502, 504, 404, 200])
    func otherStatusesAreNoDrop(status: Int) {
        #expect(RelayRules.dropKind(status: status) == nil)
        #expect(RelayRules.failedOutcome(status: status) == .failure)
    }

    @Test func timeoutsAndResetsAreDropsAndAConnectErrorIsAFailure() {
        #expect(RelayRules.failedOutcome(UpstreamError(description: "no answer within 600.0s", timeout: true)) == .dropped(.timeout))
        #expect(RelayRules.failedOutcome(UpstreamError(description: "TLS is not available")) == .failure)
        #expect(RelayRules.failedOutcome(HTTPClientError.readTimeout) == .dropped(.timeout))
        #expect(RelayRules.failedOutcome(HTTPClientError.deadlineExceeded) == .dropped(.timeout))
        #expect(RelayRules.failedOutcome(HTTPClientError.remoteConnectionClosed) == .dropped(.reset))
        #expect(RelayRules.failedOutcome(ChannelError.eof) == .dropped(.reset))
        #expect(RelayRules.failedOutcome(IOError(errnoCode: ECONNRESET, reason: "read")) == .dropped(.reset))
        #expect(RelayRules.failedOutcome(IOError(errnoCode: ECONNREFUSED, reason: "connect")) == .failure)
        #expect(RelayRules.failedOutcome(HTTPClientError.connectTimeout) == .failure)
    }
}
