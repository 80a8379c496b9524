import Foundation
import OllamaAPI
import Optimizer
import Testing

@testable import Gateway

/// What the pool learns besides the limit, on a clock moved by hand: the cost of a cold load
/// (which the limiter does not see), the pair's throughput by requests in flight and its knee,
/// and model-aware routing waiting for a warm slot when the learned load costs more.
struct PoolLearningTests {
    static let model = "llama3.2:latest"
    typealias ManualSeconds = AdaptiveAdmissionTests.ManualSeconds

    /// Nodes `n0`, `n1`, ... listing the model; `resident[i]`: whether node i has it loaded.
    static func state(
        level: OptimizationLevel = .balanced,
        strategy: RoutingStrategy = .modelAware,
        resident: [Bool],
        clock: ManualSeconds
    ) -> PoolState {
        let endpoints = resident.indices.map { NodeEndpoint(id: "n\($0)", url: "http://127.0.0.1:\(1000 + $0)", maxInFlight: 16) }
        var state = PoolState(
            records: endpoints.map { PoolState.Record(endpoint: $0) },
            strategy: strategy,
            healthPolicy: .init(successesToHealthy: 1),
            circuitPolicy: .init(failureThreshold: 1_000, open: .seconds(60)),
            level: level,
            now: { clock.now }
        )
        for (index, endpoint) in endpoints.enumerated() {
            let loaded: Set<String> = resident[index] ? [model] : []
            state.applyProbe(endpoint.id, latency: 0.01, version: nil, models: [model], resident: loaded, error: nil)
        }
        return state
    }

    struct NoNode: Error, CustomStringConvertible {
        var description: String { "no node admitted the request" }
    }

    /// A lease for the model now, or the test fails.
    static func admit(_ state: inout PoolState) throws -> NodeLease {
        guard let lease = state.tryAdmit(model: model, excluding: []) else { throw NoNode() }
        return lease
    }

    static func answer(ttft: Duration, tokens: Int? = nil) -> RequestOutcome {
        .success(ttft: ttft.inSeconds, timing: AnswerTiming(firstToken: ttft, timePerOutputToken: .milliseconds(20), outputTokens: tokens))
    }

    static func pair(_ state: PoolState, _ node: String) -> OptimizerSnapshot.Pair? {
        state.optimizerSnapshot(wallNow: Date()).pairs.first { $0.node == node && $0.model == model }
    }

    @Test func aColdRequestTeachesTheLoadCostAndNotTheLimiter() throws {
        let clock = ManualSeconds()
        var state = Self.state(resident: [false], clock: clock)
        let cold = try Self.admit(&state)
        #expect(cold.cold)
        clock.advance(3)
        _ = state.release(cold, outcome: Self.answer(ttft: .seconds(3)))
        // Answered: the model is resident now, whatever the last probe said.
        let warm = try Self.admit(&state)
        #expect(!warm.cold)
        clock.advance(0.5)
        _ = state.release(warm, outcome: Self.answer(ttft: .milliseconds(200)))
        let pair = try #require(Self.pair(state, "n0"))
        #expect(pair.coldTTFTSeconds == 3)
        #expect(pair.warmTTFTSeconds == 0.2)
        #expect(abs((pair.coldLoadSeconds ?? 0) - 2.8) < 1e-9)
        #expect(pair.requestSeconds == 0.5)  // the warm request only: a cold one's time is its load
        // The limiter saw one sample, the warm one: a load is not a queue.
        #expect(state.records[0].limiters[Self.model]?.state.window.samples == 1)
        #expect(state.snapshot(state.records[0]).coldLoadSecondsByModel[Self.model] == pair.coldLoadSeconds)
    }

    @Test func theKneeOfThePairsThroughputIsItsLearnedParallelism() throws {
        let clock = ManualSeconds()
        var state = Self.state(level: .aggressive, strategy: .leastOutstanding, resident: [true], clock: clock)
        // Grow the limit past the slots first (quick answers without token counts: no points).
        AdaptiveAdmissionTests.serve(&state, rounds: 2_000, ttft: .milliseconds(10), clock: clock) { $0.decision.to >= 6 }
        #expect(Self.pair(state, "n0")?.learnedParallelism == nil)
        try #require((state.records[0].limitByModel[Self.model] ?? 0) >= 6)
        // A node with 3 slots, each decoding 100 t/s: k requests of 50 tokens end together after
        // 0.5 s while k <= 3, and after 0.5 × k / 3 s past the slots (they queued).
        for _ in 0..<3 {
            for k in 1...6 {
                var held: [NodeLease] = []
                for _ in 0..<k { held.append(try Self.admit(&state)) }
                clock.advance(0.5 * Double(max(k, 3)) / 3)
                for lease in held { _ = state.release(lease, outcome: Self.answer(ttft: .milliseconds(10), tokens: 50)) }
            }
        }
        let pair = try #require(Self.pair(state, "n0"))
        #expect(pair.learnedParallelism == 3)
        // 100 t/s per request in flight up to the slots, 300 t/s from there on.
        let curve = try #require(pair.tokensPerSecondByInFlight)
        #expect(curve.keys.sorted() == ["1", "2", "3", "4", "5", "6"])
        for (count, tokens) in curve { #expect(abs(tokens - 100 * Double(min(Int(count)!, 3))) < 1e-6, "at \(count)") }
    }

    @Test func modelAwareWaitsForAWarmSlotWhileTheLoadCostsMore() throws {
        let clock = ManualSeconds()
        // n0 has the model loaded, n1 and n2 do not; every new pair's limit is 1.
        var state = Self.state(resident: [true, false, false], clock: clock)
        func admit(waitingAhead: Int? = nil) -> NodeLease? { state.tryAdmit(model: Self.model, excluding: [], waitingAhead: waitingAhead) }
        let first = try #require(admit())
        #expect(first.nodeID == "n0")
        // n0 is full and nothing is learned yet: the static rule loads the model on an idle node.
        let loading = try #require(admit())
        #expect(loading.nodeID != "n0" && loading.cold)
        let learner = loading.nodeID
        let other = learner == "n1" ? "n2" : "n1"
        clock.advance(0.4)
        _ = state.release(first, outcome: Self.answer(ttft: .milliseconds(200)))
        let held = try #require(admit())
        #expect(held.nodeID == "n0")
        clock.advance(4.8)
        _ = state.release(loading, outcome: Self.answer(ttft: .milliseconds(5_200)))
        // The learner answered: warm now, and n0 is full, so it takes the next one, warm.
        let warm = try #require(admit())
        #expect(warm.nodeID == learner && !warm.cold)
        clock.advance(0.4)
        _ = state.release(warm, outcome: Self.answer(ttft: .milliseconds(200)))
        _ = state.release(held, outcome: Self.answer(ttft: .milliseconds(200)))
        let cost = try #require(Self.pair(state, learner)?.coldLoadSeconds)
        #expect(abs(cost - 5) < 1e-9)
        #expect(abs((Self.pair(state, learner)?.requestSeconds ?? 0) - 0.4) < 1e-9)
        // Both warm nodes at their limits (n0 at 2: slow start doubled it after its two answers
        // in a window); the third would have to load the model.
        let busy = [try #require(admit()), try #require(admit()), try #require(admit())]
        #expect(busy.map(\.nodeID).sorted() == ["n0", "n0", learner].sorted())
        // The learner frees a slot in about 0.4 s, under the 5 s load it learned (the other
        // node has no cost of its own and is priced by it): wait for the warm slot.
        #expect(admit() == nil)
        // 30 requests ahead: (30 + 1) × 0.4 s = 12.4 s of waiting, over the load: load it.
        let cold = try #require(admit(waitingAhead: 30))
        #expect(cold.nodeID == other && cold.cold)
    }

    @Test func offLoadsAColdNodeAsBeforeAndLearnsNothing() throws {
        let clock = ManualSeconds()
        var state = Self.state(level: .off, resident: [true, false], clock: clock)
        // num_parallel 4 warm slots on n0, then the idle cold node.
        var leases: [NodeLease] = []
        for _ in 0..<5 { leases.append(try Self.admit(&state)) }
        #expect(leases.map(\.nodeID) == ["n0", "n0", "n0", "n0", "n1"])
        #expect(leases.allSatisfy { !$0.cold })
        clock.advance(1)
        for lease in leases { _ = state.release(lease, outcome: Self.answer(ttft: .milliseconds(200), tokens: 10)) }
        #expect(state.records.allSatisfy { $0.learning.isEmpty && $0.coldLoadSecondsByModel.isEmpty })
        #expect(state.optimizerSnapshot(wallNow: Date()) == OptimizerSnapshot(level: .off))
    }
}
