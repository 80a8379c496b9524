import PerfReport
import Testing

@testable import PerfAnalysis

/// The resource KPIs of a `load` report, whose timeline comes from the target's `/metrics`:
/// judged against the host only when the target runs on it, and saying why there is no data.
@Suite struct KPITimelineSourceTests {
    static let timeline = (0..<2).map { TimelinePoint(t: Double($0), values: ["cpu": 1.0, "rss_bytes": 2_147_483_648, "threads": 30]) }

    static func report(timeline: [TimelinePoint]?, labels: [String: String]) -> PerformanceReport {
        var report = Fixture.report([], timeline: timeline, cores: 4)
        report.metadata.labels = labels
        return report
    }

    @Test func aTimelineOnTheHostIsJudgedAgainstItsCoresAndMemory() {
        let report = Self.report(timeline: Self.timeline, labels: ["timeline_source": "http://127.0.0.1:8080/metrics", "timeline_on_host": "true"])
        let kpis = KPITargets.scorecard(report)
        #expect(kpis[3].status == .pass && kpis[3].measured == 0.25)
        #expect(kpis[4].status == .pass && kpis[4].measured == 0.25)
        #expect(kpis[5].status == .pass && kpis[5].measured == 30)
    }

    @Test func aTimelineFromAnotherMachineIsNotJudgedAgainstTheHost() {
        let report = Self.report(timeline: Self.timeline, labels: ["timeline_source": "http://10.0.0.5:8080/metrics", "timeline_on_host": "false"])
        let kpis = KPITargets.scorecard(report)
        #expect(kpis[3].status == .noData && kpis[3].measured == nil)
        #expect(
            kpis[3].evidence
                == "http://10.0.0.5:8080/metrics is on another machine than the report's host, whose cores it does not share: no fraction is judged"
        )
        #expect(kpis[4].status == .noData && kpis[4].measured == nil)
        #expect(
            kpis[4].evidence
                == "http://10.0.0.5:8080/metrics is on another machine than the report's host, whose RAM it does not share: no fraction is judged"
        )
        #expect(kpis[5].status == .pass && kpis[5].measured == 30)
    }

    @Test func noTimelineSaysTheReportsReason() {
        let report = Self.report(timeline: nil, labels: ["timeline_source": "none: no target serves /metrics with process metrics"])
        let kpis = KPITargets.scorecard(report)
        #expect(
            kpis[3...].map(\.evidence) == [
                "the report has no timeline with cpu readings: no target serves /metrics with process metrics",
                "the report has no timeline with rss_bytes readings: no target serves /metrics with process metrics",
                "the report has no timeline with threads readings: no target serves /metrics with process metrics",
            ]
        )
        #expect(KPITargets.cpu(Fixture.report([])).evidence == "the report has no timeline with cpu readings")
    }
}
