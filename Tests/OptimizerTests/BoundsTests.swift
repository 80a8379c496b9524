import Optimizer
import Testing

/// SplitMix64: the same numbers on every platform, so a failing seed reproduces.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct BoundsTests {
    @Test(arguments: OptimizationLevel.allCases.compactMap(\.parameters), [1, 2, 3])
    func theLimitNeverLeavesTheMinimumAndTheCeilingUnderRandomSignals(parameters: LimiterParameters, seed: UInt64) {
        var random = SeededGenerator(state: seed)
        var ceiling = 16
        var limiter = AdaptiveLimit(parameters: parameters, ceiling: ceiling, now: .zero)
        var now = Duration.zero
        var decisions = 0
        for step in 0..<20_000 {
            now += .milliseconds(Int.random(in: 0...400, using: &random))
            if step % 997 == 0 {
                ceiling = Int.random(in: 0...40, using: &random)
                limiter.ceiling = ceiling
            }
            let signal: LimitSignal =
                switch Int.random(in: 0..<40, using: &random) {
                case 0: .dropped([DropKind.overloaded, .timeout, .reset][Int.random(in: 0..<3, using: &random)])
                case 1: .ignored
                default:
                    .success(
                        ttft: .microseconds(Int.random(in: 0...1_000_000, using: &random)),
                        timePerOutputToken: Bool.random(using: &random) ? nil : .microseconds(Int.random(in: 1...200_000, using: &random))
                    )
                }
            let before = limiter.limit
            let decision = limiter.record(signal, inFlight: Int.random(in: 0...40, using: &random), now: now)
            let upper = max(ceiling, parameters.minLimit)
            #expect(
                limiter.limit >= parameters.minLimit && limiter.limit <= upper,
                "step \(step): \(limiter.limit) outside [\(parameters.minLimit), \(upper)]"
            )
            if let decision {
                decisions += 1
                #expect(decision.from == before && decision.to == limiter.limit && decision.from != decision.to)
                #expect(!decision.reason.isEmpty)
            } else {
                #expect(limiter.limit == before)
            }
        }
        #expect(decisions > 0)
    }
}
