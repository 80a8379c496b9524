import PerfReport
import Testing

@testable import LoadGenerator

/// A load report's resource timeline: the labels saying where it comes from, and what
/// `load merge` keeps of several reports' timelines.
@Suite struct LoadReportResourcesTests {
    static let point = TimelinePoint(t: 0.5, values: ["cpu": 0.25, "rss_bytes": 1000, "threads": 7])

    static func report(host: String, timeline: [TimelinePoint]?, labels: [String: String]? = nil) -> PerformanceReport {
        let metadata = Metadata(createdAt: "2026-01-01T00:00:00Z", host: HostInfo(hostname: host), labels: labels)
        let e2e = Metric(name: "e2e", unit: "s", direction: .lowerIsBetter, samples: [0.1, 0.2])
        let benchmark = Benchmark(name: "load/chat", tags: ["requests=2"], metrics: [e2e])
        return PerformanceReport(metadata: metadata, benchmarks: [benchmark], timeline: timeline)
    }

    @Test func aSampledLoopbackTargetIsLabelledOnThisHost() throws {
        let sampler = try TargetSampler(url: "http://127.0.0.1:8080", interval: .seconds(1))
        let report = LoadReport.withResources(Self.report(host: "a", timeline: nil), timeline: [Self.point], sampler: sampler)
        #expect(report.timeline == [Self.point])
        #expect(report.metadata.labels == ["timeline_source": "http://127.0.0.1:8080/metrics", "timeline_on_host": "true"])
        #expect(report.metadata.timelineIsOnHost)
    }

    @Test func aSampledRemoteTargetIsLabelledNotOnThisHost() throws {
        let sampler = try TargetSampler(url: "http://10.0.0.5:8080", interval: .seconds(1))
        let report = LoadReport.withResources(Self.report(host: "a", timeline: nil), timeline: [Self.point], sampler: sampler)
        #expect(report.metadata.labels == ["timeline_source": "http://10.0.0.5:8080/metrics", "timeline_on_host": "false"])
        #expect(!report.metadata.timelineIsOnHost)
    }

    @Test func noSampledTargetLeavesNoTimelineAndSaysWhy() throws {
        let none = LoadReport.withResources(Self.report(host: "a", timeline: nil), timeline: [], sampler: nil)
        #expect(none.timeline == nil)
        #expect(none.metadata.labels == ["timeline_source": "none: no target serves /metrics with process metrics"])
        let sampler = try TargetSampler(url: "http://127.0.0.1:8080", interval: .seconds(1))
        let silent = LoadReport.withResources(Self.report(host: "a", timeline: nil), timeline: [], sampler: sampler)
        #expect(silent.timeline == nil)
        #expect(silent.metadata.labels == ["timeline_source": "none: http://127.0.0.1:8080/metrics gave no reading during the run"])
    }

    @Test func mergeKeepsTheFirstReportsTimeline() throws {
        let labels = ["timeline_source": "http://127.0.0.1:8080/metrics", "timeline_on_host": "true"]
        let other = TimelinePoint(t: 1, values: ["cpu": 3])
        let merged = try LoadReport.merge([
            Self.report(host: "a", timeline: [Self.point], labels: labels), Self.report(host: "b", timeline: [other], labels: labels),
        ])
        #expect(merged.timeline == [Self.point])
        #expect(merged.metadata.labels == labels.merging(["merged_reports": "2"]) { $1 })
    }

    @Test func mergeTakesALaterReportsTimelineAsNotOnTheMergedHost() throws {
        let merged = try LoadReport.merge([
            Self.report(host: "a", timeline: nil, labels: ["timeline_source": "none: no target serves /metrics with process metrics"]),
            Self.report(
                host: "b",
                timeline: [Self.point],
                labels: ["timeline_source": "http://127.0.0.1:8080/metrics", "timeline_on_host": "true"]
            ),
        ])
        #expect(merged.timeline == [Self.point])
        #expect(merged.metadata.host?.hostname == "a")
        #expect(
            merged.metadata.labels == [
                "merged_reports": "2", "timeline_source": "http://127.0.0.1:8080/metrics", "timeline_on_host": "false",
            ]
        )
    }

    @Test func mergeOfReportsWithoutTimelinesHasNone() throws {
        let merged = try LoadReport.merge([Self.report(host: "a", timeline: nil), Self.report(host: "b", timeline: [])])
        #expect(merged.timeline == nil)
    }
}
