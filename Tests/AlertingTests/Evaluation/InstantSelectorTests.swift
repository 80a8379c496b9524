import Testing

@testable import Alerting

/// Instant vector selectors: the newest sample within the lookback (inclusive at both ends, as in
/// Prometheus 2.x), stale markers ending a series at once, offsets, and label matchers.
struct InstantSelectorTests {
    @Test func theNewestSampleWithinTheLookbackIsReturned() throws {
        // Samples at 0, 1m, 2m and 10m.
        let fixture = try SeriesFixture(["up{job=\"a\"}": "1 2 3 _x7 5"])
        #expect(try fixture.vector("up", at: minutes(2)) == ["up{job=\"a\"}": 3])
        #expect(try fixture.vector("up", at: minutes(2) + 59_999) == ["up{job=\"a\"}": 3])
        // The lookback is [t - 5m, t]: the sample at 2m is still seen at 7m, gone a millisecond later.
        #expect(try fixture.vector("up", at: minutes(7)) == ["up{job=\"a\"}": 3])
        #expect(try fixture.vector("up", at: minutes(7) + 1).isEmpty)
        #expect(try fixture.vector("up", at: minutes(10)) == ["up{job=\"a\"}": 5])
        // Nothing before the first sample.
        #expect(try fixture.vector("up", at: -1).isEmpty)
    }

    @Test func aShorterLookbackForgetsSamplesSooner() throws {
        var fixture = try SeriesFixture(["up": "1 2 3"])
        fixture.lookback = .seconds(60)
        #expect(try fixture.vector("up", at: minutes(3)) == ["up": 3])
        #expect(try fixture.vector("up", at: minutes(3) + 1).isEmpty)
    }

    @Test func aStaleMarkerEndsTheSeriesAtOnce() throws {
        // 1 at 0, 2 at 1m, stale at 2m, 4 at 3m.
        let fixture = try SeriesFixture(["x": "1 2 stale 4"])
        #expect(try fixture.vector("x", at: minutes(1)) == ["x": 2])
        #expect(try fixture.vector("x", at: minutes(2)).isEmpty)
        // Without the marker the sample at 1m would still be within the lookback here.
        #expect(try fixture.vector("x", at: minutes(2) + 30_000).isEmpty)
        #expect(try fixture.vector("x", at: minutes(3)) == ["x": 4])
        // Range selectors drop stale markers and keep the rest.
        #expect(try fixture.value("count_over_time(x[5m])", at: minutes(3)) == 3)
        #expect(try fixture.value("sum_over_time(x[5m])", at: minutes(3)) == 7)
    }

    @Test func aScrapeThatLacksASeriesMarksItStale() throws {
        let store = SeriesStore()
        let a: Labels = ["__name__": "up", "instance": "a"]
        let b: Labels = ["__name__": "up", "instance": "b"]
        store.appendScrape([(a, 1), (b, 1)], timestampMs: 0, target: "t")
        store.appendScrape([(a, 1)], timestampMs: seconds(15), target: "t")
        let evaluator = PromQLEvaluator(source: store)
        let result = try evaluator.evaluate("up", at: seconds(20)).ruleVector()
        #expect(result.map(\.labels) == [a])
        // A scrape of another target does not touch this target's series.
        store.appendScrape([], timestampMs: seconds(30), target: "other")
        #expect(try evaluator.evaluate("up", at: seconds(30)).ruleVector().map(\.labels) == [a])
    }

    @Test func anOffsetLooksBackFromAnEarlierTime() throws {
        let fixture = try SeriesFixture(["x": "0 10 20 30"])
        #expect(try fixture.vector("x offset 1m", at: minutes(3)) == ["x": 20])
        #expect(try fixture.vector("x offset 2m30s", at: minutes(3)) == ["x": 0])
        // A negative offset looks ahead.
        #expect(try fixture.vector("x offset -2m", at: minutes(1)) == ["x": 30])
        // timestamp() reports when the selected sample was taken, in seconds.
        #expect(try fixture.vector("timestamp(x)", at: minutes(3) + 30_000) == ["{}": 180])
        #expect(try fixture.vector("timestamp(x offset 1m)", at: minutes(3)) == ["{}": 120])
    }

    @Test func matchersAreAnchoredAndAMissingLabelMatchesTheEmptyString() throws {
        let fixture = try SeriesFixture([
            "up{job=\"a\"}": "1",
            "up{job=\"ab\"}": "2",
            "up{job=\"b\",zone=\"eu\"}": "3",
            "down{job=\"a\"}": "4",
        ])
        #expect(try fixture.vector("up{job=~\"a\"}", at: 0) == ["up{job=\"a\"}": 1])
        #expect(try fixture.vector("up{job=~\"a.*\"}", at: 0) == ["up{job=\"a\"}": 1, "up{job=\"ab\"}": 2])
        #expect(try fixture.vector("up{job!~\"a.*\"}", at: 0) == ["up{job=\"b\",zone=\"eu\"}": 3])
        #expect(try fixture.vector("up{job!=\"a\"}", at: 0) == ["up{job=\"ab\"}": 2, "up{job=\"b\",zone=\"eu\"}": 3])
        #expect(try fixture.vector("up{zone=\"\"}", at: 0) == ["up{job=\"a\"}": 1, "up{job=\"ab\"}": 2])
        #expect(try fixture.vector("up{zone!=\"\"}", at: 0) == ["up{job=\"b\",zone=\"eu\"}": 3])
        #expect(try fixture.vector("{job=\"a\"}", at: 0) == ["up{job=\"a\"}": 1, "down{job=\"a\"}": 4])
        #expect(try fixture.vector("{__name__=~\"up|down\",job=\"a\"}", at: 0) == ["up{job=\"a\"}": 1, "down{job=\"a\"}": 4])
        #expect(try fixture.vector("up{job=~\"a|b\"}", at: 0) == ["up{job=\"a\"}": 1, "up{job=\"b\",zone=\"eu\"}": 3])
        #expect(try fixture.vector("nothing", at: 0).isEmpty)
    }

    @Test func seriesComeBackInPrometheusLabelOrder() throws {
        let fixture = try SeriesFixture([
            "x{b=\"1\"}": "1",
            "x{a=\"2\"}": "2",
            "x{a=\"1\"}": "3",
        ])
        #expect(try fixture.ordered("x", at: 0) == ["x{a=\"1\"} 3", "x{a=\"2\"} 2", "x{b=\"1\"} 1"])
    }
}
