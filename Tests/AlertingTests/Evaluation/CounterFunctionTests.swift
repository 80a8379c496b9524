import Testing

@testable import Alerting

/// `rate`, `increase`, `irate`, `delta`, `idelta`, `resets` and `changes`, with every expected value worked
/// out by hand from Prometheus' extrapolation rules (comments show the arithmetic).
struct CounterFunctionTests {
    /// A counter that resets between 2m and 3m: 0 10 20 5 15 at 0..4m.
    let counter: SeriesFixture
    /// A counter that starts above zero: 5 10 15 20 at 0..3m.
    let late: SeriesFixture

    init() throws {
        counter = try SeriesFixture(["c{job=\"api\"}": "0 10 20 5 15"])
        late = try SeriesFixture(["d": "5 10 15 20"])
    }

    @Test func aCounterResetAddsTheValueBeforeTheReset() throws {
        // Window [0, 4m] holds all five samples: 15 - 0 + 20 (the reset) = 35, no extrapolation needed.
        #expect(try counter.vector("increase(c[4m])", at: minutes(4)) == ["{job=\"api\"}": 35])
        #expect(matches(try counter.vector("rate(c[4m])", at: minutes(4)), ["{job=\"api\"}": 35.0 / 240]))
        #expect(try counter.vector("resets(c[4m])", at: minutes(4)) == ["{job=\"api\"}": 1])
        #expect(try counter.vector("resets(c[1m])", at: minutes(2)) == ["{job=\"api\"}": 0])
    }

    @Test func extrapolationTowardsTheStartStopsWhereTheCounterWasZero() throws {
        // Window [-1m, 4m]: 60 s to its start, but a counter starting at 0 was zero at the first sample,
        // so nothing is extrapolated: still 35, now over 300 s.
        #expect(try counter.vector("increase(c[5m])", at: minutes(4)) == ["{job=\"api\"}": 35])
        #expect(matches(try counter.vector("rate(c[5m])", at: minutes(4)), ["{job=\"api\"}": 35.0 / 300]))
    }

    @Test func gapsShorterThanAnIntervalAndAHalfAreExtrapolatedInFull() throws {
        // Window [-1m, 4m] over samples 0..3m: 15 over 180 s, 60 s to each edge (< 1.1 × 60 s), and the
        // zero point 180 × 5/15 = 60 s back is no closer: 15 × 300/180 = 25.
        #expect(close(try late.value("increase(d[5m])", at: minutes(4)), 25))
        #expect(close(try late.value("rate(d[5m])", at: minutes(4)), 25.0 / 300))
    }

    @Test func extrapolationIsCutAtTheCountersZeroPoint() throws {
        // Window [-7m, 3m]: 420 s to the start, but zero was 60 s before the first sample:
        // 15 × (180 + 60 + 0)/180 = 20.
        #expect(close(try late.value("increase(d[10m])", at: minutes(3)), 20))
    }

    @Test func longGapsToTheWindowEdgeExtrapolateHalfAnInterval() throws {
        // Window [0, 10m]: the last sample is 420 s before the end (≥ 66 s), so only 30 s are added:
        // 15 × (180 + 0 + 30)/180 = 17.5.
        #expect(close(try late.value("increase(d[10m])", at: minutes(10)), 17.5))
    }

    @Test func fewerThanTwoSamplesGiveNoRate() throws {
        #expect(try counter.vector("rate(c[30s])", at: minutes(4)).isEmpty)
        #expect(try counter.vector("irate(c[30s])", at: minutes(4)).isEmpty)
        #expect(try counter.vector("delta(c[30s])", at: minutes(4)).isEmpty)
    }

    @Test func irateUsesTheLastTwoSamplesAndTreatsADropAsAReset() throws {
        // 15 - 5 over 60 s.
        #expect(try counter.value("irate(c[5m])", at: minutes(4)) == 10.0 / 60)
        // 20 → 5 is a reset: the increase is 5, over 60 s.
        #expect(try counter.value("irate(c[5m])", at: minutes(3)) == 5.0 / 60)
    }

    @Test func anOffsetMovesTheWindow() throws {
        // Window [0, 2m]: 0 10 20, 20 over 120 s.
        #expect(close(try counter.value("rate(c[2m] offset 2m)", at: minutes(4)), 20.0 / 120))
    }

    @Test func deltaOfAGaugeExtrapolatesWithoutTheCounterRules() throws {
        let gauge = try SeriesFixture(["g": "10 4 7 1"])
        // Exactly the window: 1 - 10.
        #expect(try gauge.value("delta(g[3m])", at: minutes(3)) == -9)
        // Window [-2m, 3m]: 120 s to the start (≥ 66 s) adds 30 s: -9 × 210/180 = -10.5.
        #expect(close(try gauge.value("delta(g[5m])", at: minutes(3)), -10.5))
        // A drop is not a reset for delta, and idelta is the last difference.
        #expect(try gauge.value("idelta(g[5m])", at: minutes(3)) == -6)
    }

    @Test func changesCountsEveryValueChange() throws {
        let fixture = try SeriesFixture(["s": "1 1 2 2 1 1"])
        #expect(try fixture.value("changes(s[5m])", at: minutes(5)) == 2)
        #expect(try fixture.value("changes(s[1m])", at: minutes(1)) == 0)
        #expect(try fixture.value("resets(s[5m])", at: minutes(5)) == 1)
    }

    @Test func rangeFunctionsDropTheMetricNameAndKeepOtherLabels() throws {
        let fixture = try SeriesFixture([
            "http_requests_total{code=\"200\"}": "0+60x5",
            "http_requests_total{code=\"500\"}": "0+6x5",
        ])
        #expect(matches(try fixture.vector("rate(http_requests_total[5m])", at: minutes(5)), ["{code=\"200\"}": 1, "{code=\"500\"}": 0.1]))
        #expect(matches(try fixture.vector("sum(rate(http_requests_total[5m]))", at: minutes(5)), ["{}": 1.1]))
    }
}
