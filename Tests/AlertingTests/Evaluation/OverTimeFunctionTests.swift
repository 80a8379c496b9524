import Testing

@testable import Alerting

/// The `*_over_time` family, `deriv`, `predict_linear` and `absent`/`absent_over_time`, on small series
/// whose answers are worked out by hand.
struct OverTimeFunctionTests {
    /// A gauge: 10 4 7 1 at 0..3m.
    let gauge: SeriesFixture

    init() throws {
        gauge = try SeriesFixture(["g{job=\"api\"}": "10 4 7 1"])
    }

    @Test func aggregatesOverTimeCoverTheClosedWindow() throws {
        let at = minutes(3)
        #expect(try gauge.vector("avg_over_time(g[3m])", at: at) == ["{job=\"api\"}": 5.5])
        #expect(try gauge.vector("min_over_time(g[3m])", at: at) == ["{job=\"api\"}": 1])
        #expect(try gauge.vector("max_over_time(g[3m])", at: at) == ["{job=\"api\"}": 10])
        #expect(try gauge.vector("sum_over_time(g[3m])", at: at) == ["{job=\"api\"}": 22])
        #expect(try gauge.vector("count_over_time(g[3m])", at: at) == ["{job=\"api\"}": 4])
        #expect(try gauge.vector("present_over_time(g[3m])", at: at) == ["{job=\"api\"}": 1])
        // last_over_time alone keeps the metric name.
        #expect(try gauge.vector("last_over_time(g[3m])", at: at) == ["g{job=\"api\"}": 1])
        // A window that starts after the first sample: [1m, 3m] holds 4 7 1.
        #expect(try gauge.vector("max_over_time(g[2m])", at: at) == ["{job=\"api\"}": 7])
        #expect(try gauge.vector("count_over_time(g[2m])", at: at) == ["{job=\"api\"}": 3])
    }

    @Test func varianceAndStandardDeviationArePopulationStatistics() throws {
        // Mean 5.5, squared deviations 20.25 + 2.25 + 2.25 + 20.25 = 45, over 4.
        #expect(close(try gauge.value("stdvar_over_time(g[3m])", at: minutes(3)), 11.25))
        #expect(close(try gauge.value("stddev_over_time(g[3m])", at: minutes(3)), 11.25.squareRoot()))
    }

    @Test func quantileOverTimeInterpolatesBetweenRanks() throws {
        // Sorted 1 4 7 10; rank φ × 3.
        #expect(try gauge.value("quantile_over_time(0.5, g[3m])", at: minutes(3)) == 5.5)
        #expect(try gauge.value("quantile_over_time(0.25, g[3m])", at: minutes(3)) == 3.25)
        #expect(close(try gauge.value("quantile_over_time(0.9, g[3m])", at: minutes(3)), 9.1))
        #expect(try gauge.value("quantile_over_time(0, g[3m])", at: minutes(3)) == 1)
        #expect(try gauge.value("quantile_over_time(1, g[3m])", at: minutes(3)) == 10)
        // Out of range φ gives ±Inf, as in Prometheus.
        #expect(try gauge.value("quantile_over_time(1.5, g[3m])", at: minutes(3)) == .infinity)
        #expect(try gauge.value("quantile_over_time(-1, g[3m])", at: minutes(3)) == -.infinity)
    }

    @Test func derivIsTheLeastSquaresSlopePerSecond() throws {
        let fixture = try SeriesFixture(["line": "0+2x10", "bent": "1 3 2"])
        // 2 per minute.
        #expect(close(try fixture.value("deriv(line[5m])", at: minutes(5)), 2.0 / 60))
        // x = 0, 60, 120 s; y = 1, 3, 2: covariance 60, variance 7200.
        #expect(close(try fixture.value("deriv(bent[5m])", at: minutes(2)), 1.0 / 120))
        // A constant series has slope 0.
        let flat = try SeriesFixture(["flat": "4 4 4"])
        #expect(try flat.value("deriv(flat[5m])", at: minutes(2)) == 0)
    }

    @Test func predictLinearExtrapolatesFromTheEvaluationTime() throws {
        let fixture = try SeriesFixture(["disk_free": "100-2x10"])
        // At 5m the fitted line is at 90 and falls 2 per minute: an hour later it is at 90 - 120.
        #expect(close(try fixture.value("predict_linear(disk_free[5m], 3600)", at: minutes(5)), -30))
        // The alert everyone writes: will the disk be full within four hours?
        #expect(try fixture.vector("predict_linear(disk_free[5m], 4 * 3600) < 0", at: minutes(5)).count == 1)
        #expect(try fixture.vector("predict_linear(disk_free[5m], 60) < 0", at: minutes(5)).isEmpty)
    }

    @Test func absentReturnsOneSeriesLabelledByTheEqualityMatchers() throws {
        let at = minutes(3)
        #expect(try gauge.vector("absent(g)", at: at).isEmpty)
        #expect(try gauge.vector("absent(nothing{job=\"api\",instance=~\"a.*\"})", at: at) == ["{job=\"api\"}": 1])
        #expect(try gauge.vector("absent(nothing)", at: at) == ["{}": 1])
        // A label fixed twice is left out.
        #expect(try gauge.vector("absent(nothing{job=\"a\",job=\"b\"})", at: at) == ["{}": 1])
        #expect(try gauge.vector("absent(sum(nothing))", at: at) == ["{}": 1])
        // Once the series is older than the lookback, it is absent.
        #expect(try gauge.vector("absent(g{job=\"api\"})", at: minutes(8) + 1) == ["{job=\"api\"}": 1])
    }

    @Test func absentOverTimeLooksAtTheWholeWindow() throws {
        #expect(try gauge.vector("absent_over_time(g[5m])", at: minutes(8)).isEmpty)
        #expect(try gauge.vector("absent_over_time(g{job=\"api\"}[5m])", at: minutes(8) + 1) == ["{job=\"api\"}": 1])
        #expect(try gauge.vector("absent_over_time(nothing{job=\"x\"}[1h])", at: minutes(3)) == ["{job=\"x\"}": 1])
    }
}
