import Foundation
import PerfReport

extension LoadReport {
    /// The report of a run over several servers at once (``SideBySide``): a benchmark per server,
    /// called `<benchmark>@<server>`; with one server, one benchmark called `benchmark`.
    public static func sideBySide(
        results: [[RequestResult]],
        summaries: [LoadSummary],
        servers: [String],
        benchmark: String,
        metadata: Metadata
    ) -> PerformanceReport {
        combined(
            zip(results, zip(summaries, servers)).map { results, lane in
                performanceReport(
                    results: results,
                    summary: lane.0,
                    benchmark: servers.count == 1 ? benchmark : "\(benchmark)@\(lane.1)",
                    metadata: metadata
                )
            },
            metadata: metadata
        )
    }

    /// The report of a sweep: a benchmark per step, `<benchmark>@closed` for the closed-loop step
    /// and `<benchmark>@<rate>` (one decimal) for each open-loop one.
    public static func sweep(_ steps: [Sweep.Step], benchmark: String, metadata: Metadata) -> PerformanceReport {
        combined(
            steps.map { step in
                performanceReport(
                    results: step.results,
                    summary: step.summary,
                    benchmark: step.rate.map { String(format: "\(benchmark)@%.1f", $0) } ?? "\(benchmark)@closed",
                    metadata: metadata
                )
            },
            metadata: metadata
        )
    }

    /// One report with every benchmark of `reports`, in their order.
    static func combined(_ reports: [PerformanceReport], metadata: Metadata) -> PerformanceReport {
        PerformanceReport(metadata: metadata, benchmarks: reports.flatMap(\.benchmarks))
    }
}

extension LoadReport {
    /// `report` with the target's resource timeline and labels saying where it comes from
    /// (``Metadata/timelineSourceLabel``, ``Metadata/timelineOnHostLabel``); `sampler` `nil`
    /// (no target serves process metrics) leaves no timeline and labels why.
    public static func withResources(
        _ report: PerformanceReport,
        timeline: [TimelinePoint],
        sampler: TargetSampler?
    ) -> PerformanceReport {
        var report = report
        var labels = report.metadata.labels ?? [:]
        if let sampler, !timeline.isEmpty {
            report.timeline = timeline
            labels[Metadata.timelineSourceLabel] = sampler.metricsURL
            labels[Metadata.timelineOnHostLabel] = sampler.onThisMachine ? "true" : "false"
        } else if let sampler {
            labels[Metadata.timelineSourceLabel] = "none: \(sampler.metricsURL) gave no reading during the run"
        } else {
            labels[Metadata.timelineSourceLabel] = noResourcesReason
        }
        report.metadata.labels = labels
        return report
    }

    /// Why a `load` report has no timeline.
    public static let noResourcesReason = "none: no target serves /metrics with process metrics"
}
