import Testing

@testable import Alerting

/// `histogram_quantile` over classic `_bucket` series: linear interpolation inside the bucket holding the
/// rank, the highest finite bound for ranks in `+Inf`, and NaN where the buckets cannot answer.
struct HistogramQuantileTests {
    /// 50 observations: 10 ≤ 0.1 s, 30 ≤ 0.5 s, 40 ≤ 1 s.
    let fixture: SeriesFixture

    init() throws {
        fixture = try SeriesFixture([
            "latency_bucket{job=\"api\",le=\"0.1\"}": "10",
            "latency_bucket{job=\"api\",le=\"0.5\"}": "30",
            "latency_bucket{job=\"api\",le=\"1\"}": "40",
            "latency_bucket{job=\"api\",le=\"+Inf\"}": "50",
        ])
    }

    @Test func theRankIsInterpolatedInsideItsBucket() throws {
        // Rank 25 falls in (0.1, 0.5] holding 20 observations, 15 of them below the rank: 0.1 + 0.4 × 15/20.
        #expect(matches(try fixture.vector("histogram_quantile(0.5, latency_bucket)", at: 0), ["{job=\"api\"}": 0.4]))
        // Rank 5 in the first bucket, interpolated from 0.
        #expect(close(try fixture.value("histogram_quantile(0.1, latency_bucket)", at: 0), 0.05))
        // Rank 40 is exactly the top of (0.5, 1].
        #expect(close(try fixture.value("histogram_quantile(0.8, latency_bucket)", at: 0), 1))
    }

    @Test func aRankInThePlusInfBucketGivesTheHighestFiniteBound() throws {
        #expect(try fixture.value("histogram_quantile(0.9, latency_bucket)", at: 0) == 1)
        #expect(try fixture.value("histogram_quantile(0.99, latency_bucket)", at: 0) == 1)
    }

    @Test func outOfRangeQuantilesAreInfinite() throws {
        #expect(try fixture.value("histogram_quantile(1.5, latency_bucket)", at: 0) == .infinity)
        #expect(try fixture.value("histogram_quantile(-0.5, latency_bucket)", at: 0) == -.infinity)
    }

    @Test func bucketsWithoutPlusInfOrObservationsGiveNaN() throws {
        let partial = try SeriesFixture([
            "x_bucket{le=\"1\"}": "1",
            "x_bucket{le=\"2\"}": "2",
            "empty_bucket{le=\"1\"}": "0",
            "empty_bucket{le=\"+Inf\"}": "0",
        ])
        #expect(try partial.value("histogram_quantile(0.5, x_bucket)", at: 0).isNaN)
        #expect(try partial.value("histogram_quantile(0.5, empty_bucket)", at: 0).isNaN)
    }

    @Test func nonMonotonicBucketsAreFlattenedFirst() throws {
        // 10 8 40 50 is read as 10 10 40 50: rank 25 lies in (0.5, 1] holding 30: 0.5 + 0.5 × 15/30.
        let broken = try SeriesFixture([
            "b_bucket{le=\"0.1\"}": "10",
            "b_bucket{le=\"0.5\"}": "8",
            "b_bucket{le=\"1\"}": "40",
            "b_bucket{le=\"+Inf\"}": "50",
        ])
        #expect(close(try broken.value("histogram_quantile(0.5, b_bucket)", at: 0), 0.75))
    }

    @Test func eachLabelSetIsItsOwnHistogramAndBucketsWithoutLeAreIgnored() throws {
        try fixture.add("latency_bucket{job=\"web\",le=\"1\"}", "4")
        try fixture.add("latency_bucket{job=\"web\",le=\"+Inf\"}", "4")
        try fixture.add("latency_bucket{job=\"web\"}", "1000")
        #expect(matches(try fixture.vector("histogram_quantile(0.5, latency_bucket)", at: 0), ["{job=\"api\"}": 0.4, "{job=\"web\"}": 0.5]))
        // The usual rule: rates summed by le across jobs. Both grow 1/s per bucket → 2 obs/s in total.
        let growing = try SeriesFixture([
            "req_bucket{job=\"a\",le=\"1\"}": "0+60x5",
            "req_bucket{job=\"a\",le=\"+Inf\"}": "0+60x5",
            "req_bucket{job=\"b\",le=\"1\"}": "0+0x5",
            "req_bucket{job=\"b\",le=\"+Inf\"}": "0+60x5",
        ])
        // le=1 holds 1/s of 2/s; rank 0.25 × 2 = 0.5 → 0 + 1 × 0.5/1.
        #expect(close(try growing.value("histogram_quantile(0.25, sum by (le) (rate(req_bucket[5m])))", at: minutes(5)), 0.5))
        #expect(try growing.value("histogram_quantile(0.75, sum by (le) (rate(req_bucket[5m])))", at: minutes(5)) == 1)
    }
}
