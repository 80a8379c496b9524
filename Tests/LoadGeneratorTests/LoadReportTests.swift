import PerfReport
import Testing

@testable import LoadGenerator

@Suite struct LoadReportTests {
    static let metadata = Metadata(createdAt: "2026-01-01T00:00:00Z")

    static func report(_ results: [RequestResult], elapsed: Double, slo: SLO? = nil, name: String = "load/chat") -> PerformanceReport {
        LoadReport.performanceReport(
            results: results,
            summary: LoadSummary(results: results, elapsed: elapsed, slo: slo),
            benchmark: name,
            metadata: metadata
        )
    }

    @Test func reportHasPerRequestSamplesAndOneSampleRates() throws {
        let report = Self.report(Fixtures.results, elapsed: 4, slo: Fixtures.slo)
        try report.validate(source: "test")
        let benchmark = try #require(report.benchmark(named: "load/chat"))
        #expect(benchmark.tags == ["requests=4"])
        #expect(
            benchmark.metrics.map(\.name) == [
                "ttft", "itl", "tpot", "e2e", "throughput", "output_tokens_per_second", "error_rate", "goodput",
            ]
        )
        #expect(benchmark.metric(named: "ttft")?.samples == [0.125, 0.375])
        #expect(benchmark.metric(named: "itl")?.samples == [0.25, 0.5])
        #expect(benchmark.metric(named: "tpot")?.samples == [0.1875, 0.625])
        #expect(benchmark.metric(named: "e2e")?.samples == [0.5, 1])
        #expect(benchmark.metric(named: "throughput")?.samples == [0.5])
        #expect(benchmark.metric(named: "output_tokens_per_second")?.samples == [1.25])
        #expect(benchmark.metric(named: "error_rate")?.samples == [0.5])
        #expect(benchmark.metric(named: "goodput")?.samples == [0.25])
        #expect(benchmark.metric(named: "ttft")?.direction == .lowerIsBetter)
        #expect(benchmark.metric(named: "throughput")?.direction == .higherIsBetter)
        #expect(benchmark.metric(named: "throughput")?.unit == "req/s")
    }

    @Test func metricsWithoutSamplesAreLeftOut() throws {
        let failures = [RequestResult(intendedStart: 0, endToEnd: 1, error: .connect)]
        let report = Self.report(failures, elapsed: 1)
        try report.validate(source: "test")
        #expect(report.benchmarks[0].metrics.map(\.name) == ["throughput", "output_tokens_per_second", "error_rate"])
        #expect(report.benchmarks[0].metric(named: "error_rate")?.samples == [1])
    }

    @Test func mergeConcatenatesSamplesSumsRatesAndWeightsRatiosByRequests() throws {
        let a = Self.report(Fixtures.results, elapsed: 4)
        let b = Self.report(
            [
                RequestResult(intendedStart: 0, ttft: 0.25, endToEnd: 2, outputTokens: 4),
                RequestResult(intendedStart: 1, ttft: 0.5, endToEnd: 3, outputTokens: 4),
            ],
            elapsed: 2
        )
        let merged = try LoadReport.merge([a, b])
        try merged.validate(source: "merged")
        let benchmark = try #require(merged.benchmark(named: "load/chat"))
        #expect(benchmark.tags == ["requests=6"])
        #expect(benchmark.metric(named: "ttft")?.samples == [0.125, 0.375, 0.25, 0.5])
        #expect(benchmark.metric(named: "e2e")?.samples == [0.5, 1, 2, 3])
        #expect(benchmark.metric(named: "throughput")?.samples == [1.5])
        #expect(benchmark.metric(named: "output_tokens_per_second")?.samples == [5.25])
        #expect(benchmark.metric(named: "error_rate")?.samples == [2.0 / 6.0])
        #expect(merged.metadata.labels == ["merged_reports": "2"])
    }

    @Test func mergeKeepsBenchmarksInOrderOfFirstAppearance() throws {
        let a = Self.report(Fixtures.results, elapsed: 4, name: "x")
        let b = Self.report(Fixtures.results, elapsed: 4, name: "y")
        #expect(try LoadReport.merge([a, b, a]).benchmarks.map(\.name) == ["x", "y"])
    }

    @Test func mergeOfNothingIsAnError() {
        do {
            _ = try LoadReport.merge([])
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "cannot merge reports: no reports given")
        }
    }

    @Test func mergeRejectsMismatchedUnits() {
        let a = Self.report(Fixtures.results, elapsed: 4)
        var b = a
        b.benchmarks[0].metrics[0].unit = "ms"
        do {
            _ = try LoadReport.merge([a, b])
            Issue.record("expected an error")
        } catch {
            #expect(
                error.description
                    == #"cannot merge reports: benchmark "load/chat" metric "ttft" is in s (lower is better) in report 1 but in ms (lower is better) in report 2"#
            )
        }
    }

    @Test func mergeNeedsARequestCountToWeightRatios() {
        let a = Self.report(Fixtures.results, elapsed: 4)
        var b = a
        b.benchmarks[0].tags = []
        do {
            _ = try LoadReport.merge([a, b])
            Issue.record("expected an error")
        } catch {
            #expect(
                error.description
                    == #"cannot merge reports: benchmark "load/chat" in report 2 has no requests=N tag, so its error_rate cannot be weighted (was it written by `load run`?)"#
            )
        }
    }
}
