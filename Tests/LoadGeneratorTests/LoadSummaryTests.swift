import Foundation
import Testing

@testable import LoadGenerator

@Suite struct LoadSummaryTests {
    @Test func countsRatesAndGoodput() {
        let summary = Fixtures.summary
        #expect(summary.requests == 4)
        #expect(summary.succeeded == 2)
        #expect(summary.failed == 2)
        #expect(summary.errorsByKind == ["timeout": 1, "http_5xx": 1])
        #expect(summary.requestThroughput == 0.5)
        #expect(summary.outputTokensPerSecond == 1.25)
        #expect(summary.goodput == 0.25)
        #expect(summary.goodputPerSecond == 0.25)
    }

    @Test func latenciesCoverSuccessesAndLagCoversAll() throws {
        let summary = Fixtures.summary
        #expect(summary.ttft?.count == 2)
        #expect(summary.ttft?.mean == 0.25)
        #expect(summary.ttft?.min == 0.125)
        #expect(summary.ttft?.max == 0.375)
        #expect(summary.itl?.count == 3)
        #expect(summary.tpot?.count == 2)
        #expect(summary.tpot?.max == 0.625)
        #expect(summary.e2e?.max == 1)
        let lag = try #require(summary.schedulerLag)
        #expect(lag.count == 4)
        #expect(lag.max == 0.5)
        #expect(lag.p99 == 0.5)
    }

    @Test func percentilesAreExactForSmallMicrosecondValues() throws {
        let summary = try #require(LatencySummary((1...1000).map { Double($0) * 1e-6 }))
        #expect(summary.p50 == 500e-6)
        #expect(summary.p90 == 900e-6)
        #expect(summary.p95 == 950e-6)
        #expect(summary.p99 == 990e-6)
        #expect(summary.p999 == 999e-6)
        #expect(summary.min == 1e-6)
        #expect(summary.max == 1000e-6)
        #expect(abs(summary.mean - 500.5e-6) < 1e-15)
    }

    @Test func largeValuesAreWithinThreeSignificantDigitsAndNeverAboveMax() throws {
        let values = [1.234567, 2.5, 7.654321]
        let summary = try #require(LatencySummary(values))
        #expect(summary.p50 >= 2.5 && summary.p50 <= 2.5 * 1.001)
        #expect(summary.p999 == 7.654321)
    }

    @Test func noValuesGiveNoSummaryAndNegativesCountAsZero() {
        #expect(LatencySummary([]) == nil)
        #expect(LatencySummary([-0.5])?.max == 0)
    }

    @Test func emptyRunHasZeroRatesAndNoLatencies() {
        let summary = LoadSummary(results: [], elapsed: 0, slo: SLO(e2e: .seconds(1)))
        #expect(summary.requests == 0)
        #expect(summary.requestThroughput == 0)
        #expect(summary.goodput == 0)
        #expect(summary.goodputPerSecond == 0)
        #expect(summary.ttft == nil && summary.e2e == nil && summary.schedulerLag == nil)
    }

    @Test func withoutAnSLOThereIsNoGoodput() {
        let summary = LoadSummary(results: Fixtures.results, elapsed: 4)
        #expect(summary.goodput == nil)
        #expect(summary.goodputPerSecond == nil)
    }

    @Test func textShowsCountsRatesAndALatencyTableInMilliseconds() {
        let summary = LoadSummary(
            results: [RequestResult(intendedStart: 0, ttft: 0.001, gaps: [0.002], endToEnd: 0.004, outputTokens: 2)],
            elapsed: 2,
            slo: SLO(ttft: .seconds(0.5))
        )
        let expected = """
            requests     1 sent, 1 ok, 0 failed
            elapsed      2.00 s
            throughput   0.50 req/s, 1.0 output tok/s
            goodput      100.0% of requests, 0.50 req/s (ttft=500ms)

                              count      mean       p50       p90       p99     p99.9       max
            ttft (ms)             1       1.0       1.0       1.0       1.0       1.0       1.0
            itl (ms)              1       2.0       2.0       2.0       2.0       2.0       2.0
            tpot (ms)             1       3.0       3.0       3.0       3.0       3.0       3.0
            e2e (ms)              1       4.0       4.0       4.0       4.0       4.0       4.0
            lag (ms)              1       0.0       0.0       0.0       0.0       0.0       0.0

            """
        #expect(summary.text() == expected)
    }

    @Test func textListsErrorKinds() {
        #expect(Fixtures.summary.text().hasPrefix("requests     4 sent, 2 ok, 2 failed (http_5xx 1, timeout 1)\n"))
    }
}

@Suite struct LoadSummaryCodingTests {
    @Test func encodesWithSnakeCaseKeysAndRoundTrips() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let data = try encoder.encode(Fixtures.summary)
        let keys = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any]).keys.sorted()
        #expect(
            keys == [
                "e2e", "elapsed", "errors_by_kind", "failed", "goodput", "goodput_per_second", "itl",
                "output_tokens_per_second", "request_throughput", "requests", "scheduler_lag", "slo",
                "succeeded", "tpot", "ttft",
            ]
        )
        #expect(try JSONDecoder().decode(LoadSummary.self, from: data) == Fixtures.summary)
    }
}
