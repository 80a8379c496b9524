import Testing

@testable import Alerting

/// Aggregation operators with `by` and `without` over five request counters.
struct AggregationTests {
    let fixture: SeriesFixture

    init() throws {
        fixture = try SeriesFixture([
            "http{job=\"api\",instance=\"a\",code=\"200\"}": "10",
            "http{job=\"api\",instance=\"b\",code=\"200\"}": "20",
            "http{job=\"api\",instance=\"b\",code=\"500\"}": "5",
            "http{job=\"web\",instance=\"c\",code=\"200\"}": "40",
            "http{job=\"web\",instance=\"c\",code=\"500\"}": "1",
        ])
    }

    @Test func sumAvgMinMaxAndCountGroupByTheListedLabels() throws {
        #expect(try fixture.vector("sum(http)", at: 0) == ["{}": 76])
        #expect(try fixture.vector("sum by (job) (http)", at: 0) == ["{job=\"api\"}": 35, "{job=\"web\"}": 41])
        #expect(try fixture.vector("sum(http) by (job)", at: 0) == ["{job=\"api\"}": 35, "{job=\"web\"}": 41])
        #expect(matches(try fixture.vector("avg by (job) (http)", at: 0), ["{job=\"api\"}": 35.0 / 3, "{job=\"web\"}": 20.5]))
        #expect(try fixture.vector("min by (code) (http)", at: 0) == ["{code=\"200\"}": 10, "{code=\"500\"}": 1])
        #expect(try fixture.vector("max(http)", at: 0) == ["{}": 40])
        #expect(try fixture.vector("count by (job) (http)", at: 0) == ["{job=\"api\"}": 3, "{job=\"web\"}": 2])
        #expect(try fixture.vector("group by (job) (http)", at: 0) == ["{job=\"api\"}": 1, "{job=\"web\"}": 1])
        // Grouping by a label no series has gives one group without it.
        #expect(try fixture.vector("sum by (zone) (http)", at: 0) == ["{}": 76])
    }

    @Test func withoutKeepsEveryOtherLabelButTheMetricName() throws {
        #expect(try fixture.vector("sum without (instance, code) (http)", at: 0) == ["{job=\"api\"}": 35, "{job=\"web\"}": 41])
        #expect(
            try fixture.vector("max without (instance) (http)", at: 0) == [
                "{code=\"200\",job=\"api\"}": 20, "{code=\"500\",job=\"api\"}": 5,
                "{code=\"200\",job=\"web\"}": 40, "{code=\"500\",job=\"web\"}": 1,
            ]
        )
    }

    @Test func stddevAndStdvarArePopulationStatisticsPerGroup() throws {
        // web: 40 and 1 around 20.5; api: 10 20 5 around 35/3, squared deviations sum to 1050/9.
        #expect(matches(try fixture.vector("stddev by (job) (http)", at: 0), ["{job=\"api\"}": (350.0 / 9).squareRoot(), "{job=\"web\"}": 19.5]))
        #expect(matches(try fixture.vector("stdvar by (job) (http)", at: 0), ["{job=\"api\"}": 350.0 / 9, "{job=\"web\"}": 380.25]))
    }

    @Test func topkAndBottomkKeepWholeSeriesOrderedByValue() throws {
        #expect(
            try fixture.ordered("topk(2, http)", at: 0) == [
                "http{code=\"200\",instance=\"c\",job=\"web\"} 40",
                "http{code=\"200\",instance=\"b\",job=\"api\"} 20",
            ]
        )
        #expect(
            try fixture.vector("bottomk by (job) (1, http)", at: 0) == [
                "http{code=\"500\",instance=\"b\",job=\"api\"}": 5,
                "http{code=\"500\",instance=\"c\",job=\"web\"}": 1,
            ]
        )
        #expect(try fixture.vector("topk(0, http)", at: 0).isEmpty)
        #expect(try fixture.vector("topk(10, http)", at: 0).count == 5)
    }

    @Test func quantileInterpolatesWithinEachGroup() throws {
        // All: 1 5 10 20 40, median 10. api: 5 10 20; web: 1 40, halfway is 20.5.
        #expect(try fixture.vector("quantile(0.5, http)", at: 0) == ["{}": 10])
        #expect(try fixture.vector("quantile by (job) (0.5, http)", at: 0) == ["{job=\"api\"}": 10, "{job=\"web\"}": 20.5])
        // Rank 0.9 × 4 = 3.6: 20 + 0.6 × 20.
        #expect(close(try fixture.value("quantile(0.9, http)", at: 0), 32))
    }

    @Test func countValuesCountsSeriesPerValue() throws {
        let versions = try SeriesFixture([
            "build{instance=\"a\"}": "2",
            "build{instance=\"b\"}": "2",
            "build{instance=\"c\"}": "2.5",
            "build{instance=\"d\"}": "1e21",
        ])
        #expect(
            try versions.vector("count_values(\"version\", build)", at: 0) == [
                "{version=\"2\"}": 2, "{version=\"2.5\"}": 1, "{version=\"1000000000000000000000\"}": 1,
            ]
        )
        #expect(
            try fixture.vector("count_values by (job) (\"v\", http{code=\"500\"})", at: 0) == [
                "{job=\"api\",v=\"5\"}": 1, "{job=\"web\",v=\"1\"}": 1,
            ]
        )
        #expect(versions.failure("count_values(\"not a label\", build)", at: 0) == "invalid label name \"not a label\"")
    }

    @Test func aggregatingNothingGivesNothing() throws {
        #expect(try fixture.vector("sum(nothing)", at: 0).isEmpty)
        #expect(try fixture.vector("count(nothing)", at: 0).isEmpty)
    }
}
