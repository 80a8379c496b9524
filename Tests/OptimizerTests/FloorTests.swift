import Optimizer
import Testing

/// The learned parallelism as the limiter's floor, and the baseline that does not creep.
@Suite struct FloorTests {
    typealias Limits = AdaptiveLimitTests

    /// Feeds `signal` 100 ms apart until one window closes (at most 100 signals); returns its decisions.
    static func window(_ limiter: inout AdaptiveLimit, _ signal: LimitSignal, inFlight: Int, now: inout Duration) -> [LimitDecision] {
        let closed = limiter.state.windows
        var decisions: [LimitDecision] = []
        for _ in 0..<100 where limiter.state.windows == closed {
            now += .milliseconds(100)
            if let decision = limiter.record(signal, inFlight: inFlight, now: now) { decisions.append(decision) }
        }
        return decisions
    }

    @Test func inflationStopsAtTheFloorAndThreeWindowsThereRestartTheBaseline() throws {
        var limiter = Limits.limiter(at: 10)
        limiter.floor = 9
        var now = Duration.zero
        _ = Limits.feed(&limiter, Limits.success(200), count: 10, inFlight: 10, now: &now)  // 0.8·10 + 0.2·11 = 10.2
        // Gradient 0.5: 9.18, then 9 at the floor however high the TTFT.
        var decisions: [LimitDecision] = []
        for _ in 0..<2 { decisions += Self.window(&limiter, Limits.success(600), inFlight: 10, now: &now) }
        #expect(decisions.map(\.to) == [9])
        #expect(limiter.limit == 9)
        #expect(limiter.restarts == 0)
        // The second and third inflated windows at the floor: the baseline restarts on 0.6 s.
        for _ in 0..<2 { decisions += Self.window(&limiter, Limits.success(600), inFlight: 9, now: &now) }
        #expect(limiter.restarts == 1)
        #expect(limiter.state.longLatency == .milliseconds(600))
        #expect(limiter.limit == 9)
    }

    @Test func aRestartTheNodeSaysNothingQueuedForDoesNotDoubleTheLimit() throws {
        // The restart above with slow start on: inflated windows in which no request waited
        // for a slot (prefills sharing the node) move the baseline, not the limit.
        var parameters = LimiterParameters.balanced
        parameters.initialLimit = 10
        var limiter = AdaptiveLimit(parameters: parameters, ceiling: 32, now: .zero)
        limiter.floor = 10
        var now = Duration.zero
        let fast = LimitSignal.success(ttft: .milliseconds(200), timePerOutputToken: nil, waitedForSlot: false)
        let inflated = LimitSignal.success(ttft: .milliseconds(600), timePerOutputToken: nil, waitedForSlot: false)
        _ = Self.window(&limiter, fast, inFlight: 10, now: &now)  // slow start: 20
        _ = Self.window(&limiter, .success(ttft: .milliseconds(600), timePerOutputToken: nil), inFlight: 20, now: &now)
        #expect(limiter.limit == 10)  // slow start's first inflation: 20·0.5 at once, not 0.8·20 + 0.2·10 = 18
        #expect(!limiter.state.slowStart)
        for _ in 0..<3 { _ = Self.window(&limiter, inflated, inFlight: 10, now: &now) }
        #expect(limiter.restarts == 1)
        #expect(!limiter.state.slowStart)
        #expect(limiter.limit == 10)
    }

    @Test func aDropCutsUnderTheFloor() {
        var limiter = Limits.limiter(at: 8)
        limiter.floor = 8
        _ = limiter.record(.dropped(.overloaded), inFlight: 8, now: .seconds(1))
        #expect(limiter.limit == 6)  // ⌊8·0.75⌋
    }

    @Test func theFloorNeverRaisesTheLimit() {
        var limiter = Limits.limiter(at: 3)
        limiter.floor = 8
        var now = Duration.zero
        _ = Limits.feed(&limiter, Limits.success(250), count: 10, inFlight: 3, now: &now)
        #expect(limiter.limit == 3)  // 3.2: the +1 slot rule, not the floor
    }

    @Test func aHigherSampleWithinTheToleranceOverTheFloorIsNotTakenIn() {
        var limiter = Limits.limiter(at: 10)
        limiter.floor = 8
        var now = Duration.zero
        _ = Limits.feed(&limiter, Limits.success(200), count: 10, inFlight: 10, now: &now)
        // 0.28 s is within 1.5x: the limit grows, the long-term stays 0.2 s (a short queue hides there).
        _ = Limits.feed(&limiter, Limits.success(280), count: 10, inFlight: 10, now: &now)
        #expect(limiter.state.longLatency == .milliseconds(200))
        // A lower sample goes in: the plain mean of 0.2 and 0.1.
        _ = Limits.feed(&limiter, Limits.success(100), count: 10, inFlight: 10, now: &now)
        let long = limiter.state.longLatency.map { Double($0.components.seconds) + Double($0.components.attoseconds) / 1e18 }
        #expect(abs((long ?? 0) - 0.15) < 1e-9)
    }

    @Test func aKneeIsProvenOnlyByACountUnderIt() {
        var estimate = ParallelismEstimate()
        estimate.record(inFlight: 8, tokensPerSecond: 140)
        estimate.record(inFlight: 16, tokensPerSecond: 140)
        #expect(estimate.knee == 8)
        #expect(estimate.provenKnee == nil)  // 8 is only the fewest tried
        estimate.record(inFlight: 4, tokensPerSecond: 100)
        #expect(estimate.provenKnee == 8)
        estimate.forget()
        #expect(estimate.knee == nil)
        estimate.record(inFlight: 1, tokensPerSecond: 50)
        #expect(estimate.provenKnee == 1)  // nothing under one request
    }
}
