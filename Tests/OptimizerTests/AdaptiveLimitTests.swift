import Optimizer
import Testing

/// Windows, drops, the app-limited hold, the ceiling and the reasons of one limiter on a manual clock.
@Suite struct AdaptiveLimitTests {
    static func success(_ milliseconds: Int, tpot: Duration? = nil) -> LimitSignal {
        .success(ttft: .milliseconds(milliseconds), timePerOutputToken: tpot)
    }

    /// A limiter without slow start at `limit`, so one window moves it by the plain rules.
    static func limiter(at limit: Int, _ parameters: LimiterParameters = .balanced, ceiling: Int = 32) -> AdaptiveLimit {
        var parameters = parameters
        parameters.initialLimit = limit
        parameters.slowStart = false
        return AdaptiveLimit(parameters: parameters, ceiling: ceiling, now: .zero)
    }

    /// Feeds `count` signals 100 ms apart from `now`, with `inFlight`; returns the decisions.
    static func feed(
        _ limiter: inout AdaptiveLimit,
        _ signal: LimitSignal,
        count: Int,
        inFlight: Int,
        now: inout Duration
    ) -> [LimitDecision] {
        (0..<count).compactMap { _ in
            now += .milliseconds(100)
            return limiter.record(signal, inFlight: inFlight, now: now)
        }
    }

    @Test func aWindowClosesOnlyOnceItHasTenSignalsAndHasLastedItsLength() {
        var limiter = Self.limiter(at: 4)
        // Nine samples over 9 s: long enough, too few.
        for second in 1...9 { _ = limiter.record(Self.success(200), inFlight: 4, now: .seconds(second)) }
        #expect(limiter.state.windows == 0)
        #expect(limiter.state.window.samples == 9)
        _ = limiter.record(Self.success(200), inFlight: 4, now: .seconds(10))
        #expect(limiter.state.windows == 1)
        // The next window lasts clamp(2·0.2 s, 1 s, 5 s) = 1 s: ten samples in 0.5 s do not close it.
        #expect(limiter.state.window.length == .seconds(1))
        for step in 1...10 { _ = limiter.record(Self.success(200), inFlight: 4, now: .seconds(10) + .milliseconds(50 * step)) }
        #expect(limiter.state.windows == 1)
        _ = limiter.record(Self.success(200), inFlight: 4, now: .seconds(11))
        #expect(limiter.state.windows == 2)
    }

    @Test func theNextWindowLastsTwiceTheSampleWithinItsBounds() {
        var limiter = Self.limiter(at: 4)
        var now = Duration.zero
        _ = Self.feed(&limiter, Self.success(1_500), count: 10, inFlight: 4, now: &now)
        #expect(limiter.state.window.length == .seconds(3))  // 2·1.5 s
        now += .seconds(3)
        _ = Self.feed(&limiter, Self.success(4_000), count: 10, inFlight: 4, now: &now)
        #expect(limiter.state.window.length == .seconds(5))  // 2·4 s = 8 s, at most 5 s (balanced)
    }

    @Test func samplesUnderOneHundredMicrosecondsAreIgnored() {
        var limiter = Self.limiter(at: 4)
        var now = Duration.zero
        _ = Self.feed(&limiter, .success(ttft: .microseconds(99), timePerOutputToken: nil), count: 20, inFlight: 4, now: &now)
        #expect(limiter.state.window.samples == 0)
        #expect(limiter.state.windows == 0)
    }

    @Test func ignoredSignalsMoveNothing() {
        var limiter = Self.limiter(at: 4)
        var now = Duration.zero
        #expect(Self.feed(&limiter, .ignored, count: 30, inFlight: 4, now: &now).isEmpty)
        #expect(limiter.state.windows == 0)
        #expect(limiter.limit == 4)
    }

    @Test(arguments: [(LimiterParameters.conservative, 4), (.balanced, 6), (.aggressive, 7)])
    func aDropCutsExactlyByTheLevelsBackoffRatio(parameters: LimiterParameters, expected: Int) throws {
        var limiter = Self.limiter(at: 8, parameters)
        let cut = limiter.record(.dropped(.overloaded), inFlight: 8, now: .seconds(1))
        let decision = try #require(cut)
        #expect(decision.kind == .dropCut)
        #expect(decision.from == 8)
        #expect(decision.to == expected)
        #expect(limiter.limit == expected)
        #expect(limiter.state.drops == 1)
    }

    @Test func aBurstOfDropsInOneWindowIsOneCut() {
        var limiter = Self.limiter(at: 8)
        var now = Duration.zero
        let decisions = Self.feed(&limiter, .dropped(.overloaded), count: 5, inFlight: 8, now: &now)
        #expect(decisions.map(\.to) == [6])  // ⌊8·0.75⌋, then nothing
        #expect(limiter.state.drops == 5)
        // The window closes with 10 signals (5 drops, 5 answers) after 1 s; the next drop cuts again: ⌊6·0.75⌋ = 4.
        _ = Self.feed(&limiter, Self.success(200), count: 5, inFlight: 8, now: &now)
        #expect(limiter.state.windows == 1)
        let second = limiter.record(.dropped(.timeout), inFlight: 6, now: now + .milliseconds(100))
        #expect(second?.to == 4)
    }

    @Test func aWindowThatSawADropNeverRaisesTheLimit() {
        var limiter = Self.limiter(at: 8)
        var now = Duration.zero
        _ = limiter.record(.dropped(.reset), inFlight: 8, now: now)
        #expect(limiter.limit == 6)
        let decisions = Self.feed(&limiter, Self.success(200), count: 10, inFlight: 6, now: &now)
        #expect(decisions.isEmpty)
        #expect(limiter.state.windows == 1)
        #expect(limiter.limit == 6)
    }

    @Test func aDropEndsSlowStart() {
        var limiter = AdaptiveLimit(parameters: .balanced, ceiling: 32, now: .zero)
        #expect(limiter.state.slowStart)
        _ = limiter.record(.dropped(.overloaded), inFlight: 1, now: .seconds(1))
        #expect(!limiter.state.slowStart)
    }

    @Test func slowStartDoublesTheLimitPerWindowUpToTheCeiling() {
        var limiter = AdaptiveLimit(parameters: .balanced, ceiling: 12, now: .zero)
        var now = Duration.zero
        var limits: [Int] = []
        for _ in 0..<5 {
            _ = Self.feed(&limiter, Self.success(200), count: 10, inFlight: limiter.limit, now: &now)
            limits.append(limiter.limit)
        }
        #expect(limits == [2, 4, 8, 12, 12])
    }

    /// Answers a second apart (long generations): slow start needs two answers per request of
    /// the limit, not ten, so a new pair is at 8 after 2 + 4 + 8 answers instead of 30.
    @Test func slowStartClosesAWindowAfterTwoAnswersPerRequestOfTheLimit() {
        var limiter = AdaptiveLimit(parameters: .balanced, ceiling: 32, now: .zero)
        var seconds = 0
        var answersPerWindow: [Int] = []
        for _ in 0..<4 {
            let before = limiter.state.windows
            var answers = 0
            while limiter.state.windows == before {
                seconds += 1
                answers += 1
                _ = limiter.record(Self.success(200), inFlight: limiter.limit, now: .seconds(seconds))
            }
            answersPerWindow.append(answers)
        }
        #expect(answersPerWindow == [2, 4, 8, 10])
        #expect(limiter.limit == 16)
        // Out of slow start, ten signals again: the drop and nine answers.
        _ = limiter.record(.dropped(.overloaded), inFlight: 16, now: .seconds(seconds))
        #expect(!limiter.state.slowStart)
        let before = limiter.state.windows
        for _ in 0..<8 {
            seconds += 1
            _ = limiter.record(Self.success(200), inFlight: limiter.limit, now: .seconds(seconds))
        }
        #expect(limiter.state.windows == before)
        _ = limiter.record(Self.success(200), inFlight: limiter.limit, now: .seconds(seconds + 1))
        #expect(limiter.state.windows == before + 1)
    }

    @Test func slowStartsFirstInflationTakesTheWholeGradientAtOnce() throws {
        var limiter = AdaptiveLimit(parameters: .balanced, ceiling: 32, now: .zero)
        var now = Duration.zero
        for _ in 0..<3 { _ = Self.feed(&limiter, Self.success(200), count: 10, inFlight: limiter.limit, now: &now) }
        #expect(limiter.limit == 8)
        // 1 s against the long-term 0.2 s: gradient clamp(1.5·0.2/1.0) = 0.5, taken whole (TCP's
        // halving at its first loss): 4, where smoothing would give 0.8·8 + 0.2·4 = 7.2.
        let decision = try #require(Self.feed(&limiter, Self.success(1_000), count: 10, inFlight: 8, now: &now).last)
        #expect(decision.from == 8 && decision.to == 4)
        #expect(!limiter.state.slowStart)
        // Afterwards the smoothing rule again (a window of 2 s now): 0.8·4 + 0.2·2 = 3.6.
        _ = Self.feed(&limiter, Self.success(1_000), count: 20, inFlight: 4, now: &now)
        #expect(limiter.limit == 3)
    }

    @Test func aLimitLessThanHalfUsedHoldsWhateverTheLatency() {
        var limiter = Self.limiter(at: 8)
        var now = Duration.zero
        _ = Self.feed(&limiter, Self.success(200), count: 10, inFlight: 8, now: &now)  // the baseline: 0.2 s
        #expect(limiter.limit == 8)  // 0.8·8 + 0.2·9 = 8.2
        // 3 in flight of 8: under half; a 1 s TTFT says nothing about the limit.
        #expect(Self.feed(&limiter, Self.success(1_000), count: 10, inFlight: 3, now: &now).isEmpty)
        #expect(limiter.limit == 8)
        #expect(limiter.state.gradient == 0.5)
    }

    @Test func inflationBeyondTheToleranceLowersTheLimitWithAReasonWithItsNumbers() throws {
        var limiter = Self.limiter(at: 10)
        var now = Duration.zero
        _ = Self.feed(&limiter, Self.success(200), count: 10, inFlight: 10, now: &now)  // 0.8·10 + 0.2·11 = 10.2
        let decisions = Self.feed(&limiter, Self.success(600), count: 10, inFlight: 10, now: &now)
        let decision = try #require(decisions.first)
        // Gradient 1.5·0.2/0.6 = 0.5; 0.8·10.2 + 0.2·5.1 = 9.18 -> 9.
        #expect(decision.kind == .decrease)
        #expect(decision.from == 10)
        #expect(decision.to == 9)
        #expect(abs((decision.gradient ?? 0) - 0.5) < 1e-12)
        #expect(decision.sampleLatency == 0.6)
        #expect(decision.longLatency == 0.2)
        #expect(decision.reason == "TTFT p50 0.6 s is over 1.5x the long-term 0.2 s (gradient 0.5): limit 10 -> 9")
        #expect(decision.seconds == 2)
    }

    /// Prefills sharing the node inflate TTFT with nothing queued: when the node says no request
    /// waited for a slot, the inflation lowers nothing and the limit probes on.
    @Test func inflationWithoutSlotWaitsLowersNothing() {
        var limiter = Self.limiter(at: 10)
        var now = Duration.zero
        _ = Self.feed(&limiter, .success(ttft: .milliseconds(200), timePerOutputToken: nil, waitedForSlot: false), count: 10, inFlight: 10, now: &now)
        let decisions = Self.feed(
            &limiter,
            .success(ttft: .milliseconds(600), timePerOutputToken: nil, waitedForSlot: false),
            count: 10,
            inFlight: 10,
            now: &now
        )
        #expect(decisions.allSatisfy { $0.kind == .increase })
        #expect(limiter.state.gradient == 1)
    }

    /// Most requests waited for a slot: the limit aims at the floor (the learned slots) even
    /// where the TTFT tolerance hides the queue.
    @Test func mostRequestsWaitingForASlotAimTheLimitAtTheFloor() throws {
        var limiter = Self.limiter(at: 10)
        limiter.floor = 6
        var now = Duration.zero
        _ = Self.feed(&limiter, .success(ttft: .milliseconds(200), timePerOutputToken: nil, waitedForSlot: false), count: 10, inFlight: 10, now: &now)
        // TTFT within the tolerance (1.2x) but every request waited: gradient 6/10.2 -> 6/10 = 0.6.
        let decisions = Self.feed(
            &limiter,
            .success(ttft: .milliseconds(240), timePerOutputToken: nil, waitedForSlot: true),
            count: 10,
            inFlight: 10,
            now: &now
        )
        let decision = try #require(decisions.first)
        // 0.8·10.2 + 0.2·(10.2·0.6) = 9.384 -> 9.
        #expect(decision.to == 9)
        #expect(abs((decision.gradient ?? 0) - 0.6) < 1e-12)
        #expect(decision.reason == "10 of 10 requests waited for a slot on the node, over its 6 learned slots (gradient 0.6): limit 10 -> 9")
        // Without a floor over the minimum the cut is at most half.
        var blind = Self.limiter(at: 10)
        _ = Self.feed(&blind, .success(ttft: .milliseconds(200), timePerOutputToken: nil, waitedForSlot: true), count: 20, inFlight: 10, now: &now)
        #expect(blind.state.gradient == 0.5)
    }

    @Test func latencyWithinTheToleranceRaisesTheLimitWithAReasonWithItsNumbers() throws {
        var limiter = Self.limiter(at: 3)
        var now = Duration.zero
        var decisions: [LimitDecision] = []
        // 0.2 per window: 3.2, 3.4, 3.6, 3.8, 4.0 -> 4 at the 5th window.
        for _ in 0..<5 { decisions += Self.feed(&limiter, Self.success(250), count: 10, inFlight: 3, now: &now) }
        let decision = try #require(decisions.first)
        #expect(decisions.count == 1)
        #expect(decision.kind == .increase)
        #expect(decision.from == 3)
        #expect(decision.to == 4)
        #expect(decision.reason == "TTFT p50 0.25 s is within 1.5x the long-term 0.25 s with 3 in flight: limit 3 -> 4 (+1 slot x smoothing 0.2)")
    }

    @Test func timePerOutputTokenInflatedBeyondItsToleranceLowersTheLimit() throws {
        var limiter = Self.limiter(at: 10)
        var now = Duration.zero
        _ = Self.feed(&limiter, Self.success(200, tpot: .milliseconds(20)), count: 10, inFlight: 10, now: &now)
        // TTFT unchanged; TPOT 4x the 0.02 s baseline, over the tolerated 3x: gradient 3·0.02/0.08 = 0.75.
        let decisions = Self.feed(&limiter, Self.success(200, tpot: .milliseconds(80)), count: 10, inFlight: 10, now: &now)
        let decision = try #require(decisions.first)
        #expect(abs((decision.gradient ?? 0) - 0.75) < 1e-12)
        // 0.8·10.2 + 0.2·(10.2·0.75) = 9.69 -> 9.
        #expect(decision.to == 9)
        #expect(decision.reason == "time per output token p50 0.08 s is over 3x the long-term 0.02 s (gradient 0.75): limit 10 -> 9")
    }

    @Test func aLoweredCeilingLowersTheLimitAndTheMinimumHoldsUnderAnyCeiling() {
        var limiter = Self.limiter(at: 8)
        limiter.ceiling = 5
        #expect(limiter.limit == 5)
        limiter.ceiling = 20
        #expect(limiter.limit == 5)
        limiter.ceiling = 0
        #expect(limiter.limit == 1)
        var high = LimiterParameters.balanced
        high.minLimit = 3
        #expect(AdaptiveLimit(parameters: high, ceiling: 2, now: .zero).limit == 3)
    }
}
