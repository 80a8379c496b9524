import Foundation
import PerfStats
import Testing

/// Summaries and percentiles agree with numpy.
struct DescriptiveTests {
    @Test("summary matches numpy", arguments: try Fixtures.percentiles())
    func summaryMatchesNumpy(_ fixture: Fixtures.PercentileCase) throws {
        let summary = try Stats.summarize(fixture.samples)
        #expect(summary.count == fixture.samples.count)
        #expect(summary.min == fixture.min && summary.max == fixture.max)
        #expect(summary.median == fixture.median)
        #expect(isClose(summary.mean, fixture.mean, relative: 1e-12), "mean \(summary.mean) vs \(fixture.mean)")
        #expect(
            isClose(summary.standardDeviation, fixture.standardDeviation, relative: 1e-12),
            "σ \(summary.standardDeviation) vs \(fixture.standardDeviation)"
        )
        #expect(isClose(summary.mad, fixture.mad, relative: 1e-12), "MAD \(summary.mad) vs \(fixture.mad)")
        #expect(isClose(summary.p50, fixture.p50, relative: 1e-12))
        #expect(isClose(summary.p90, fixture.p90, relative: 1e-12))
        #expect(isClose(summary.p95, fixture.p95, relative: 1e-12))
        #expect(isClose(summary.p99, fixture.p99, relative: 1e-12))
    }

    @Test("percentile matches numpy.percentile(method=linear)", arguments: try Fixtures.percentiles())
    func percentileMatchesNumpy(_ fixture: Fixtures.PercentileCase) {
        let sorted = fixture.samples.sorted()
        for point in fixture.percentiles {
            let value = Stats.percentile(sorted, point.p)
            #expect(isClose(value, point.value, relative: 1e-12), "p\(point.p): \(value) vs \(point.value)")
        }
    }

    @Test func percentileInterpolatesBetweenClosestRanks() {
        let sorted: [Double] = [10, 20, 30, 40]
        #expect(Stats.percentile(sorted, 0) == 10)
        #expect(Stats.percentile(sorted, 50) == 25)
        #expect(Stats.percentile(sorted, 90) == 37)
        #expect(Stats.percentile(sorted, 100) == 40)
        #expect(Stats.percentile([7], 99) == 7)
    }

    @Test func percentileClampsItsArgumentAndReturnsNaNForNoData() {
        #expect(Stats.percentile([1, 2], 150) == 2)
        #expect(Stats.percentile([1, 2], -5) == 1)
        #expect(Stats.percentile([], 50).isNaN)
        #expect(Stats.percentile([1, 2], .nan).isNaN)
    }

    @Test func singleSampleHasZeroSpread() throws {
        let summary = try Stats.summarize([3.5])
        #expect(
            summary
                == Summary(
                    count: 1,
                    mean: 3.5,
                    median: 3.5,
                    standardDeviation: 0,
                    min: 3.5,
                    max: 3.5,
                    mad: 0,
                    p50: 3.5,
                    p90: 3.5,
                    p95: 3.5,
                    p99: 3.5
                )
        )
    }

    @Test func madIsRawAndMadScaledEstimatesSigma() throws {
        let summary = try Stats.summarize([1, 2, 3, 4, 100])
        #expect(summary.median == 3)
        #expect(summary.mad == 1)
        #expect(summary.madScaled == 1.4826)
        #expect(try Stats.medianAbsoluteDeviation([1, 2, 3, 4, 100]) == 1)
    }

    @Test func medianOfEvenCountIsMeanOfMiddlePair() throws {
        #expect(try Stats.median([4, 1, 3, 2]) == 2.5)
        #expect(try Stats.median([5, 1, 3]) == 3)
    }

    @Test func summaryRoundTripsThroughJSON() throws {
        let summary = try Stats.summarize([0.012, 0.013, 0.011, 0.0125, 0.05])
        let data = try JSONEncoder().encode(summary)
        #expect(try JSONDecoder().decode(Summary.self, from: data) == summary)
    }

    @Test func invalidSamplesAreRejectedWithTheirPosition() {
        #expect(throws: StatsError(.emptySamples, "samples: no samples (need at least 1 finite value)")) {
            try Stats.summarize([])
        }
        #expect(throws: StatsError(.nonFiniteValue, "samples[2] is nan (every sample must be a finite number)")) {
            try Stats.summarize([1, 2, .nan])
        }
        #expect(throws: StatsError(.nonFiniteValue, "samples[0] is -inf (every sample must be a finite number)")) {
            try Stats.median([-.infinity])
        }
    }
}
