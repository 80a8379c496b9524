import LoadGenerator
import OllamaAPI
import PerfReport

/// `load`'s resource timeline: which target is sampled, and the line that says so.
extension OllamaDistributed.Load.Run {
    /// The sampler of the first `--url` that serves `/metrics` with process metrics (probed in
    /// order), or `nil` when none does; the line saying which, for the run's output.
    func resourceSampler(interval: Duration) async -> (sampler: TargetSampler?, line: String) {
        for url in url {
            guard let sampler = try? TargetSampler(url: url, interval: interval, credential: GatewayCredential.fromEnvironment()),
                await sampler.read() != nil
            else { continue }
            let remote = sampler.onThisMachine ? "" : "; it is on another machine, so its CPU and memory are not judged against this one's"
            return (sampler, "resources: sampling \(sampler.metricsURL) every \(sampleInterval)\(remote)")
        }
        return (nil, "resources: not sampled (\(LoadReport.noResourcesReason.dropFirst("none: ".count)))")
    }

    /// Runs `work`, sampling `sampler`'s target meanwhile, and returns its report with the
    /// timeline and labels saying where it comes from.
    static func recordingResources(
        _ sampler: TargetSampler?,
        _ work: () async -> PerformanceReport
    ) async -> PerformanceReport {
        guard let sampler else { return LoadReport.withResources(await work(), timeline: [], sampler: nil) }
        let (report, timeline) = await sampler.sampling(work)
        return LoadReport.withResources(report, timeline: timeline, sampler: sampler)
    }
}
