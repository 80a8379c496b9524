import PerfStats
import Telemetry
import Testing

/// `HistogramQuantile` against hand-computed Prometheus 2.42 results.
@Suite struct HistogramQuantileTests {
    /// 10 observations: 2 ≤ 0.1, 4 in (0.1, 0.5], 2 in (0.5, 1], 2 above 1.
    static let buckets: [(upperBound: Double, count: Double)] = [(0.1, 2), (0.5, 6), (1, 8), (.infinity, 10)]

    func quantile(_ q: Double, _ buckets: [(upperBound: Double, count: Double)] = Self.buckets) -> Double {
        HistogramQuantile.quantile(q, buckets: buckets)
    }

    @Test func interpolatesFromZeroInTheFirstBucket() {
        // rank 1 of 2 in [0, 0.1]
        #expect(quantile(0.1) == 0.05)
    }

    @Test func interpolatesBetweenBoundsInAMiddleBucket() {
        // rank 5: 3 of the 4 observations in (0.1, 0.5] → 0.1 + 0.4 · 3/4
        #expect(abs(quantile(0.5) - 0.4) < 1e-12)
    }

    @Test func quantileInTheInfBucketReturnsTheSecondHighestBound() {
        #expect(quantile(0.95) == 1)
    }

    @Test func qOneReturnsTheSecondHighestBoundWhenTheInfBucketHoldsObservations() {
        #expect(quantile(1) == 1)
    }

    @Test func qOneInterpolatesToTheTopOfTheLastFiniteBucketWhenItHoldsEverything() {
        #expect(quantile(1, [(0.1, 2), (1, 10), (.infinity, 10)]) == 1)
    }

    @Test func qZeroIsZeroWhenTheFirstBucketHasObservations() {
        #expect(quantile(0) == 0)
    }

    @Test func qZeroWithAnEmptyFirstBucketIsNaNLikePrometheus() {
        // rank 0 lands in the empty first bucket: 0/0.
        #expect(quantile(0, [(0.1, 0), (1, 4), (.infinity, 4)]).isNaN)
    }

    @Test func firstBucketWithNonPositiveBoundReturnsThatBound() {
        #expect(quantile(0.25, [(-1, 2), (0, 4), (.infinity, 4)]) == -1)
    }

    @Test func outOfRangeAndNaNQuantilesFollowPrometheus() {
        #expect(quantile(.nan).isNaN)
        #expect(quantile(-0.1) == -.infinity)
        #expect(quantile(1.1) == .infinity)
    }

    @Test func emptyOrUnobservedOrSingleBucketHistogramsAreNaN() {
        #expect(quantile(0.5, []).isNaN)
        #expect(quantile(0.5, [(.infinity, 3)]).isNaN)
        #expect(quantile(0.5, [(1, 0), (.infinity, 0)]).isNaN)
    }

    @Test func missingInfBucketIsNaN() {
        #expect(quantile(0.5, [(0.1, 2), (1, 8)]).isNaN)
    }

    @Test func bucketOrderDoesNotMatter() {
        #expect(abs(quantile(0.5, [(1, 8), (.infinity, 10), (0.5, 6), (0.1, 2)]) - 0.4) < 1e-12)
    }

    @Test func nonMonotonicCountsAreRaisedToTheRunningMaximum() {
        // Seen as (1,5) (2,5) (4,8) (+Inf,10): rank 6 → 2 + 2 · 1/3.
        #expect(abs(quantile(0.6, [(1, 5), (2, 3), (4, 8), (.infinity, 10)]) - (2 + 2.0 / 3)) < 1e-12)
    }

    @Test func duplicateBoundsAreMergedByAddingCounts() {
        // Seen as (1,4) (2,6) (+Inf,8): rank 2 → 1 · 2/4.
        #expect(quantile(0.25, [(1, 2), (2, 6), (1, 2), (.infinity, 8)]) == 0.5)
    }

    @Test func deltaSubtractsThePreviousScrape() {
        let delta = HistogramQuantile.delta(
            current: [(0.5, 5), (.infinity, 9)],
            previous: [(0.5, 2), (.infinity, 4)]
        )
        #expect(delta.map(\.upperBound) == [0.5, .infinity])
        #expect(delta.map(\.count) == [3, 5])
    }

    @Test func deltaAfterACounterResetIsTheCurrentCounts() {
        let delta = HistogramQuantile.delta(
            current: [(0.5, 1), (.infinity, 6)],
            previous: [(0.5, 2), (.infinity, 4)]
        )
        #expect(delta.map(\.count) == [1, 6])
    }

    @Test func deltaWithDifferentBoundsIsTheCurrentCounts() {
        let delta = HistogramQuantile.delta(current: [(1, 5), (.infinity, 9)], previous: [(0.5, 2), (.infinity, 4)])
        #expect(delta.map(\.upperBound) == [1, .infinity])
        #expect(delta.map(\.count) == [5, 9])
    }
}
