/// What `--enable-performance-monitoring` turns on, and its bounds.
///
/// Off, the gateway still serves `/metrics` with its counters and gauges (requests, bytes,
/// tokens, nodes, process). On, it adds the histograms (request and LLM latencies, time to first
/// token, gaps between tokens, queue wait, generation speed) and the sampler that keeps the
/// in-memory history the dashboard and embedded alerting read.
public struct MonitoringSettings: Sendable, Hashable {
    /// The full monitoring subsystem.
    public var enabled: Bool
    /// Time between samples of the in-memory history.
    public var sampleInterval: Duration
    /// Samples the history keeps; older ones are dropped (720 × 5 s = one hour).
    public var historySamples: Int
    /// Distinct `model` label values before the rest are counted as `other`.
    public var modelLabelLimit: Int

    public init(enabled: Bool = false, sampleInterval: Duration = .seconds(5), historySamples: Int = 720, modelLabelLimit: Int = 100) {
        self.enabled = enabled
        self.sampleInterval = sampleInterval
        self.historySamples = historySamples
        self.modelLabelLimit = modelLabelLimit
    }

    /// Every problem with the values, each naming its setting.
    func problems() -> [String] {
        var found: [String] = []
        if sampleInterval <= .zero { found.append("monitoring.sample_interval: must be positive") }
        if !(1...1_000_000).contains(historySamples) { found.append("monitoring.history_samples: must be between 1 and 1000000") }
        if modelLabelLimit < 1 { found.append("monitoring.model_label_limit: must be at least 1") }
        return found
    }
}
