import PerfReport
import PerfStats
import Testing

/// The one percentile rule: a report's stored summary uses PerfStats' numpy-pinned percentile,
/// bit for bit, so a report, a comparison and a chart never disagree about a p95.
struct ReportSummaryAgreementTests {
    @Test("report summary percentiles equal PerfStats' on the numpy fixtures", arguments: try Fixtures.percentiles())
    func reportSummaryPercentilesEqualPerfStats(_ fixture: Fixtures.PercentileCase) {
        let report = PerfReport.Summary(samples: fixture.samples)
        let sorted = fixture.samples.sorted()
        #expect(report.p50 == Stats.percentile(sorted, 50))
        #expect(report.median == Stats.percentile(sorted, 50))
        #expect(report.p90 == Stats.percentile(sorted, 90))
        #expect(report.p95 == Stats.percentile(sorted, 95))
        #expect(report.p99 == Stats.percentile(sorted, 99))
    }
}
