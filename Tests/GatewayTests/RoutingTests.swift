import Testing

@testable import Gateway

/// Routing decisions are pure functions of a snapshot.
struct RoutingTests {
    static let model = "llama3.2:latest"

    static func node(
        _ id: String,
        state: NodeState = .healthy,
        models: Set<String> = [model],
        resident: Set<String> = [],
        inFlight: Int = 0,
        byModel: [String: Int] = [:],
        ttft: Double? = nil,
        limit: Int = 8,
        circuitAllows: Bool = true
    ) -> NodeSnapshot {
        NodeSnapshot(
            id: id,
            state: state,
            circuitAllows: circuitAllows,
            models: models,
            resident: resident,
            inFlight: inFlight,
            inFlightByModel: byModel,
            limit: limit,
            numParallel: 2,
            ttftEWMA: ttft
        )
    }

    @Test(arguments: RoutingStrategy.allCases)
    func onlyNodesWithTheModelThatCanTakeARequestAreChosen(strategy: RoutingStrategy) {
        let nodes = [
            Self.node("without", models: ["other:latest"]),
            Self.node("down", state: .unhealthy),
            Self.node("open", circuitAllows: false),
            Self.node("full", inFlight: 8),
            Self.node("ok", inFlight: 3),
        ]
        for turn in 0..<20 as Range<UInt64> {
            #expect(strategy.choose(model: Self.model, nodes: nodes, turn: turn) == "ok")
        }
        #expect(strategy.choose(model: Self.model, nodes: nodes, excluding: ["ok"], turn: 0) == nil)
        #expect(strategy.choose(model: "ghost:latest", nodes: nodes, turn: 0) == nil)
    }

    @Test(arguments: RoutingStrategy.allCases)
    func degradedNodesServeOnlyWhenNoHealthyNodeCan(strategy: RoutingStrategy) {
        let nodes = [Self.node("slow", state: .degraded), Self.node("good", inFlight: 5)]
        #expect(strategy.choose(model: Self.model, nodes: nodes, turn: 1) == "good")
        let busy = [Self.node("slow", state: .degraded), Self.node("good", inFlight: 8)]
        #expect(strategy.choose(model: Self.model, nodes: busy, turn: 1) == "slow")
    }

    @Test func roundRobinTakesTurns() {
        let nodes = [Self.node("a"), Self.node("b"), Self.node("c")]
        let picks = (0..<6 as Range<UInt64>).compactMap { RoutingStrategy.roundRobin.choose(model: Self.model, nodes: nodes, turn: $0) }
        #expect(picks == ["a", "b", "c", "a", "b", "c"])
    }

    @Test func leastOutstandingPicksTheQuietestAndRotatesTies() {
        let nodes = [Self.node("a", inFlight: 2), Self.node("b", inFlight: 1), Self.node("c", inFlight: 1)]
        let picks = Set((0..<4 as Range<UInt64>).compactMap { RoutingStrategy.leastOutstanding.choose(model: Self.model, nodes: nodes, turn: $0) })
        #expect(picks == ["b", "c"])
    }

    @Test func latencyWeightedPrefersFastNodesUntilTheyAreBusy() {
        let idle = [Self.node("fast", ttft: 0.1), Self.node("slow", ttft: 0.5)]
        #expect(RoutingStrategy.latencyWeighted.choose(model: Self.model, nodes: idle, turn: 0) == "fast")
        let loaded = [Self.node("fast", inFlight: 6, ttft: 0.1), Self.node("slow", ttft: 0.5)]
        #expect(RoutingStrategy.latencyWeighted.choose(model: Self.model, nodes: loaded, turn: 0) == "slow")
    }

    @Test func modelAwarePrefersAWarmSlot() {
        let nodes = [
            Self.node("cold-idle"),
            Self.node("warm", resident: [Self.model], inFlight: 3, byModel: [Self.model: 1]),
        ]
        #expect(RoutingStrategy.modelAware.choose(model: Self.model, nodes: nodes, turn: 0) == "warm")
    }

    @Test func modelAwareNeverLoadsColdWhileAWarmNodeHasRoom() {
        for turn in 0..<10 as Range<UInt64> {
            let nodes = [
                Self.node("cold-a"), Self.node("cold-b"),
                Self.node("warm", resident: [Self.model], inFlight: 1, byModel: [Self.model: 1]),
            ]
            #expect(RoutingStrategy.modelAware.choose(model: Self.model, nodes: nodes, turn: turn) == "warm")
        }
    }

    @Test func modelAwareLoadsOnAnIdleNodeWhenWarmSlotsAreFull() {
        let nodes = [
            Self.node("busy-cold", inFlight: 1),
            Self.node("idle-cold"),
            Self.node("warm-full", resident: [Self.model], inFlight: 2, byModel: [Self.model: 2]),
        ]
        #expect(RoutingStrategy.modelAware.choose(model: Self.model, nodes: nodes, turn: 0) == "idle-cold")
    }

    @Test func modelAwareQueuesOnTheWarmNodeWhenEveryoneIsBusy() {
        let nodes = [
            Self.node("busy-cold", inFlight: 1),
            Self.node("warm-full", resident: [Self.model], inFlight: 2, byModel: [Self.model: 2]),
        ]
        #expect(RoutingStrategy.modelAware.choose(model: Self.model, nodes: nodes, turn: 0) == "warm-full")
    }
}

/// The circuit breaker and health hysteresis.
struct NodeHealthTests {
    @Test func theCircuitOpensAfterConsecutiveFailuresAndTriesOnceAfterTheTimeout() {
        let policy = CircuitBreaker.Policy(failureThreshold: 3, open: .seconds(10))
        var breaker = CircuitBreaker()
        breaker.recordFailure(now: 0, policy: policy)
        breaker.recordFailure(now: 1, policy: policy)
        #expect(breaker.state == .closed)
        breaker.recordFailure(now: 2, policy: policy)
        #expect(breaker.state == .open)
        #expect(!breaker.allows(now: 11, policy: policy))
        #expect(breaker.allows(now: 12, policy: policy))
        breaker.admit(now: 12, policy: policy)
        #expect(breaker.state == .halfOpen)
        #expect(!breaker.allows(now: 12, policy: policy))
        breaker.recordFailure(now: 13, policy: policy)
        #expect(breaker.state == .open)
        #expect(!breaker.allows(now: 22, policy: policy))
        breaker.admit(now: 23, policy: policy)
        breaker.recordSuccess()
        #expect(breaker.state == .closed)
        #expect(breaker.consecutiveFailures == 0)
    }

    @Test func aSuccessResetsTheFailureCount() {
        let policy = CircuitBreaker.Policy(failureThreshold: 2, open: .seconds(10))
        var breaker = CircuitBreaker()
        breaker.recordFailure(now: 0, policy: policy)
        breaker.recordSuccess()
        breaker.recordFailure(now: 1, policy: policy)
        #expect(breaker.state == .closed)
    }

    @Test func healthNeedsConsecutiveProbesBothWays() {
        let policy = HealthPolicy(failuresToUnhealthy: 2, successesToHealthy: 2, slowProbe: .seconds(1))
        var tracker = HealthTracker()
        #expect(tracker.state == .unhealthy)
        tracker.record(probeLatency: 0.01, policy: policy)
        #expect(tracker.state == .degraded)
        tracker.record(probeLatency: 0.01, policy: policy)
        #expect(tracker.state == .healthy)
        tracker.record(probeLatency: nil, policy: policy)
        #expect(tracker.state == .degraded)
        tracker.record(probeLatency: 0.01, policy: policy)
        #expect(tracker.state == .degraded)
        tracker.record(probeLatency: nil, policy: policy)
        tracker.record(probeLatency: nil, policy: policy)
        #expect(tracker.state == .unhealthy)
        tracker.record(probeLatency: 0.01, policy: policy)
        tracker.record(probeLatency: 2.5, policy: policy)
        #expect(tracker.state == .degraded)
        tracker.record(probeLatency: 0.01, policy: policy)
        #expect(tracker.state == .healthy)
    }
}
