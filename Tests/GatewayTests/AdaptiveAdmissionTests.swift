import Foundation
import OllamaAPI
import Optimizer
import Synchronization
import Testing

@testable import Gateway

/// The pool's adaptive limits on a clock moved by hand: one limiter per (node, model), fed at
/// each release; admission and routing follow its limit, under the static one.
struct AdaptiveAdmissionTests {
    static let model = "llama3.2:latest"
    static let other = "qwen3:4b"

    /// Seconds the test moves by hand.
    final class ManualSeconds: Sendable {
        private let time = Mutex(0.0)
        var now: Double { time.withLock { $0 } }
        func advance(_ seconds: Double) { time.withLock { $0 += seconds } }
    }

    static func state(
        level: OptimizationLevel,
        ceilings: [Int] = [16],
        models: Set<String> = [model],
        clock: ManualSeconds
    ) -> PoolState {
        let endpoints = ceilings.enumerated().map {
            NodeEndpoint(id: "n\($0.offset)", url: "http://127.0.0.1:\(1000 + $0.offset)", maxInFlight: $0.element)
        }
        var state = PoolState(
            records: endpoints.map { PoolState.Record(endpoint: $0) },
            strategy: .leastOutstanding,
            healthPolicy: .init(successesToHealthy: 1),
            circuitPolicy: .init(failureThreshold: 1_000, open: .seconds(60)),
            level: level,
            now: { clock.now }
        )
        for endpoint in endpoints {
            state.applyProbe(endpoint.id, latency: 0.01, version: nil, models: models, resident: models, error: nil)
        }
        return state
    }

    /// Leases `model` until admission says no (at most 100): how many the state admits now.
    static func fill(_ state: inout PoolState, model: String = model, excluding: Set<String> = []) -> [NodeLease] {
        var leases: [NodeLease] = []
        while leases.count < 100, let lease = state.tryAdmit(model: model, excluding: excluding) { leases.append(lease) }
        return leases
    }

    /// Runs up to `rounds` requests through the nodes kept full, each answering with `ttft`, the
    /// clock moving as if the held requests ran in parallel; stops after a decision `until`
    /// accepts. Returns the decisions.
    @discardableResult
    static func serve(
        _ state: inout PoolState,
        rounds: Int,
        ttft: Duration,
        clock: ManualSeconds,
        until stop: (DecisionLog.Entry) -> Bool = { _ in false }
    ) -> [DecisionLog.Entry] {
        var held = fill(&state)
        var decisions: [DecisionLog.Entry] = []
        for _ in 0..<rounds {
            guard !held.isEmpty, !decisions.contains(where: stop) else { break }
            clock.advance(ttft.inSeconds / Double(held.count))
            let timing = AnswerTiming(firstToken: ttft, timePerOutputToken: .milliseconds(20))
            if let decision = state.release(held.removeFirst(), outcome: .success(ttft: ttft.inSeconds, timing: timing)) {
                decisions.append(decision)
            }
            held += fill(&state)
        }
        for lease in held { _ = state.release(lease, outcome: .cancelled) }
        return decisions
    }

    static func limit(_ state: PoolState, node: Int = 0, model: String = model) -> Int? {
        state.records[node].limitByModel[model]
    }

    @Test func aPairsLimitFallsWhenItsTimeToFirstTokenInflatesAndAdmissionFollows() throws {
        let clock = ManualSeconds()
        var state = Self.state(level: .balanced, clock: clock)
        Self.serve(&state, rounds: 400, ttft: .milliseconds(100), clock: clock)
        let before = try #require(Self.limit(state))
        #expect(before > 1, "slow start did not grow the limit from 1")
        let decisions = Self.serve(&state, rounds: 400, ttft: .milliseconds(1_000), clock: clock) { $0.decision.kind == .decrease }
        let after = try #require(Self.limit(state))
        #expect(after < before, "the limit stayed at \(before) while TTFT went from 0.1 s to 1 s")
        #expect(decisions.contains { $0.decision.to < $0.decision.from && $0.node == "n0" && $0.model == Self.model })
        // Admission follows the learned limit, not the static 16.
        var probe = state
        #expect(Self.fill(&probe).count == after)
        let snapshot = state.optimizerSnapshot(wallNow: Date())
        #expect(snapshot.level == .balanced)
        #expect(snapshot.pairs.map(\.limit) == [after])
        #expect(snapshot.pairs.first?.ceiling == 16)
        #expect(snapshot.pairs.first?.longLatencySeconds != nil)
        #expect(!snapshot.decisions.isEmpty)
    }

    @Test func offKeepsTheStaticLimits() {
        let clock = ManualSeconds()
        var state = Self.state(level: .off, ceilings: [3], clock: clock)
        let decisions = Self.serve(&state, rounds: 300, ttft: .seconds(5), clock: clock)
        #expect(decisions.isEmpty)
        #expect(state.records[0].limitByModel.isEmpty)
        #expect(state.records[0].limiters.isEmpty)
        var probe = state
        #expect(Self.fill(&probe).count == 3)
        let snapshot = state.optimizerSnapshot(wallNow: Date())
        #expect(snapshot == OptimizerSnapshot(level: .off))
    }

    @Test func theLimitStaysWithinTheCeilingAndTheNodesTotalWithinItsStaticLimit() throws {
        let clock = ManualSeconds()
        var state = Self.state(level: .aggressive, ceilings: [6], models: [Self.model, Self.other], clock: clock)
        var probe = state
        #expect(Self.fill(&probe).count <= 6)
        // Fast answers for a long time: the limit may grow, never past the static limit.
        Self.serve(&state, rounds: 2_000, ttft: .milliseconds(10), clock: clock)
        let limit = try #require(Self.limit(state))
        #expect(limit <= 6)
        #expect(state.records[0].limiters[Self.model]?.ceiling == 6)
        // Two models share the node's static limit: together no more than 6 in flight.
        var shared = state
        let first = Self.fill(&shared)
        let second = Self.fill(&shared, model: Self.other)
        #expect(first.count == limit)
        #expect(first.count + second.count <= 6)
    }

    @Test func aDropCutsThePairsLimitAndIsCounted() throws {
        let clock = ManualSeconds()
        var state = Self.state(level: .balanced, clock: clock)
        // A new pair starts at 1, which no cut can lower: grow it first.
        Self.serve(&state, rounds: 400, ttft: .milliseconds(100), clock: clock)
        let leases = Self.fill(&state)
        let before = try #require(Self.limit(state))
        #expect(before > 1)
        clock.advance(1)
        let decision = state.release(leases[0], outcome: .dropped(.overloaded))
        for lease in leases.dropFirst() { _ = state.release(lease, outcome: .cancelled) }
        let cut = try #require(decision)
        #expect(cut.node == "n0")
        #expect(cut.model == Self.model)
        #expect(cut.decision.from == before)
        #expect(cut.decision.to < before)
        #expect(Self.limit(state) == cut.decision.to)
        let snapshot = state.optimizerSnapshot(wallNow: Date())
        #expect(snapshot.pairs.first?.drops == 1)
        #expect(snapshot.pairs.first?.dropsByKind == ["overloaded": 1])
        #expect(snapshot.decisionCounts[cut.decision.kind.rawValue] == 1)
        #expect(snapshot.decisions.last?.kind == cut.decision.kind.rawValue)
        // A cut is a failure for the circuit breaker too, as the node's 503 always was.
        #expect(state.records[0].failures == 1)
    }

    @Test func routingPrefersTheNodeWithRoomUnderItsAdaptiveLimit() throws {
        let clock = ManualSeconds()
        var state = Self.state(level: .balanced, ceilings: [8, 8], clock: clock)
        Self.serve(&state, rounds: 800, ttft: .milliseconds(100), clock: clock)
        let grown = try #require(Self.limit(state, node: 0))
        #expect(grown > 1)
        // n0 sheds load: its limit is cut, n1's is not.
        let admitted = state.tryAdmit(model: Self.model, excluding: ["n1"])
        let lease = try #require(admitted)
        clock.advance(1)
        _ = state.release(lease, outcome: .dropped(.overloaded))
        let cut = try #require(Self.limit(state, node: 0))
        let other = try #require(Self.limit(state, node: 1))
        #expect(cut < grown)
        // Each node takes exactly its own limit; once n0 is full, requests go to n1.
        let leases = Self.fill(&state)
        #expect(leases.filter { $0.nodeID == "n0" }.count == cut)
        #expect(leases.filter { $0.nodeID == "n1" }.count == other)
    }
}
