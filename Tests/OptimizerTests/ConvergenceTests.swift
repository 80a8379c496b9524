import Optimizer
import Testing

/// The limiter against ``SimulatedNode`` under saturating load, window by window on a manual clock.
@Suite struct ConvergenceTests {
    static let slots = [1, 2, 4, 8]

    @Test(arguments: slots)
    func balancedSettlesWithinOneStepOfTheHiddenParallelSlots(numParallel: Int) {
        var run = ConvergenceRun(node: SimulatedNode(numParallel: numParallel), parameters: .balanced)
        run.run(windows: 300)
        let settled = run.limits.suffix(100)
        #expect(settled.allSatisfy { $0 == numParallel || $0 == numParallel + 1 }, "limits \(Array(settled))")
    }

    @Test(arguments: slots)
    func conservativeSettlesWithinOneStepOfTheHiddenParallelSlots(numParallel: Int) {
        var run = ConvergenceRun(node: SimulatedNode(numParallel: numParallel), parameters: .conservative)
        run.run(windows: 300)
        let settled = run.limits.suffix(100)
        #expect(settled.allSatisfy { $0 == numParallel || $0 == numParallel + 1 }, "limits \(Array(settled))")
    }

    /// Aggressive tolerates 2x TTFT inflation: on this node one queued request behind 8 slots
    /// inflates TTFT by 1.9x, so it may keep a second one queued.
    @Test(arguments: slots)
    func aggressiveSettlesWithinTwoStepsAboveTheHiddenParallelSlots(numParallel: Int) {
        var run = ConvergenceRun(node: SimulatedNode(numParallel: numParallel), parameters: .aggressive)
        run.run(windows: 300)
        let settled = run.limits.suffix(100)
        #expect(settled.allSatisfy { $0 >= numParallel && $0 <= numParallel + 2 }, "limits \(Array(settled))")
    }

    @Test func aNodeThatSlowsThreefoldLosesItsLimitThenRelearnsItsSlots() {
        var run = ConvergenceRun(node: SimulatedNode(numParallel: 8), parameters: .balanced)
        run.run(windows: 100)
        #expect(run.limits.last.map { $0 >= 8 } == true)
        run.node.base *= 3
        run.node.tokenTime *= 3
        run.node.generation *= 3
        run.run(windows: 30)
        // The slowdown reads as inflation: the limit falls to the minimum, then the baseline restarts.
        #expect(run.limits.suffix(30).min() == 1)
        #expect(run.decisions.contains { $0.reason.contains("the node got slower") })
        run.run(windows: 100)
        let settled = run.limits.suffix(50)
        #expect(settled.allSatisfy { $0 == 8 || $0 == 9 }, "limits \(Array(settled))")
    }

    @Test func aNodeThatWasNeverLoadedKeepsItsLimit() {
        var limiter = AdaptiveLimit(parameters: .balanced, ceiling: 32, now: .zero)
        var now = Duration.zero
        for _ in 0..<50 {  // 100 ms apart: 10 per window
            now += .milliseconds(100)
            _ = limiter.record(.success(ttft: .milliseconds(200), timePerOutputToken: nil), inFlight: 0, now: now)
        }
        #expect(limiter.state.windows == 5)
        #expect(limiter.limit == 1)
    }
}
