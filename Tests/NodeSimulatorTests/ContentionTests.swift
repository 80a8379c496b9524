import NodeSimulator
import Testing

/// Batching contention and speed changes, as pure functions: the curves, each token's gap, the
/// prefill's steps, the speed factor over time. No clock.
struct ContentionTests {
    @Test func theGPUCurveHasTheMeasuredPointsAndIsLinearBetweenThem() {
        let gpu = Contention.gpu
        #expect([1, 2, 4, 8, 16, 32].map(gpu.speedup) == [1, 1.22, 1.79, 3.35, 5.82, 11.2])
        #expect(abs(gpu.speedup(3) - 1.505) < 1e-12)
        #expect(abs(gpu.speedup(6) - 2.57) < 1e-12)
        #expect(abs(gpu.speedup(24) - 8.51) < 1e-12)
        // Past the last point the batch is saturated: the aggregate stays, each request slows as 1/k.
        #expect(gpu.speedup(64) == 11.2)
        #expect(gpu.gapFactor(4) == 4 / 1.79)
        #expect(gpu.gapFactor(64) == 64 / 11.2)
    }

    @Test func theCPUCurveBarelyRises() {
        #expect([1, 2, 3, 4, 8].map(Contention.cpu.speedup) == [1, 1.14, 1.18, 1.2, 1.2])
        #expect(Contention.cpu.gapFactor(2) == 2 / 1.14)
    }

    @Test func noContentionKeepsEveryRequestAtTheFullRate() {
        for k in 1...64 {
            #expect(Contention.none.gapFactor(k) == 1)
            #expect(Contention.none.speedup(k) == Double(k))
        }
        #expect(SimulatedModel(name: "x").contention == .none)
        #expect(SimulatorConfiguration().faults.slowdowns.isEmpty)
    }

    @Test func aCustomCurveListsTheSpeedUpsFromOneRequestOn() {
        let curve = Contention.curve([1, 1.5, 1.8])
        #expect([1, 2, 3, 5].map(curve.speedup) == [1, 1.5, 1.8, 1.8])
        #expect(curve.gapFactor(2) == 2 / 1.5)
        #expect(curve.problem == nil)
        #expect(Contention.curve([2, 3]).problem == "s(1) must be 1 (one request decodes at the model's rate), got 2.0")
        #expect(Contention.curve([1, 2.5]).problem?.hasPrefix("s(2) = 2.5: each speed-up must be") == true)
        #expect(Contention.curve([1, 1.5, 1.2]).problem?.hasPrefix("s(3) = 1.2") == true)
        #expect(Contention.curve([]).problem != nil)
    }

    @Test func contentionParsesFromItsNamesOrAList() {
        #expect(Contention("gpu") == .gpu)
        #expect(Contention(" CPU ") == .cpu)
        #expect(Contention("none") == Contention.none)
        #expect(Contention("1, 1.5,1.8") == .curve([1, 1.5, 1.8]))
        #expect(Contention("fast") == nil)
        #expect(Contention("1,x") == nil)
        #expect(Contention.curve([1, 1.5]).description == "1.0,1.5")
    }

    @Test func eachTokensGapUsesTheDecodersOfThatMoment() {
        // A stream of five tokens at 100 tokens/s while others join and leave: 1, 2, 4, 2, 1 decoders.
        let base = 0.01
        let decoders = [1, 2, 4, 2, 1]
        let gaps = decoders.map { ContentionTiming.decodeGap(base: base, decoders: $0, factor: 1, contention: .gpu) }
        #expect(gaps == [0.01, 0.01 * 2 / 1.22, 0.01 * 4 / 1.79, 0.01 * 2 / 1.22, 0.01])
        // Per-request rate r(k) = r(1) s(k) / k, so k requests together make s(k) times the tokens.
        let aggregate = 4 / ContentionTiming.decodeGap(base: base, decoders: 4, factor: 1, contention: .gpu)
        #expect(abs(aggregate - 100 * 1.79) < 1e-9)
        // Without contention the gap is the plan's, bit for bit; a slowed node divides the rate.
        #expect(ContentionTiming.decodeGap(base: 0.0123, decoders: 8, factor: 1, contention: .none) == 0.0123)
        #expect(ContentionTiming.decodeGap(base: 0.01, decoders: 1, factor: 3, contention: .none) == 0.03)
        #expect(ContentionTiming.decodeGap(base: 0.01, decoders: 2, factor: 2, contention: .cpu) == 0.01 * (2 / 1.14) * 2)
    }

    @Test func concurrentPrefillsSplitThePrefillRate() {
        // Alone and unshared: one step, the whole prompt at the full rate.
        let alone = ContentionTiming.prefillStep(remaining: 100, rate: 1000, prefills: 1, factor: 1, quantum: nil)
        #expect(alone.seconds == 0.1 && alone.tokens == 100)
        // Two sharing: half the rate, in steps of the quantum.
        let shared = ContentionTiming.prefillStep(remaining: 100, rate: 1000, prefills: 2, factor: 1, quantum: 0.01)
        #expect(shared.seconds == 0.01 && shared.tokens == 5)
        let last = ContentionTiming.prefillStep(remaining: 3, rate: 1000, prefills: 2, factor: 1, quantum: 0.01)
        #expect(last.seconds == 0.006 && last.tokens == 3)
        let slowed = ContentionTiming.prefillStep(remaining: 100, rate: 1000, prefills: 1, factor: 4, quantum: nil)
        #expect(slowed.seconds == 0.4 && slowed.tokens == 100)
        // Four prompts of 100 tokens sharing 1000 tokens/s all finish after 0.4 s: the work is kept.
        var remaining = 100.0
        var seconds = 0.0
        for _ in 0..<1000 where remaining > 1e-9 {
            let step = ContentionTiming.prefillStep(remaining: remaining, rate: 1000, prefills: 4, factor: 1, quantum: 0.01)
            seconds += step.seconds
            remaining -= step.tokens
        }
        #expect(abs(seconds - 0.4) < 1e-9)
    }

    @Test func theSpeedFactorIsTheLatestChange() {
        let schedule = [Slowdown(after: .seconds(60), factor: 1.5), Slowdown(after: .seconds(30), factor: 3)]
        let factor = { (seconds: Double, override: Slowdown?) in
            Slowdown.factor(at: .seconds(seconds), schedule: schedule, override: override)
        }
        #expect(factor(0, nil) == 1)
        #expect(factor(29.9, nil) == 1)
        #expect(factor(30, nil) == 3)
        #expect(factor(61, nil) == 1.5)
        // A change at run time wins from its time on, until a later scheduled one.
        let override = Slowdown(after: .seconds(40), factor: 2)
        #expect(factor(35, override) == 3)
        #expect(factor(45, override) == 2)
        #expect(factor(61, override) == 1.5)
        #expect(factor(45, Slowdown(after: .seconds(30), factor: 5)) == 5)
    }
}
