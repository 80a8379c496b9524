import Gateway
import LoadGenerator
import NodeSimulator
import Optimizer
import TestHTTP
import Testing

@testable import Bench

/// The optimizer scenarios: what they declare, how their numbers are computed, and the
/// capacity-change scenario played for real, asserting the direction of the limits only.
@Suite(.timeLimit(.minutes(3)))
struct OptimizerScenarioTests {
    @Test func optimizerScenariosAreListedButNotInTheDefaultSet() throws {
        let names = Scenario.optimizer.map(\.name)
        #expect(
            names == [
                "optimizer-capacity-change", "optimizer-unknown-capacity", "optimizer-steady", "optimizer-overload", "optimizer-two-replicas",
                "optimizer-two-replicas-overload",
            ]
        )
        #expect(Set(Scenario.all.map(\.name)).isDisjoint(with: names))
        #expect(try Scenario.named(["optimizer-steady"]).map(\.name) == ["optimizer-steady"])
        for name in names { #expect(Scenario.listing().contains(name + " ")) }
    }

    @Test func capacityChangeComparesTheDefaultStaticLimitASweepAndBalanced() throws {
        let comparison = try #require(Scenario.optimizerCapacityChange.comparison)
        #expect(comparison.variants.map(\.name) == ["off-default", "off-static-3", "off-static-4", "off-static-6", "balanced", "aggressive"])
        #expect(comparison.baseline.maxInFlight == NodeEndpoint(id: "n", url: "http://127.0.0.1:1").maxInFlight)
        #expect(comparison.slowdown == .init(node: 0, factor: 3, atShare: 0.5))
        #expect(comparison.loadFactor == 0.8)
    }

    /// 4 slots, 44 prompt tokens at 500 tokens/s, 32 tokens at 200 tokens/s batched 4 at once
    /// (GPU speed-up 1.79): 4 / (0.074 + 32 / (200 · 1.79 / 4)) requests per second.
    @Test func capacityIsSlotsOverPrefillPlusBatchedDecode() {
        let node = OptimizerComparison.node(numParallel: 4)
        let prefill = Double(OptimizerComparison.promptTokens) / 500
        let expected = 4 / (prefill + 32 / (200 * 1.79 / 4))
        #expect(abs(OptimizerComparison.capacity(of: node) - expected) < 1e-9)
        #expect(OptimizerComparison.promptTokens == 44)
    }

    /// Two gateways over one node, a low load split between them: both serve (each prepared a
    /// limiter for the model, so the summed limit is at least two minimums) and requests are
    /// answered. No timing is asserted, but a real load over seconds is played: on a machine
    /// busy with the parallel suites every answer takes seconds and the queue per model sheds
    /// all measured requests, so it runs in the load-sensitive phase, alone.
    @Test(LoadSensitive.phase) func twoReplicasAreTwoGatewaysOverTheSameNodesEachServingItsShare() async throws {
        let comparison = OptimizerComparison(
            variants: [.init(name: "balanced-2-replicas", level: .balanced, replicas: 2)],
            loadFactor: 0.2,
            slo: Scenario.optimizerSLO
        )
        // A warm-up as long as the run: at slow start's limit of 1 the queue per model holds one
        // request per gateway, and on a loaded machine the first answers are slow.
        let run = OptimizerRun(
            comparison: comparison,
            variant: comparison.variants[0],
            nodes: [OptimizerComparison.node(numParallel: 4)],
            measured: .seconds(3),
            warmup: .seconds(3),
            requestTimeout: .seconds(60),
            threads: 1
        )
        let result = try await run.run()
        #expect(!result.results.isEmpty)
        // Served, not necessarily all: on a loaded machine the optimizer may shed one.
        #expect(result.results.contains { $0.status == 200 && $0.error == nil })
        #expect(result.limitsAtEnd["node-0"].map { $0 >= 2 } == true, "summed limits \(result.limitsAtEnd)")
    }

    @Test func goodputCountsShedAndFailedRequestsAsMissed() {
        let slo = SLO(ttft: .milliseconds(500))
        let run = OptimizerRunResult(
            results: [
                RequestResult(intendedStart: 0, ttft: 0.2, endToEnd: 0.5, status: 200),
                RequestResult(intendedStart: 0, ttft: 0.7, endToEnd: 1, status: 200),
                RequestResult(intendedStart: 0, endToEnd: 0.01, status: 503, error: .http5xx),
                RequestResult(intendedStart: 0, endToEnd: 30, status: 503, error: .http5xx),
            ],
            measuredSeconds: 2,
            limitsAtChange: [:],
            limitsAtEnd: [:],
            lowestLimitsAfterChange: [:],
            peakNodeInFlight: [:]
        )
        #expect(run.goodput(slo) == 0.25)
        #expect(run.goodputPerSecond(slo) == 0.5)
        #expect(run.shedShare == 0.25)
        #expect(run.admittedGoodput(slo) == 1.0 / 3)
        #expect(run.throughput == 1)
        #expect(run.errorRate == 0.5)
    }

    /// The capacity-change scenario in quick form, `balanced` only, played for real over three
    /// simulated 4-slot nodes: node 0 becomes 5x slower halfway (the scenario's 3x, made
    /// plainer) under 60% load, so the others have room for what it loses. The direction only:
    /// after the change the slowed node's limit falls below where it was (it may climb back
    /// later: the limiter restarts its baseline at the minimum and a slower node still has its
    /// slots); the others' never fall more than one slot under their slots or where they were,
    /// whichever is lower (at 60% load they sit at an unused 8 before the change and come down
    /// to their 4 slots when they take node-0's share). A window closes after 10 answers and at
    /// least 1 s, and the slowed node answers slowly, so 16 s after the change leaves room for
    /// several windows on a loaded machine; no timing is asserted.
    @Test(LoadSensitive.phase) func capacityChangeLowersTheSlowedNodesLimitAndNotTheOthers() async throws {
        var comparison = try #require(Scenario.optimizerCapacityChange.comparison)
        comparison.variants = [try #require(comparison.variants.first { $0.name == "balanced" })]
        comparison.loadFactor = 0.6
        comparison.slowdown = .init(node: 0, factor: 5)
        let run = OptimizerRun(
            comparison: comparison,
            variant: comparison.variants[0],
            nodes: (0..<3).map { _ in OptimizerComparison.node(numParallel: 4) },
            measured: .seconds(32),
            warmup: .seconds(8),
            requestTimeout: .seconds(60),
            threads: 2
        )
        let result = try await run.run()
        let before = try #require(result.limitsAtChange["node-0"])
        let lowest = try #require(result.lowestLimitsAfterChange["node-0"])
        #expect(lowest < before, "node-0's limit was \(before) at the change and never lower after it")
        // The others take node-0's share: their limits may come down from an unused 8 to the
        // 4 slots they have, never under them by more than one (a probe above and back).
        for other in ["node-1", "node-2"] {
            let otherBefore = try #require(result.limitsAtChange[other])
            let otherLowest = try #require(result.lowestLimitsAfterChange[other])
            #expect(
                otherLowest >= min(otherBefore, 4) - 1,
                "\(other)'s limit was \(otherBefore) at the change and \(otherLowest) at its lowest after it"
            )
        }
    }
}
