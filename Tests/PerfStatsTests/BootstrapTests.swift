import PerfStats
import Testing

/// The bootstrap interval is reproducible from its seed and covers clear shifts.
struct BootstrapTests {
    static let baseline: [Double] = [
        0.0121, 0.0119, 0.0123, 0.0120, 0.0122, 0.0118, 0.0124, 0.0120, 0.0121, 0.0119,
        0.0122, 0.0120, 0.0123, 0.0121, 0.0118, 0.0120,
    ]
    static let current = baseline.map { $0 * 1.25 }

    @Test func sameSeedGivesTheSameInterval() throws {
        let first = try Stats.bootstrapRatioOfMedians(baseline: Self.baseline, current: Self.current, seed: 42)
        let second = try Stats.bootstrapRatioOfMedians(baseline: Self.baseline, current: Self.current, seed: 42)
        #expect(first == second)
    }

    @Test func intervalIsPinnedForAGivenSeed() throws {
        // Pins SplitMix64 and the bounded-integer rule: a change here changes every stored report.
        let interval = try Stats.bootstrapRatioOfMedians(
            baseline: [1, 2, 3, 4, 5],
            current: [2, 4, 6, 8, 10, 12],
            resamples: 10,
            seed: 7
        )
        // Cross-checked with an independent Python SplitMix64 + numpy.median/percentile version.
        #expect(interval.low == 4.0 / 3.0 && interval.high == 4.7)
    }

    @Test func differentSeedsDrawDifferentResamples() throws {
        let samples = (1...30).map { Double($0) }
        let a = try Stats.bootstrapRatioOfMedians(baseline: samples, current: samples.reversed(), seed: 1)
        let b = try Stats.bootstrapRatioOfMedians(baseline: samples, current: samples.reversed(), seed: 2)
        #expect(a != b)
    }

    @Test func intervalContainsTheTrueRatioOfSeparatedSamples() throws {
        let interval = try Stats.bootstrapRatioOfMedians(baseline: Self.baseline, current: Self.current, seed: 2024)
        #expect(interval.low <= 1.25 && 1.25 <= interval.high)
        #expect(interval.low > 1.1, "a 25% shift must not overlap 1")
        #expect(interval.high < 1.4)
    }

    @Test func identicalSamplesGiveAnIntervalAroundOne() throws {
        let interval = try Stats.bootstrapRatioOfMedians(baseline: Self.baseline, current: Self.baseline, seed: 9)
        #expect(interval.low <= 1 && 1 <= interval.high)
        #expect(interval.low < interval.high)
    }

    @Test func constantSamplesGiveAPointInterval() throws {
        let interval = try Stats.bootstrapRatioOfMedians(baseline: [2, 2, 2], current: [3, 3], seed: 0)
        #expect(interval == (low: 1.5, high: 1.5))
    }

    @Test func badInputIsRejected() {
        #expect(throws: StatsError(.emptySamples, "current: no samples (need at least 1 finite value)")) {
            try Stats.bootstrapRatioOfMedians(baseline: [1], current: [], seed: 0)
        }
        #expect(throws: StatsError(.valueOutOfRange, "baseline[1] is 0.0 (a ratio of medians needs every baseline value > 0)")) {
            try Stats.bootstrapRatioOfMedians(baseline: [1, 0], current: [1], seed: 0)
        }
        #expect(throws: StatsError(.invalidParameter, "resamples is 0 (need at least 1; 2000 is usual)")) {
            try Stats.bootstrapRatioOfMedians(baseline: [1], current: [1], resamples: 0, seed: 0)
        }
        #expect(throws: StatsError.self) {
            try Stats.bootstrapRatioOfMedians(baseline: [1], current: [1], confidence: 1.5, seed: 0)
        }
    }
}
