import Testing

@testable import Optimizer

/// The update rules against hand-computed values (the arithmetic is in each row's comment).
@Suite struct UpdateRuleTests {
    struct LongCase: Sendable, CustomTestStringConvertible {
        var long: Double?
        var sample: Double
        var windows: Int
        var longWindow: Int
        var expected: Double
        var testDescription: String { "long \(String(describing: long)) sample \(sample) window \(windows)" }
    }

    static let longCases: [LongCase] = [
        // No long-term latency yet: the sample is it.
        LongCase(long: nil, sample: 0.2, windows: 1, longWindow: 50, expected: 0.2),
        // Plain mean, 2nd window: 0.2 + (0.4 - 0.2)/2 = 0.3.
        LongCase(long: 0.2, sample: 0.4, windows: 2, longWindow: 50, expected: 0.3),
        // Plain mean, 3rd window: 0.3 + (0.6 - 0.3)/3 = 0.4.
        LongCase(long: 0.3, sample: 0.6, windows: 3, longWindow: 50, expected: 0.4),
        // EMA from the 11th window, factor 2/51: 0.3·49/51 + 0.6·2/51 = 15.9/51 = 0.311764705...
        LongCase(long: 0.3, sample: 0.6, windows: 11, longWindow: 50, expected: 15.9 / 51),
        // EMA factor 2/10 = 0.2: 1.0·0.8 + 0.4·0.2 = 0.88; 0.88/0.4 = 2.2 > 2, so ·0.95 = 0.836.
        LongCase(long: 1.0, sample: 0.4, windows: 11, longWindow: 9, expected: 0.836),
    ]

    @Test(arguments: longCases)
    func theLongTermLatencyIsAPlainMeanThenAnEMAThatDecaysWhenTheLoadFallsAway(_ row: LongCase) {
        let next = AdaptiveLimit.nextLong(row.long, sample: row.sample, windows: row.windows, longWindow: row.longWindow)
        #expect(abs(next - row.expected) < 1e-12)
    }

    @Test(arguments: [
        // 1.5·0.2/0.2 = 1.5, clamped to 1.
        (1.5, 0.2, 0.2, 1.0),
        // 1.5·0.2/0.25 = 1.2, clamped to 1: within the tolerance.
        (1.5, 0.2, 0.25, 1.0),
        // 1.5·0.2/0.4 = 0.75.
        (1.5, 0.2, 0.4, 0.75),
        // 1.25·0.2/0.5 = 0.5.
        (1.25, 0.2, 0.5, 0.5),
        // 1.5·0.2/2.2 = 0.136..., clamped to 0.5.
        (1.5, 0.2, 2.2, 0.5),
    ])
    func theGradientIsTheToleratedOverTheSampledLatencyClampedToAHalfAndOne(
        tolerance: Double,
        long: Double,
        sample: Double,
        expected: Double
    ) {
        #expect(abs(AdaptiveLimit.gradient(tolerance: tolerance, long: long, sample: sample) - expected) < 1e-12)
    }

    @Test(arguments: [
        // Gradient 1: target 8 + 1 = 9; 0.8·8 + 0.2·9 = 8.2.
        (8.0, 1.0, 1.0, 0.2, 8.2),
        // Gradient 0.5: target 9·0.5 = 4.5 (no queue allowance); 0.8·9 + 0.2·4.5 = 8.1.
        (9.0, 0.5, 1.0, 0.2, 8.1),
        // Gradient 0.75: target 7.5; 0.5·10 + 0.5·7.5 = 8.75.
        (10.0, 0.75, 1.0, 0.5, 8.75),
        // Aggressive: target 4 + 2 = 6; 0.7·4 + 0.3·6 = 4.6.
        (4.0, 1.0, 2.0, 0.3, 4.6),
        // Conservative, one slot under inflation: target 0.5; 0.9·1 + 0.1·0.5 = 0.95 (clamped to minLimit later).
        (1.0, 0.5, 1.0, 0.1, 0.95),
    ])
    func theLimitMovesBySmoothingTowardsItsTarget(limit: Double, gradient: Double, queueSize: Double, smoothing: Double, expected: Double) {
        let next = AdaptiveLimit.smoothed(limit, gradient: gradient, queueSize: queueSize, smoothing: smoothing)
        #expect(abs(next - expected) < 1e-12)
    }

    @Test(arguments: [
        (8, 0.75, 1, 6),  // ⌊6.0⌋
        (8, 0.5, 1, 4),  // ⌊4.0⌋
        (8, 0.9, 1, 7),  // ⌊7.2⌋
        (20, 0.9, 1, 18),  // ⌊18.0⌋
        (7, 0.5, 1, 3),  // ⌊3.5⌋
        (2, 0.5, 1, 1),  // ⌊1.0⌋
        (1, 0.5, 1, 1),  // ⌊0.5⌋ = 0, held at minLimit 1
        (5, 0.5, 3, 3),  // ⌊2.5⌋ = 2, held at minLimit 3
    ])
    func aDropCutsToTheFlooredBackoffNeverUnderTheMinimum(limit: Int, ratio: Double, minLimit: Int, expected: Int) {
        #expect(AdaptiveLimit.cutLimit(limit, backoffRatio: ratio, minLimit: minLimit) == expected)
    }

    @Test func percentilesInterpolateBetweenTheClosestRanks() {
        #expect([Double]().percentile(0.5) == nil)
        #expect([5.0].percentile(0.9) == 5)
        #expect([3.0, 1, 2].percentile(0.5) == 2)
        // Ranks 0...3; p50 at rank 1.5: 2 + 0.5·(3 - 2) = 2.5.
        #expect([4.0, 1, 3, 2].percentile(0.5) == 2.5)
        // p90 at rank 2.7: 3 + 0.7·(4 - 3) = 3.7.
        #expect(abs(([4.0, 1, 3, 2].percentile(0.9) ?? 0) - 3.7) < 1e-12)
        #expect([4.0, 1, 3, 2].percentile(1) == 4)
        #expect([4.0, 1, 3, 2].percentile(0) == 1)
    }

    @Test func reasonsPrintUpToThreeDecimalsWithoutTrailingZeros() {
        #expect(AdaptiveLimit.format(0.2) == "0.2")
        #expect(AdaptiveLimit.format(1.5) == "1.5")
        #expect(AdaptiveLimit.format(2) == "2")
        #expect(AdaptiveLimit.format(0.77381) == "0.774")
        #expect(AdaptiveLimit.format(12.0004) == "12")
        #expect(AdaptiveLimit.format(-0.25) == "-0.25")
    }
}
